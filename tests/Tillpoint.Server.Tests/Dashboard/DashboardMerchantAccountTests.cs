using System.Net;
using Tillpoint.Server.Tests.Support;
using static Tillpoint.Server.Tests.Api.Accounts.Partners;

namespace Tillpoint.Server.Tests.Dashboard;

/// <summary>The merchants page shows who made a merchant account and its claim state; in-store permissions say where they came from.</summary>
public sealed class DashboardMerchantAccountTests
{
    [Fact]
    public async Task MerchantsPage_ShowsWhoMadeEachAccount_HowAndItsClaimState()
    {
        await using var host = await TillpointHost.StartAsync();
        var partner = await CreateAsync(host);
        using var client = host.Client(partner);
        var registered = Json(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register("REF-REGISTERED")))).GetProperty("merchantAccountId").GetString()!;
        var created = Json(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail("REF-CREATED")))).GetProperty("merchantAccountId").GetString()!;
        var claim = await client.SendAsync(HttpMethod.Post, $"merchantAccounts/{created}/claim", Utf8("{\"uniqueReferenceId\":\"REF-CREATED\"}"));
        using var dashboard = await DashboardClient.SignedInAsync(host);

        var (status, page) = await dashboard.GetAsync("/dashboard/merchants");

        Assert.True(claim.StatusCode is 200 or 303, $"the claim answered {claim.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"id=\"accounts-{partner.MerchantId}\"", page, StringComparison.Ordinal);
        Assert.Contains("REF-REGISTERED", page, StringComparison.Ordinal);
        Assert.Contains($"<a class=\"id\" href=\"#merchant-{partner.MerchantId}\">{partner.MerchantId}</a>", page, StringComparison.Ordinal);
        Assert.Contains($"<span id=\"account-state-{registered}\"><span class=\"badge badge-active\">Active</span>", page, StringComparison.Ordinal);
        Assert.Contains($"<span id=\"account-state-{created}\"><span class=\"badge badge-claimed\">Claimed</span>", page, StringComparison.Ordinal);
        Assert.Contains("Create Merchant Account (loginable, claimable)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MerchantsPage_ListsTheStoresMadeForAnAccount()
    {
        await using var host = await TillpointHost.StartAsync();
        var partner = await CreateAsync(host);
        using var client = host.Client(partner);
        var created = Json(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail("REF-STORES"))));
        var id = created.GetProperty("merchantAccountId").GetString()!;
        var store = (await client.CreateStoreAsync(
            id,
            new Protocol.Json.StoreRequest { StoreName = "Rufus <Tea> Room", AllowedOriginDomains = ["https://rufus.example"], AllowedRedirectUrls = ["https://rufus.example/review"] },
            created.GetProperty("authorizationToken").GetString()!)).Value;
        using var dashboard = await DashboardClient.SignedInAsync(host);

        var (status, page) = await dashboard.GetAsync("/dashboard/merchants");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"id=\"stores-{id}\"", page, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"id\">{store.StoreId}</span>", page, StringComparison.Ordinal);
        Assert.Contains("Rufus &lt;Tea&gt; Room", page, StringComparison.Ordinal);
        Assert.Contains("https://rufus.example/review", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"stores-{partner.MerchantId}\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InStorePermission_SaysItCameFromAScan_AndItsChargeIsListedWithTheOthers()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var scan = Json(await client.SendAsync(HttpMethod.Post, "in-store/merchantScan", Utf8(
            """{"scanData":"UKhrmatMeKdlfY6b","scanReferenceId":"0b8fb2712ae249a5b35d4","merchantCOE":"US","ledgerCurrency":"USD"}""")));
        var permissionId = scan.GetProperty("chargePermissionId").GetString()!;
        var charge = Json(await client.SendAsync(HttpMethod.Post, "in-store/charge", Utf8(
            $$$"""{"chargePermissionId":"{{{permissionId}}}","chargeReferenceId":"c1","chargeTotal":{"currencyCode":"USD","amount":2} }""")));
        using var dashboard = await DashboardClient.SignedInAsync(host);

        var (_, detail) = await dashboard.GetAsync($"/dashboard/charge-permissions/{merchant.MerchantId}/{permissionId}");
        var (_, charges) = await dashboard.GetAsync($"/dashboard/charges?merchant={merchant.MerchantId}");

        Assert.Contains("In-store scan", detail, StringComparison.Ordinal);
        Assert.Contains(charge.GetProperty("chargeId").GetString()!, charges, StringComparison.Ordinal);
    }
}
