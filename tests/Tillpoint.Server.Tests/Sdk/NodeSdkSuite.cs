using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Tillpoint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Sdk;

/// <summary>
/// Runs test files of tests/sdk-node (the official Amazon Pay Node SDK, pinned and unchanged) against a running
/// server, with the merchant's keys and the server's address in the environment the suites read (see support.mjs).
/// </summary>
internal static partial class NodeSdkSuite
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs <paramref name="files"/> with Node's test runner and requires every test to pass and at least
    /// <paramref name="expectedPassCount"/> of them to have run, so a suite that silently runs fewer tests fails too.
    /// <paramref name="environment"/> adds variables a suite needs beyond the common ones.
    /// </summary>
    public static async Task RunAsync(
        ITestOutputHelper output,
        TillpointHost host,
        TestMerchant merchant,
        IReadOnlyList<string> files,
        int expectedPassCount,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var suite = Path.Combine(TestRepository.Root, "tests", "sdk-node");
        // Node and the SDK are required, locally as in CI: `npm ci --prefix tests/sdk-node` installs the pinned SDK.
        Assert.True(Directory.Exists(Path.Combine(suite, "node_modules", "@amazonpay", "amazon-pay-api-sdk-nodejs")),
            "The official Node SDK is not installed: run `npm ci --prefix tests/sdk-node` (Node 20 or later).");

        var start = new ProcessStartInfo("node", ["--test", "--test-reporter=spec", .. files])
        {
            WorkingDirectory = suite,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TILLPOINT_HOST"] = host.HttpsBase.Authority;
        start.Environment["TILLPOINT_PUBLIC_KEY_ID"] = merchant.SandboxKeyId;
        start.Environment["TILLPOINT_PLAIN_PUBLIC_KEY_ID"] = merchant.PlainKeyId;
        start.Environment["TILLPOINT_PRIVATE_KEY_PATH"] = merchant.PrivateKeyPath;
        start.Environment["TILLPOINT_STORE_ID"] = merchant.StoreId;
        // Suites move the sandbox clock through /operator/clock/advance on the same HTTPS base.
        start.Environment["TILLPOINT_OPERATOR_TOKEN"] = TillpointHost.OperatorToken;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        // The SDK signs with the real time; the server must check it against the real time too.
        host.SignatureClock.Set(DateTimeOffset.UtcNow);
        foreach (var proxy in new[] { "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy" })
        {
            start.Environment.Remove(proxy);
        }

        using var node = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        await node.WaitForExitAsync(cancel.Token);
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);

        Assert.True(node.ExitCode == 0, $"The Node SDK suite failed (exit {node.ExitCode}):\n{await stdout}\n{await stderr}");
        // The spec reporter closes with counts; a suite that ran fewer tests than it has must not pass.
        var passed = PassCount().Match(await stdout);
        Assert.True(
            passed.Success && int.Parse(passed.Groups[1].Value, CultureInfo.InvariantCulture) >= expectedPassCount,
            $"Expected at least {expectedPassCount} passing Node SDK tests:\n{await stdout}");
        Assert.Contains("ℹ fail 0", await stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"ℹ pass (\d+)")]
    private static partial Regex PassCount();
}
