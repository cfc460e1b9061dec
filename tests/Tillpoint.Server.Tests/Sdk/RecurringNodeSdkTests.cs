using Tillpoint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Sdk;

/// <summary>
/// The official Node SDK through Recurring and PaymentMethodOnFile checkouts (recurring.test.mjs): the terms on the wire,
/// a charge each cycle on the advanced sandbox clock, the monthly cap, ad-hoc saved-wallet charges, the buyer closing.
/// </summary>
public sealed class RecurringNodeSdkTests(ITestOutputHelper output)
{
    /// <summary>Every test of recurring.test.mjs.</summary>
    private const int ExpectedPassCount = 5;

    [Fact]
    public async Task OfficialNodeSdk_RunsRecurringAndSavedWalletCheckouts()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();

        await NodeSdkSuite.RunAsync(output, host, merchant, ["recurring.test.mjs"], ExpectedPassCount);
    }
}
