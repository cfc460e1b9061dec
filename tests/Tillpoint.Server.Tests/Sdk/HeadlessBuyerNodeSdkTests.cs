using Tillpoint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Sdk;

/// <summary>
/// The whole checkout with the official Node SDK for the merchant and the headless buyer's operator calls for the buyer
/// (headless-buyer.test.mjs), for every outcome of the sandbox instruments.
/// </summary>
public sealed class HeadlessBuyerNodeSdkTests(ITestOutputHelper output)
{
    /// <summary>Every test of headless-buyer.test.mjs: seven instrument outcomes, the soft decline, a choice, cancel, refusals.</summary>
    private const int ExpectedPassCount = 11;

    [Fact]
    public async Task OfficialNodeSdk_ChecksOutWithTheHeadlessBuyer_ForEveryInstrumentOutcome()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        await NodeSdkSuite.RunAsync(output, host, merchant, ["headless-buyer.test.mjs"], ExpectedPassCount);
    }
}
