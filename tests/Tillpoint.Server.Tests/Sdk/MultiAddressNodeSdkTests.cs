using Tillpoint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Sdk;

/// <summary>
/// The official Node SDK through a PayAndShipMultiAddress checkout (multi-address.test.mjs): the SDK parses the
/// addresses of shippingAddressList, the merchant's split adds up to chargeAmount, one charge for the total.
/// </summary>
public sealed class MultiAddressNodeSdkTests(ITestOutputHelper output)
{
    /// <summary>Every test of multi-address.test.mjs.</summary>
    private const int ExpectedPassCount = 2;

    [Fact]
    public async Task OfficialNodeSdk_RunsAMultiAddressCheckout()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();

        await NodeSdkSuite.RunAsync(output, host, merchant, ["multi-address.test.mjs"], ExpectedPassCount);
    }
}
