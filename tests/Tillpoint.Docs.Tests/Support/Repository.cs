using System.Diagnostics;

namespace Tillpoint.Docs.Tests.Support;

/// <summary>This repository, as the test run found it, and a copy of it for the commands that build.</summary>
public static class Repository
{
    /// <summary>The repository root: the folder with <c>Tillpoint.slnx</c> above the test assembly.</summary>
    public static string Root { get; } = TestRepository.Root;

    /// <summary>The build configuration the tests were built with (the commands' <c>tillpoint</c> is that build).</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>The <c>tillpoint</c> executable the test build made: what the installed tool runs, built from the same source.</summary>
    public static string TillpointExecutable { get; } =
        Path.Combine(Root, "src", "Tillpoint.Server", "bin", Configuration, "net10.0", OperatingSystem.IsWindows() ? "tillpoint.exe" : "tillpoint");

    private static readonly Lazy<string> CopyOnce = new(MakeCopy);

    /// <summary>
    /// A copy of the repository's files (the working tree as git sees it, untracked files that git does not ignore
    /// included) in a temp folder, made once per run: commands that build or write beside the source run there, so
    /// they neither race the test build's own outputs nor leave anything in the developer's tree.
    /// </summary>
    public static string Copy => CopyOnce.Value;

    private static string MakeCopy()
    {
        var copy = Directory.CreateTempSubdirectory("tillpoint-source-").FullName;
        var git = Process.Start(new ProcessStartInfo("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("git did not start.");
        var files = git.StandardOutput.ReadToEnd().Split('\0', StringSplitOptions.RemoveEmptyEntries);
        git.WaitForExit();
        if (git.ExitCode != 0)
        {
            throw new InvalidOperationException($"git ls-files exited with {git.ExitCode} in {Root}.");
        }

        foreach (var file in files)
        {
            var from = Path.Combine(Root, file);
            if (!File.Exists(from))
            {
                continue; // deleted in the working tree, not yet in the index
            }

            var to = Path.Combine(copy, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(to, File.GetUnixFileMode(from));
            }
        }

        return copy;
    }
}
