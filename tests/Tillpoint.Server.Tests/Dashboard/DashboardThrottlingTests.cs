using System.Net;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Server.Tests.Throttling;
using Tillpoint.Server.Throttling;

namespace Tillpoint.Server.Tests.Dashboard;

/// <summary>A merchant's throttling on the dashboard's merchants page: the same choice as <c>merchants set-throttling</c>.</summary>
public sealed class DashboardThrottlingTests
{
    private static async Task<HttpResponseMessage> SetAsync(DashboardClient dashboard, string merchantId, string throttling)
    {
        var (_, merchants) = await dashboard.GetAsync("/dashboard/merchants");
        return await dashboard.PostAsync($"/dashboard/merchants/{merchantId}/throttling", DashboardClient.Token(merchants), ("throttling", throttling));
    }

    [Fact]
    public async Task SetThrottling_FromTheMerchantsPage_IsShown_AndThrottlesTheMerchantsRequests()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var (_, before) = await dashboard.GetAsync("/dashboard/merchants");

        using var set = await SetAsync(dashboard, merchant.MerchantId, "amazon");
        var (_, after) = await dashboard.GetAsync("/dashboard/merchants?done=throttling-set");
        var chosen = host.Store.Read(reader => ThrottlingSettings.Of(reader, merchant.MerchantId));
        var last = 0;
        for (var attempt = 0; attempt < 40 && last != 429; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            for (var i = 0; i < 11; i++)
            {
                last = await Signed.GetUnknownSessionAsync(host, merchant);
            }
        }

        Assert.Contains("<option value=\"default\" selected>", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, set.StatusCode);
        Assert.Contains("The throttling was set", after, StringComparison.Ordinal);
        Assert.Contains("<option value=\"amazon\" selected>", after, StringComparison.Ordinal);
        Assert.Equal(MerchantThrottling.Amazon, chosen);
        Assert.Equal(429, last);
    }

    [Theory]
    [InlineData("sometimes", "the throttling must be default, amazon or off")]
    [InlineData("", "the throttling must be default, amazon or off")]
    public async Task ABadChoice_IsRefusedWithTheReason_AndChangesNothing(string throttling, string reason)
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var refused = await SetAsync(dashboard, merchant.MerchantId, throttling);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(reason, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Store.Read(reader => reader.GetSettings(ThrottlingSettings.Prefix)));
    }

    [Fact]
    public async Task AnUnknownMerchant_IsRefused_AndNothingIsStored()
    {
        await using var host = await TillpointHost.StartAsync();
        await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var refused = await SetAsync(dashboard, "ANOSUCHMERCHANT", "amazon");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("there is no merchant", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Store.Read(reader => reader.GetSettings(ThrottlingSettings.Prefix)));
    }
}
