using System.Diagnostics;
using Tillpoint.Server.Tests.Signing;
using Tillpoint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Sdk;

/// <summary>
/// The official Amazon Pay Node SDK, pinned in tests/sdk-node, runs the checkout flow, the payment lifecycle
/// (charges, captures, refunds, simulation codes, Finalize) and Sign in with Amazon Pay (button signature, hosted
/// sign-in, Get Buyer) against a real server over HTTPS. It is an independent client: it signs and parses exactly as
/// merchants' code does.
/// </summary>
public sealed class OfficialNodeSdkTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Every test and step of checkout-flow.test.mjs (49), lifecycle.test.mjs (49) and signin.test.mjs (27) with the
    /// plain key id set: all must pass, so a suite that silently runs fewer tests fails too.
    /// </summary>
    private const int ExpectedPassCount = 125;

    [Fact]
    public async Task OfficialNodeSdk_RunsTheCheckoutFlowAndLifecycle()
    {
        var suite = Path.Combine(SignatureTests.RepositoryRoot(), "tests", "sdk-node");
        // Node and the SDK are required, locally as in CI: `npm ci --prefix tests/sdk-node` installs the pinned SDK.
        Assert.True(Directory.Exists(Path.Combine(suite, "node_modules", "@amazonpay", "amazon-pay-api-sdk-nodejs")),
            "The official Node SDK is not installed: run `npm ci --prefix tests/sdk-node` (Node 20 or later).");
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();

        var start = new ProcessStartInfo("node", ["--test", "--test-reporter=spec", "checkout-flow.test.mjs", "lifecycle.test.mjs", "signin.test.mjs"])
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
        // The lifecycle suite moves the sandbox clock through /operator/clock/advance on the same HTTPS base.
        start.Environment["TILLPOINT_OPERATOR_TOKEN"] = TillpointHost.OperatorToken;
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
        var passed = System.Text.RegularExpressions.Regex.Match(await stdout, @"ℹ pass (\d+)");
        Assert.True(
            passed.Success && int.Parse(passed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= ExpectedPassCount,
            $"Expected at least {ExpectedPassCount} passing Node SDK tests:\n{await stdout}");
        Assert.Contains("ℹ fail 0", await stdout, StringComparison.Ordinal);
    }
}
