using System.Net;
using Tillpoint.Server.Tests.Api.Recurring;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Dashboard;

/// <summary>
/// An agreement's page (Recurring, PaymentMethodOnFile) shows its cap per calendar month and what is left of it this
/// month, where a one-time permission's page shows its total limit and balance.
/// </summary>
public sealed class DashboardAgreementTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Fact]
    public async Task ARecurringPermissionsPage_ShowsTheMonthlyCap_AndWhatIsLeftOfItThisMonth()
    {
        using var client = Host.Client(Merchant);
        var completed = await Agreements.CompletedAsync(Host, client, Merchant, "Recurring", "AuthorizeWithCapture", Agreements.Monthly);
        await Agreements.ChargeAsync(client, completed.ChargePermissionId!, "100.00", "CITU");
        using var dashboard = await DashboardClient.SignedInAsync(Host);

        var (status, page) = await dashboard.GetAsync($"/dashboard/charge-permissions/{Merchant.MerchantId}/{completed.ChargePermissionId}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Monthly cap", page, StringComparison.Ordinal);
        // USD 1,000 a month, less the first period (14.00) and the charge of 100.00.
        Assert.Contains("<span id=\"amount-left-this-month\">", page, StringComparison.Ordinal);
        Assert.Contains("886.00", page, StringComparison.Ordinal);
        Assert.DoesNotContain("amount-balance", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Amount limit", page, StringComparison.Ordinal);
    }
}
