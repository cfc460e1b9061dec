using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Tillpoint.Bench;

/// <summary>The real <c>tillpoint</c> executable (as published for shipping) and the CLI verbs the bench needs.</summary>
internal sealed class TillpointBinary(string path, string repositoryRoot)
{
    public string Path => path;

    public string RepositoryRoot => repositoryRoot;

    /// <summary>
    /// Uses <c>--tillpoint</c>, or publishes src/Tillpoint.Server the way it ships (Release, ReadyToRun for this
    /// machine's runtime identifier; unless <c>--no-build</c>) and uses that.
    /// </summary>
    public static async Task<TillpointBinary> LocateAsync(BenchOptions options)
    {
        var root = FindRepositoryRoot();
        if (options.TillpointPath is { } given)
        {
            var full = System.IO.Path.GetFullPath(given);
            return File.Exists(full) ? new TillpointBinary(full, root) : throw new FileNotFoundException($"No tillpoint binary at {full}.");
        }

        var project = System.IO.Path.Combine(root, "src", "Tillpoint.Server", "Tillpoint.Server.csproj");
        var binary = PublishedPath(root);
        if (!options.NoBuild)
        {
            // The shipped form, not a plain build: precompiled code starts noticeably faster (docs/benchmarks.md).
            Console.Error.WriteLine($"Publishing tillpoint (Release, {RuntimeInformation.RuntimeIdentifier}, ReadyToRun)...");
            await RunAsync(
                "dotnet", ["publish", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-nologo", "-v", "quiet", project], TimeSpan.FromMinutes(15));
        }

        return File.Exists(binary)
            ? new TillpointBinary(binary, root)
            : throw new FileNotFoundException($"No published tillpoint at {binary}; publish it or pass --tillpoint.");
    }

    /// <summary>Where <c>dotnet publish -c Release -r RID</c> puts the executable.</summary>
    private static string PublishedPath(string repositoryRoot) => System.IO.Path.Combine(
        repositoryRoot, "src", "Tillpoint.Server", "bin", "Release", "net10.0", RuntimeInformation.RuntimeIdentifier, "publish", "tillpoint");

    /// <summary>Creates a merchant; <paramref name="store"/> adds <c>--store</c>/<c>--connection-string</c> to the data folder.</summary>
    public async Task<(string MerchantId, string StoreId)> CreateMerchantAsync(string dataDirectory, IReadOnlyList<string>? store = null)
    {
        var output = await RunAsync(path, ["merchants", "create", "--data-dir", dataDirectory, .. store ?? [], "--json"], TimeSpan.FromMinutes(1));
        using var json = JsonDocument.Parse(output);
        return (json.RootElement.GetProperty("merchantId").GetString()!, json.RootElement.GetProperty("storeId").GetString()!);
    }

    /// <summary>A sandbox key for the merchant; returns its id and the private key PEM.</summary>
    public async Task<(string PublicKeyId, string PrivateKeyPem)> CreateSandboxKeyAsync(
        string dataDirectory, string merchantId, string keyFile, IReadOnlyList<string>? store = null)
    {
        var output = await RunAsync(
            path,
            ["keys", "create", "--data-dir", dataDirectory, .. store ?? [], "--merchant", merchantId, "--environment", "sandbox", "--out", keyFile, "--json"],
            TimeSpan.FromMinutes(1));
        using var json = JsonDocument.Parse(output);
        var keyPath = json.RootElement.GetProperty("privateKeyPath").GetString()!;
        return (json.RootElement.GetProperty("publicKeyId").GetString()!, await File.ReadAllTextAsync(keyPath));
    }

    /// <summary>
    /// Starts <c>tillpoint serve</c> on loopback with an HTTPS and an HTTP port, in <paramref name="workingDirectory"/>
    /// (by default the folder that holds the data folder: small, like a service's working directory).
    /// </summary>
    public ServerProcess Serve(
        string dataDirectory, int httpsPort, int httpPort, string? workingDirectory = null, IReadOnlyList<string>? store = null) => ServerProcess.Start(
        path,
        ["serve", "--data-dir", dataDirectory, .. store ?? [], "--urls", $"https://127.0.0.1:{httpsPort};http://127.0.0.1:{httpPort}"],
        workingDirectory ?? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(dataDirectory))!);

    /// <summary>Runs a short command to completion and returns its standard output; throws when it fails.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} took longer than {timeout}.");
        }

        if (process.ExitCode != 0)
        {
            var message = new StringBuilder()
                .Append(fileName).Append(' ').AppendJoin(' ', info.ArgumentList)
                .Append(" exited with ").Append(process.ExitCode).AppendLine(":")
                .AppendLine(await output).Append(await error);
            throw new InvalidOperationException(message.ToString());
        }

        return await output;
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(directory.FullName, "Tillpoint.slnx")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("Run the bench from inside the Tillpoint repository (no Tillpoint.slnx found above it).");
    }
}
