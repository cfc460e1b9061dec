using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Dashboard;

/// <summary>The merchants page names each merchant's Amazon Pay region, as <c>merchants list</c> does.</summary>
public sealed class DashboardRegionTests
{
    [Fact]
    public async Task TheMerchantsPage_ShowsEachMerchantsRegion_AndItsLedgerCurrency()
    {
        await using var host = await TillpointHost.StartAsync();
        await host.CreateMerchantAsync();
        await host.CreateMerchantAsync("jp");
        using var dashboard = await DashboardClient.SignedInAsync(host);

        var (_, merchants) = await dashboard.GetAsync("/dashboard/merchants");

        Assert.Contains("NA (ledger currency USD)", merchants, StringComparison.Ordinal);
        Assert.Contains("JP (ledger currency JPY)", merchants, StringComparison.Ordinal);
    }
}
