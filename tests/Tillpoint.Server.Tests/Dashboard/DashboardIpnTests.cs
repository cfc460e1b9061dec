using System.Net;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;
using static Tillpoint.Server.Tests.Ipn.IpnTestSupport;

namespace Tillpoint.Server.Tests.Dashboard;

/// <summary>The dashboard's IPN endpoints (on the merchants page) and the delivery log with redelivery.</summary>
public sealed class DashboardIpnTests
{
    [Fact]
    public async Task AddEndpoint_FromTheMerchantsPage_IsListedAndReceivesTheNextNotification()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var (_, merchants) = await dashboard.GetAsync("/dashboard/merchants");

        using var added = await dashboard.PostAsync(
            $"/dashboard/merchants/{merchant.MerchantId}/ipn-endpoints", DashboardClient.Token(merchants), ("environment", "Sandbox"), ("url", receiver.Url));
        var (_, after) = await dashboard.GetAsync("/dashboard/merchants?done=ipn-added");
        using var client = host.Client(merchant);
        await DashboardData.AuthorizedChargeAsync(host, client, merchant, "10.00", "ipn-dashboard");
        var first = await receiver.NextAsync();

        Assert.Equal(HttpStatusCode.SeeOther, added.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(receiver.Url), after, StringComparison.Ordinal);
        Assert.Contains("The IPN endpoint was added", after, StringComparison.Ordinal);
        Assert.Equal("POST", first.Method);
        Assert.Single(host.Store.Read(reader => reader.ListIpnEndpoints(merchant.MerchantId, null)));
    }

    [Theory]
    [InlineData("Sandbox", "http://shop.example.com/ipn", "plain HTTP is allowed only")]
    [InlineData("Sandbox", "https://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address")]
    [InlineData("Live", "https://10.1.2.3/ipn", "10.1.2.3 is a private address")]
    [InlineData("Sandbox", "not a url", "is not an absolute URL")]
    [InlineData("Staging", "https://shop.example.com/ipn", "must be Sandbox or Live")]
    [InlineData("Sandbox", "", "at most 2048 characters")]
    public async Task AddEndpoint_ThatIsNotAllowed_IsRefusedWithTheReason_AndStoresNothing(string environment, string url, string reason)
    {
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var (_, merchants) = await dashboard.GetAsync("/dashboard/merchants");

        using var refused = await dashboard.PostAsync(
            $"/dashboard/merchants/{merchant.MerchantId}/ipn-endpoints", DashboardClient.Token(merchants), ("environment", environment), ("url", url));
        var page = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(reason), page, StringComparison.Ordinal);
        Assert.Empty(host.Store.Read(reader => reader.ListIpnEndpoints(merchant.MerchantId, null)));
    }

    [Fact]
    public async Task AddEndpoint_ForAnUnknownMerchant_IsRefused()
    {
        await using var host = await TillpointHost.StartAsync(Fast());
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var (_, merchants) = await dashboard.GetAsync("/dashboard/merchants");

        using var refused = await dashboard.PostAsync(
            "/dashboard/merchants/ANOBODY/ipn-endpoints", DashboardClient.Token(merchants), ("environment", "Sandbox"), ("url", "https://shop.example.com/ipn"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("ANOBODY", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveEndpoint_Confirmed_RemovesOnlyThatEndpoint()
    {
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();
        await AddEndpointAsync(host, merchant, "https://shop.example.com/ipn", "sandbox");
        await AddEndpointAsync(host, merchant, "https://shop.example.com/ipn", "live");
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var removed = await dashboard.ConfirmAsync(
            $"/dashboard/merchants/{merchant.MerchantId}/ipn-endpoints/remove?environment=Live&url={Uri.EscapeDataString("https://shop.example.com/ipn")}");
        var (missing, _) = await dashboard.GetAsync(
            $"/dashboard/merchants/{merchant.MerchantId}/ipn-endpoints/remove?environment=Live&url={Uri.EscapeDataString("https://shop.example.com/ipn")}");

        Assert.Equal(HttpStatusCode.SeeOther, removed.StatusCode);
        var left = Assert.Single(host.Store.Read(reader => reader.ListIpnEndpoints(merchant.MerchantId, null)));
        Assert.Equal(Domain.ReleaseEnvironment.Sandbox, left.Environment);
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task DeliveryLog_ShowsAFailedDeliveryWithItsAttempts_AndRedeliverSendsItAgain()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        await using var host = await TillpointHost.StartAsync(Fast(maxAttempts: 1));
        var merchant = await host.CreateMerchantAsync();
        await AddEndpointAsync(host, merchant, receiver.Url);
        // One delivery (whichever arrives first) is answered 500 and, with a single attempt allowed, fails.
        receiver.Script(500);
        using var client = host.Client(merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(host, client, merchant, "10.00", "ipn-log");
        var delivery = await WaitForFailedAsync(host, merchant);
        using var dashboard = await DashboardClient.SignedInAsync(host);

        var (listStatus, list) = await dashboard.GetAsync($"/dashboard/ipn?merchant={merchant.MerchantId}&state=Failed");
        var (detailStatus, detail) = await dashboard.GetAsync($"/dashboard/ipn/{delivery.DeliveryId}");
        using var redelivered = await dashboard.ConfirmAsync($"/dashboard/ipn/{delivery.DeliveryId}/redeliver");
        var done = await WaitForDeliveryAsync(host, delivery.NotificationId, d => d.State == IpnDeliveryState.Delivered);

        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Contains(delivery.DeliveryId, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, detailStatus);
        Assert.Contains(delivery.NotificationId, detail, StringComparison.Ordinal);
        Assert.Contains("HttpError", detail, StringComparison.Ordinal);
        Assert.Contains("Redeliver…", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, redelivered.StatusCode);
        Assert.Equal(2, done.Series);
        Assert.NotNull(charge.ChargeId);
    }

    [Theory]
    [InlineData("state=Lost", "is not a delivery state")]
    [InlineData("environment=Staging", "must be Sandbox or Live")]
    [InlineData("before=abc", "The page link is not valid")]
    public async Task DeliveryLog_WithABadFilter_SaysWhatIsWrong(string query, string message)
    {
        await using var host = await TillpointHost.StartAsync(Fast());
        using var dashboard = await DashboardClient.SignedInAsync(host);

        var (status, page) = await dashboard.GetAsync($"/dashboard/ipn?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_OfAnUnknownId_IsNotFound()
    {
        await using var host = await TillpointHost.StartAsync(Fast());
        using var dashboard = await DashboardClient.SignedInAsync(host);

        var (status, _) = await dashboard.GetAsync("/dashboard/ipn/nope");
        var (confirmStatus, _) = await dashboard.GetAsync("/dashboard/ipn/nope/redeliver");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(HttpStatusCode.NotFound, confirmStatus);
    }

    private static async Task<IpnDelivery> WaitForFailedAsync(TillpointHost host, TestMerchant merchant)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var failed = host.Store.Read(reader => reader.ListIpnDeliveries(new IpnDeliveryQuery(MerchantId: merchant.MerchantId, State: IpnDeliveryState.Failed)));
            if (failed.Count > 0)
            {
                return failed[^1];
            }

            Assert.True(waited.Elapsed < IpnReceiver.WaitLimit, "no delivery failed in time");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
