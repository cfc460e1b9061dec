using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tillpoint.Server.Cli;

namespace Tillpoint.Docs.Tests;

/// <summary>
/// The command line as a person runs it: the built <c>tillpoint</c> in a process of its own, <c>dotnet run</c>, and the
/// .NET tool the README installs.
/// </summary>
public sealed partial class CliProcessTests : IDisposable
{
    private static readonly string Tillpoint = Path.Combine(AppContext.BaseDirectory, "tillpoint.dll");

    private readonly string _folder = Directory.CreateTempSubdirectory("tillpoint-cli-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A process that has not quite let go of its files; the folder is a temporary one.
        }
    }

    [Fact]
    public async Task Serve_WithAValidValueForEveryKindOfOption_AnswersHealthz_AndStopsCleanlyOnSigterm()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Tillpoint, "serve", "--urls", $"http://127.0.0.1:{port}", "--public-url", "http://127.0.0.1:8080",
                "--ipn-certificate-url", "https://pay.example.test/ipn/signing-certificate.pem", "--durability", "normal", "--metrics", "Open",
                "--max-clock-skew", "1440", "--ipn-max-attempts", "100", "--ipn-timeout-seconds", "120", "--ipn-first-retry-seconds", "3600",
                "--ipn-allow-host", "shop.example.test", "--ipn-allow-host", "[::1]:5000", "--trusted-proxy", "10.0.0.2", "--operator-token", "0123456789abcdef", "--store", "sqlite", "--data-dir", "data",
            },
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        WithoutTillpointVariables(start);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var healthy = false;
        for (var deadline = Stopwatch.StartNew(); !healthy && !process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(60);)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
                healthy = response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        if (!healthy)
        {
            Assert.Fail($"serve did not answer /healthz: {await StopAndReadAsync(process, error)}");
        }

        using var metrics = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.True(Directory.Exists(Path.Combine(_folder, "data")), "the relative --data-dir is under the working directory");

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == ExitCodes.Success, $"exit {process.ExitCode}: {await error}");
        _ = await output;
    }

    [Fact]
    public async Task RelativePaths_AreTheWorkingDirectorys()
    {
        var created = await RunAsync("dotnet", [Tillpoint, "merchants", "create", "--json"], _folder);
        var merchantId = JsonDocument.Parse(created.Output).RootElement.GetProperty("merchantId").GetString()!;
        var key = await RunAsync("dotnet", [Tillpoint, "keys", "create", "--merchant", merchantId, "--out", "keys/private.pem", "--json"], _folder);

        Assert.True(File.Exists(Path.Combine(_folder, TillpointCli.DefaultDataDirectory, "tillpoint.db")), "the default data folder is ./tillpoint-data");
        Assert.Equal(
            Path.Combine(_folder, "keys", "private.pem"),
            JsonDocument.Parse(key.Output).RootElement.GetProperty("privateKeyPath").GetString());
        Assert.True(File.Exists(Path.Combine(_folder, "keys", "private.pem")));
    }

    [Fact]
    public async Task DotnetRun_RunsInTheFolderItWasTypedIn_NotInTheSourceTree()
    {
        // The configuration this test was built in, so that --no-build finds the server built with it.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var project = Path.Combine(Support.Repository.Root, "src", "Tillpoint.Server");

        var created = await RunAsync(
            "dotnet", ["run", "--project", project, "--no-build", "-c", configuration, "--", "keys", "list", "--data-dir", "here", "--json"], _folder);

        Assert.Equal("[]", created.Output.Trim());
        Assert.True(File.Exists(Path.Combine(_folder, "here", "tillpoint.db")), $"no store in {_folder}/here: {created.Error}");
    }

    /// <summary>
    /// The README's install commands, exactly as written there, for a user whose home is empty: then the bare
    /// <c>tillpoint</c> of every later command works. Run twice, as after a pull.
    /// </summary>
    [Fact]
    public async Task ReadmeInstall_PutsTillpointOnThePath_AndRunsAgainAfterAnUpdate()
    {
        var root = Support.Repository.Root;
        var install = InstallCommands(await File.ReadAllTextAsync(Path.Combine(root, "README.md")));
        Assert.Contains(install, line => line.StartsWith("dotnet pack ", StringComparison.Ordinal));
        Assert.Contains(install, line => line.StartsWith("dotnet tool ", StringComparison.Ordinal));
        var home = Path.Combine(_folder, "home");
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
            // The packages already restored, so that the empty home does not download them again.
            ["NUGET_PACKAGES"] = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
                ? packages
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            ["PATH"] = $"{Path.Combine(home, ".dotnet", "tools")}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}",
        };

        // The packages this test makes are removed again (each is a whole server); the user's own stay.
        var packed = Path.Combine(root, "artifacts", "packages");
        var before = Directory.Exists(packed) ? Directory.GetFiles(packed).ToHashSet() : [];
        (int Exit, string Output, string Error) version, created;
        try
        {
            for (var run = 1; run <= 2; run++)
            {
                foreach (var line in install)
                {
                    var step = await RunAsync("bash", ["-c", line], root, environment, TimeSpan.FromMinutes(5));
                    Assert.True(step.Exit == 0, $"run {run}: '{line}' exited {step.Exit}: {step.Output} {step.Error}");
                }
            }

            version = await RunAsync("bash", ["-c", "tillpoint --version"], _folder, environment);
            created = await RunAsync("bash", ["-c", $"tillpoint merchants create --json --data-dir '{_folder}/data'"], _folder, environment);
        }
        finally
        {
            foreach (var made in Directory.Exists(packed) ? Directory.GetFiles(packed).Where(file => !before.Contains(file)) : [])
            {
                File.Delete(made);
            }
        }

        Assert.Matches(@"^\d+\.\d+\.\d+", version.Output);
        Assert.Matches("^A[A-Z0-9]{13}$", JsonDocument.Parse(created.Output).RootElement.GetProperty("merchantId").GetString());
        Assert.True(File.Exists(Path.Combine(home, ".dotnet", "tools", "tillpoint")), "installed in the home given, not the machine's");
    }

    /// <summary>The <c>dotnet pack</c> and <c>dotnet tool</c> lines of the README's Getting started, without their comments.</summary>
    private static List<string> InstallCommands(string readme)
    {
        var start = readme.IndexOf("\n## Getting started", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has a Getting started section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return [.. (end < 0 ? readme[start..] : readme[start..end]).Split('\n')
            .Select(line => TrailingComment().Replace(line, string.Empty).Trim())
            .Where(line => line.StartsWith("dotnet pack ", StringComparison.Ordinal) || line.StartsWith("dotnet tool ", StringComparison.Ordinal))];
    }

    [GeneratedRegex(@"\s+#.*$")]
    private static partial Regex TrailingComment();

    private static async Task<(int Exit, string Output, string Error)> RunAsync(
        string fileName, string[] arguments, string workingDirectory, Dictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // A build started from a test must not leave MSBuild or compiler servers behind holding its output open, nor
        // inherit the test host's MSBuild.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var inherited in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(inherited);
        }

        WithoutTillpointVariables(start);

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Only the command line says where the state is: not a TILLPOINT_STORE the machine running the tests has set.</summary>
    private static void WithoutTillpointVariables(ProcessStartInfo start)
    {
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("TILLPOINT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
    }

    private static async Task<string> StopAndReadAsync(Process process, Task<string> error)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        return await error;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
