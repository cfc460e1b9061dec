using Tillpoint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Sdk;

/// <summary>
/// The official Node SDK's finalizeCheckoutSession after a Buy Now dialog: the SDK signs the button payload, the
/// dialog's calls record the cart, and Finalize is held to it and answers it as cartDetails.
/// </summary>
public sealed class BuyNowNodeSdkTests(ITestOutputHelper output)
{
    /// <summary>buynow.test.mjs: 1 test of 4 steps, each a subtest.</summary>
    private const int ExpectedPassCount = 5;

    [Fact]
    public async Task OfficialNodeSdk_FinalizesABuyNowCheckoutHeldToTheShownCart()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        await NodeSdkSuite.RunAsync(output, host, merchant, ["buynow.test.mjs"], ExpectedPassCount);
    }
}
