using System.Net;
using Tillpoint.Domain;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Dashboard;

/// <summary>The dashboard's reports (on the merchants page): request one, see it listed, download its document.</summary>
public sealed class DashboardReportsTests
{
    private const string SandboxSettlement = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_";

    [Fact]
    public async Task RequestReport_IsListed_ThenCompleted_AndItsDocumentDownloads()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(host, client, merchant, "12.00", "report-dashboard");
        host.Clock.Advance(TimeSpan.FromDays(1));
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var (_, merchants) = await dashboard.GetAsync("/dashboard/merchants");

        using var requested = await dashboard.PostAsync(
            $"/dashboard/merchants/{merchant.MerchantId}/reports", DashboardClient.Token(merchants),
            ("environment", "Sandbox"), ("reportType", SandboxSettlement), ("from", "2026-11-27"), ("to", "2026-11-28"));
        var (_, pending) = await dashboard.GetAsync("/dashboard/merchants?done=report-requested");
        await host.AdvanceSandboxAsync(TimeSpan.FromSeconds(10));
        var (_, done) = await dashboard.GetAsync("/dashboard/merchants");
        var documentId = host.Store.Read(reader => reader.GetReportPage(new ReportPageQuery(
            merchant.MerchantId, ReleaseEnvironment.Sandbox, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddYears(-1), null, 1)))[0].ReportDocumentId!;
        using var download = await dashboard.GetResponseAsync($"/dashboard/merchants/{merchant.MerchantId}/reports/Sandbox/{documentId}");
        var csv = await download.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.SeeOther, requested.StatusCode);
        Assert.Contains("The report was requested", pending, StringComparison.Ordinal);
        Assert.Contains("IN_PROGRESS", pending, StringComparison.Ordinal);
        Assert.Contains("COMPLETED", done, StringComparison.Ordinal);
        Assert.Contains("Download CSV", done, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
        Assert.Contains(charge.ChargeId!, csv, StringComparison.Ordinal);
        Assert.Contains(",Authorization,", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sandbox", "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SETTLEMENT_DATA_", "2026-11-20", "2026-11-21", "cannot be requested")]
    [InlineData("Sandbox", SandboxSettlement, "2026-11-20", "2026-12-20", "in the future")]
    [InlineData("Staging", SandboxSettlement, "2026-11-20", "2026-11-21", "choose the environment and both dates")]
    [InlineData("Live", SandboxSettlement, "", "2026-11-21", "choose the environment and both dates")]
    public async Task RequestReport_Refused_SaysWhy_AndStoresNothing(string environment, string type, string from, string to, string why)
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var (_, merchants) = await dashboard.GetAsync("/dashboard/merchants");

        using var refused = await dashboard.PostAsync(
            $"/dashboard/merchants/{merchant.MerchantId}/reports", DashboardClient.Token(merchants),
            ("environment", environment), ("reportType", type), ("from", from), ("to", to));
        var page = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(why, page, StringComparison.Ordinal);
        Assert.Empty(host.Store.Read(reader => reader.GetReportPage(new ReportPageQuery(
            merchant.MerchantId, ReleaseEnvironment.Sandbox, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddYears(-1), null, 1))));
    }

    [Fact]
    public async Task Download_OfAnUnknownDocument_IsNotFound()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var response = await dashboard.GetResponseAsync($"/dashboard/merchants/{merchant.MerchantId}/reports/Sandbox/amzn1.tortuga.0.x.1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
