using System.Net;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Domain;
using Tillpoint.Domain.MerchantAccounts;
using Tillpoint.Server.Tests.Support;
using static Tillpoint.Server.Tests.Api.Accounts.Partners;
using static Tillpoint.Server.Tests.Ipn.IpnTestSupport;

namespace Tillpoint.Server.Tests.Api.Accounts;

/// <summary>
/// The IPN endpoint URLs an account is made with become its merchant's endpoints, and an update replaces them; the
/// operator's per-partner routing fixes the generation a partner's requests are served as.
/// </summary>
public sealed class AccountIpnAndRoutingTests
{
    private static string Reference() => "ref-" + Guid.NewGuid().ToString("N");

    private static string WithIpn(string reference, params string[] urls) =>
        Register(reference, $",\"integrationInfo\":{{\"ipnEndpointUrls\":[{string.Join(',', urls.Select(u => $"\"{u}\""))}]}}")
            .Replace("{\"businessType\"", "{\"email\":\"rufus@abc.com\",\"businessType\"", StringComparison.Ordinal);

    private static IReadOnlyList<string> Endpoints(TillpointHost host, string merchantId) =>
        [.. host.Store.Read(r => r.ListIpnEndpoints(merchantId, ReleaseEnvironment.Sandbox)).Select(e => e.Url)];

    [Fact]
    public async Task AnIpnUrlGivenAtCreation_ReceivesTheNewMerchantsNotifications()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        await using var host = await TillpointHost.StartAsync(Fast());
        var partner = await CreateAsync(host);
        using var client = host.Client(partner);

        var created = await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(WithIpn(Reference(), receiver.Url)));

        AssertStatus(created, HttpStatusCode.Created);
        var id = Json(created).GetProperty("merchantAccountId").GetString()!;
        Assert.Equal([receiver.Url], Endpoints(host, id));
        var merchant = await AccountMerchantAsync(host, id);
        using var own = host.Client(merchant);
        // The account was registered with a JPY ledger, so its merchant is a JP one and pays in yen.
        var permissionId = await Payments.ChargePermissionAsync(host, own, merchant, "1000", "JPY");
        var received = await receiver.NextAsync();
        using var verifier = await VerifierAsync(host);
        var message = (await verifier.VerifyAsync(received.Body)).Message;
        Assert.Equal((id, permissionId), (message.MerchantID, message.ChargePermissionId));
    }

    [Fact]
    public async Task AnUpdateWithOtherUrls_ReplacesThoseGiven_AndLeavesTheOperatorsOwn()
    {
        await using var host = await TillpointHost.StartAsync();
        var partner = await CreateAsync(host);
        using var client = host.Client(partner);
        var created = Json(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(WithIpn(Reference(), "https://a.example/ipn", "https://b.example/ipn"))));
        var id = created.GetProperty("merchantAccountId").GetString()!;
        var (added, _, error) = await host.CliAsync("ipn", "add", "--merchant", id, "--environment", "sandbox", "--url", "https://operator.example/ipn");
        Assert.True(added == 0, error);

        var updated = await client.SendAsync(
            HttpMethod.Patch, $"merchantAccounts/{id}", Utf8("""{"integrationInfo":{"ipnEndpointUrls":["https://b.example/ipn","https://c.example/ipn"]}}"""),
            new RequestOptions { ExtraHeaders = new Dictionary<string, string> { ["x-amz-pay-authtoken"] = created.GetProperty("authorizationToken").GetString()! } });

        AssertStatus(updated, HttpStatusCode.OK);
        Assert.Equal(["https://b.example/ipn", "https://c.example/ipn", "https://operator.example/ipn"], Endpoints(host, id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("a private address", "https://10.0.0.1/ipn")]
    [InlineData("plain http", "http://shop.example/ipn")]
    [InlineData("not a URL", "ipn")]
    [InlineData("empty", "")]
    public async Task AnIpnUrlTheServerWouldNotSendTo_IsRefused_AndMakesNoAccount(string why, string url)
    {
        await using var host = await TillpointHost.StartAsync();
        var partner = await CreateAsync(host);
        using var client = host.Client(partner);
        var merchants = host.Store.Read(r => r.ListMerchants()).Count;

        var response = await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(WithIpn(Reference(), url)));

        AssertError(response, 400, url.Length == 0 ? "MissingParameterValue" : "InvalidParameterValue", why);
        Assert.Contains("integrationInfo.ipnEndpointUrls[0]", Json(response).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(merchants, host.Store.Read(r => r.ListMerchants()).Count);
    }

    [Fact]
    public async Task MoreThanTenIpnUrls_AreRefused()
    {
        await using var host = await TillpointHost.StartAsync();
        var partner = await CreateAsync(host);
        using var client = host.Client(partner);

        var response = await client.SendAsync(
            HttpMethod.Post, "merchantAccounts", Utf8(WithIpn(Reference(), [.. Enumerable.Range(0, 11).Select(i => $"https://s{i}.example/ipn")])));

        AssertError(response, 400, "InvalidParameterValue", "eleven URLs");
    }

    [Fact]
    public async Task ThePartnersRouting_FixesTheGeneration_OfPostAndPatch_UntilSetBackToAuto()
    {
        await using var host = await TillpointHost.StartAsync();
        var partner = await CreateAsync(host);
        using var client = host.Client(partner);
        var token = new RequestOptions { ExtraHeaders = new Dictionary<string, string> { ["x-amz-pay-authtoken"] = "x" } };
        var created = Json(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail(Reference()))));
        var id = created.GetProperty("merchantAccountId").GetString()!;

        // register: a body only Create sends still registers, and a PATCH with a token is Update Amazon Pay Account.
        Assert.Equal(0, (await host.CliAsync("merchants", "set-account-api", "--merchant", partner.MerchantId, "--flavour", "register")).ExitCode);
        var registered = await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail(Reference())));
        AssertStatus(registered, HttpStatusCode.Created);
        Assert.Equal(["uniqueReferenceId", "merchantAccountId"], Json(registered).EnumerateObject().Select(p => p.Name));
        Assert.Equal(MerchantAccountKind.AmazonPayAccount, host.Store.Read(r => r.GetMerchantAccount(partner.MerchantId, Json(registered).GetProperty("merchantAccountId").GetString()!))!.Kind);
        AssertStatus(await client.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}", Utf8("""{"businessInfo":{"businessDisplayName":"R"}}"""), token), HttpStatusCode.NoContent);

        // create: a body without a create field is a create (so it needs the e-mail), and a PATCH needs the token.
        Assert.Equal(0, (await host.CliAsync("merchants", "set-account-api", "--merchant", partner.MerchantId, "--flavour", "create")).ExitCode);
        AssertError(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register(Reference()))), 400, "MissingParameterValue", "create without e-mail");
        AssertStatus(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail(Reference()))), HttpStatusCode.Created);
        AssertError(await client.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}", Utf8("{}")), 400, "MissingHeader", "update without token");
        AssertError(await client.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}", Utf8("{}"), token), 401, "UnauthorizedAccess", "update with a wrong token");

        var listed = JsonDocument.Parse((await host.CliAsync("merchants", "list", "--json")).Output).RootElement.EnumerateArray()
            .Single(m => m.GetProperty("merchantId").GetString() == partner.MerchantId);
        Assert.Equal("create", listed.GetProperty("accountApi").GetString());

        // auto: the body and the token decide again; another partner was never affected.
        Assert.Equal(0, (await host.CliAsync("merchants", "set-account-api", "--merchant", partner.MerchantId, "--flavour", "auto")).ExitCode);
        AssertStatus(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register(Reference()))), HttpStatusCode.Created);
        AssertStatus(await client.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}", Utf8("{}")), HttpStatusCode.NoContent);
        Assert.Null(host.Store.Read(r => r.GetSetting("merchant-account-api." + partner.MerchantId)));
    }

    [Fact]
    public async Task SetAccountApi_RefusesAnUnknownFlavourOrMerchant_WithOneLine()
    {
        await using var host = await TillpointHost.StartAsync();
        var partner = await CreateAsync(host);

        var badFlavour = await host.CliAsync("merchants", "set-account-api", "--merchant", partner.MerchantId, "--flavour", "both");
        var unknown = await host.CliAsync("merchants", "set-account-api", "--merchant", "ANOSUCHMERCHANT", "--flavour", "create");
        var shown = await host.CliAsync("merchants", "set-account-api", "--merchant", partner.MerchantId, "--flavour", "CREATE", "--json");

        Assert.Equal(2, badFlavour.ExitCode);
        Assert.Contains("--flavour must be auto, register or create, not 'both'", badFlavour.Error, StringComparison.Ordinal);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Single(unknown.Error.Trim().Split('\n'));
        Assert.Equal(0, shown.ExitCode);
        Assert.Equal("create", JsonDocument.Parse(shown.Output).RootElement.GetProperty("accountApi").GetString());
    }
}
