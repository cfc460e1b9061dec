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
    /// <summary>
    /// Every test and step of checkout-flow.test.mjs (49), lifecycle.test.mjs (49) and signin.test.mjs (27) with the
    /// plain key id set: all must pass, so a suite that silently runs fewer tests fails too.
    /// </summary>
    private const int ExpectedPassCount = 125;

    [Fact]
    public async Task OfficialNodeSdk_RunsTheCheckoutFlowAndLifecycle()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        await NodeSdkSuite.RunAsync(
            output, host, merchant, ["checkout-flow.test.mjs", "lifecycle.test.mjs", "signin.test.mjs"], ExpectedPassCount);
    }
}
