using System.Security.Cryptography;
using System.Xml.Linq;

namespace Tillpoint.Testing.Tests;

/// <summary>
/// The two packages as a user makes them: <c>dotnet pack src/Tillpoint.Testing</c> and <c>dotnet pack
/// src/Tillpoint.Server</c> (the .NET tool), in a folder that serves as a local package source. They are built from a
/// copy of the source, so that packing never writes into the build other test projects are running from, and get a
/// version of their own, so that no package cached from an earlier run is taken for them.
/// </summary>
public sealed class PackedTillpoint : IAsyncLifetime
{
    /// <summary>What the repository's root holds that a build of <c>src/</c> reads.</summary>
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Packages.props", "BannedSymbols.txt", "global.json", ".editorconfig"];

    /// <summary>The packages' ids as the package folder names them.</summary>
    private static readonly string[] PackageIds = ["tillpoint.testing", "tillpoint"];

    private readonly string _work = Directory.CreateTempSubdirectory("tillpoint-packages-").FullName;

    public string Version { get; } = "1.0.0-test." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>The local package source: both packages.</summary>
    public string Feed => Path.Combine(_work, "feed");

    /// <summary>A scratch folder under this fixture's, deleted with it.</summary>
    public string Scratch(string name) => Directory.CreateDirectory(Path.Combine(_work, name)).FullName;

    /// <summary>What a nested <c>dotnet</c> needs: no build servers left behind, and no test host settings.</summary>
    public static IReadOnlyDictionary<string, string> DotnetEnvironment { get; } = new Dictionary<string, string>
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["UseSharedCompilation"] = "false",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    /// <summary>The version of a package the repository pins in Directory.Packages.props.</summary>
    public static string PinnedVersion(string package) =>
        XDocument.Load(Path.Combine(TestRepository.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == package).Attribute("Version")!.Value;

    public async Task InitializeAsync()
    {
        var source = Path.Combine(_work, "source");
        CopySource(Path.Combine(TestRepository.Root, "src"), Path.Combine(source, "src"));
        foreach (var file in BuildFiles)
        {
            File.Copy(Path.Combine(TestRepository.Root, file), Path.Combine(source, file));
        }

        await using var shell = new UserShell(source, DotnetEnvironment);
        foreach (var project in new[] { "src/Tillpoint.Testing", "src/Tillpoint.Server" })
        {
            var packed = await shell.RunAsync($"dotnet pack {project} -o '{Feed}' -p:PackageVersion={Version}", TimeSpan.FromMinutes(8));
            Assert.True(packed.ExitCode == 0, packed.ToString());
        }
    }

    public Task DisposeAsync()
    {
        Delete(_work);
        // What restoring the packages extracted into the machine's package folder: only this run's versions.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in PackageIds.Select(id => Path.Combine(packages, id)))
        {
            Delete(Path.Combine(id, Version));
            if (Directory.Exists(id) && !Directory.EnumerateFileSystemEntries(id).Any())
            {
                Delete(id);
            }
        }

        return Task.CompletedTask;
    }

    private static void CopySource(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from).Where(f => Path.GetFileName(f) is not ("bin" or "obj")))
        {
            CopySource(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }

    private static void Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open; the folder is a temporary one or this run's own package version.
        }
    }
}
