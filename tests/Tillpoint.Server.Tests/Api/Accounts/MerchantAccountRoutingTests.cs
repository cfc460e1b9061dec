using System.Net;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Domain.MerchantAccounts;
using Tillpoint.Server.Tests.Support;
using static Tillpoint.Server.Tests.Api.Accounts.Partners;

namespace Tillpoint.Server.Tests.Api.Accounts;

/// <summary>
/// The two generations of the account APIs on one path (spec §3.1): what a POST body holds decides register or create,
/// the authorization token decides which update, on every path form.
/// </summary>
public sealed class MerchantAccountRoutingTests(PartnerFixture fixture) : IClassFixture<PartnerFixture>
{
    private static readonly Dictionary<string, string> Token = new(StringComparer.Ordinal) { ["x-amz-pay-authtoken"] = "x" };

    private TillpointHost Host => fixture.Host;

    private TestMerchant Partner => fixture.Partner;

    private static string Reference() => "ref-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Post_WithoutAnyCreateField_RegistersANonLoginableAccount_AnsweringExactlyTheTwoIds()
    {
        using var client = Host.Client(Partner);
        var reference = Reference();

        var response = await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register(reference)));

        AssertStatus(response, HttpStatusCode.Created);
        var body = Json(response);
        Assert.Equal(["uniqueReferenceId", "merchantAccountId"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(reference, body.GetProperty("uniqueReferenceId").GetString());
        var account = Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, body.GetProperty("merchantAccountId").GetString()!))!;
        Assert.Equal((MerchantAccountKind.AmazonPayAccount, MerchantAccountState.Active), (account.Kind, account.State));
        Assert.Null(account.AuthorizationTokenHash);
    }

    public static TheoryData<string, string> CreateFields() => new()
    {
        { "stores", ",\"stores\":[{\"storeName\":\"Rufus's Cafe\",\"storeStatus\":{\"state\":\"ACTIVE\",\"reasonCode\":null}}]" },
        { "merchantStatus", ",\"merchantStatus\":{\"statusProvider\":\"Ayden\",\"state\":\"ACTIVE\",\"reasonCode\":null}" },
        { "integrationInfo", ",\"integrationInfo\":{\"ipnEndpointUrls\":[\"https://shop.example/ipn\"]}" },
        { "beneficiaryOwners", ",\"beneficiaryOwners\":[{\"personId\":\"BO1\",\"personFullName\":\"Rufus\"}]" },
    };

    /// <summary>
    /// Each field routes the request to Create Merchant Account: without the merchant's e-mail (what a loginable account
    /// signs in with) it is refused for that, where Register would have accepted it; with it, it is created with a token.
    /// </summary>
    [Theory]
    [MemberData(nameof(CreateFields))]
    public async Task Post_WithAFieldOnlyCreateSends_IsACreate(string field, string extra)
    {
        using var client = Host.Client(Partner);

        var withoutEmail = await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register(Reference(), extra)));
        var withEmail = await client.SendAsync(
            HttpMethod.Post, "merchantAccounts", Utf8(Register(Reference(), extra).Replace("{\"businessType\"", "{\"email\":\"a@b.example\",\"businessType\"", StringComparison.Ordinal)));

        AssertError(withoutEmail, 400, "MissingParameterValue", field);
        Assert.Contains("businessInfo.email", Json(withoutEmail).GetProperty("message").GetString(), StringComparison.Ordinal);
        AssertStatus(withEmail, HttpStatusCode.Created);
        var body = Json(withEmail);
        Assert.Equal(["uniqueReferenceId", "merchantAccountId", "authorizationToken"], body.EnumerateObject().Select(p => p.Name));
        var account = Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, body.GetProperty("merchantAccountId").GetString()!))!;
        Assert.True(account.Kind == MerchantAccountKind.MerchantAccount, field);
    }

    [Fact]
    public async Task Post_WithBusinessInfoEmail_CreatesALoginableAccount()
    {
        using var client = Host.Client(Partner);

        var response = await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail(Reference())));

        AssertStatus(response, HttpStatusCode.Created);
        Assert.True(Json(response).TryGetProperty("authorizationToken", out _));
    }

    [Fact]
    public async Task Patch_WithTheAuthToken_IsUpdateMerchantAccount200_WithoutIt_UpdateAmazonPayAccount204()
    {
        using var client = Host.Client(Partner);
        var created = Json(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail(Reference()))));
        var id = created.GetProperty("merchantAccountId").GetString()!;
        var token = created.GetProperty("authorizationToken").GetString()!;
        var update = Utf8("""{"businessInfo":{"businessDisplayName":"Rufus's Cafe","businessAddress":{"addressLine2":"2F"}}}""");

        var withToken = await client.SendAsync(
            HttpMethod.Patch, $"merchantAccounts/{id}", update, new RequestOptions { ExtraHeaders = new Dictionary<string, string> { ["x-amz-pay-authtoken"] = token } });
        var without = await client.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}", update);

        AssertStatus(withToken, HttpStatusCode.OK);
        Assert.Equal(["uniqueReferenceId", "merchantAccountId"], Json(withToken).EnumerateObject().Select(p => p.Name));
        AssertStatus(without, HttpStatusCode.NoContent);
        Assert.Empty(without.Body);
        Assert.NotNull(without.RequestId);
        var account = Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id))!;
        Assert.Equal("Rufus's Cafe", account.BusinessDisplayName);
        var address = JsonDocument.Parse(account.Details).RootElement.GetProperty("businessInfo").GetProperty("businessAddress");
        // The update merged into the stored address: the line it named changed, the others stayed.
        Assert.Equal(("2F", "Chiryushi"), (address.GetProperty("addressLine2").GetString(), address.GetProperty("city").GetString()));
    }

    [Fact]
    public async Task Patch_WithAnAuthToken_OfARegisteredAccount_IsUnauthorized_AndChangesNothing()
    {
        using var client = Host.Client(Partner);
        var id = Json(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register(Reference())))).GetProperty("merchantAccountId").GetString()!;
        var before = Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id));

        var response = await client.SendAsync(
            HttpMethod.Patch, $"merchantAccounts/{id}", Utf8("""{"businessInfo":{"businessDisplayName":"X"}}"""), new RequestOptions { ExtraHeaders = Token });

        AssertError(response, 401, "UnauthorizedAccess", "a token of no account");
        Assert.Equal(before, Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id)));
    }

    public static TheoryData<string, bool, string> PathForms() => new()
    {
        { "/v2 with the SANDBOX- key", false, "merchantAccounts" },
        { "/v2 with the SANDBOX- key and a trailing slash", false, "merchantAccounts/" },
        { "/sandbox/v2 with the plain key", true, "merchantAccounts" },
        { "/sandbox/v2 with the plain key and a trailing slash", true, "merchantAccounts/" },
    };

    [Theory]
    [MemberData(nameof(PathForms))]
    public async Task EveryPathForm_RegistersUpdatesClaimsAndDeletes(string form, bool plainKey, string path)
    {
        using var client = Host.Client(Partner, plainKey ? Partner.PlainKeyId : null);
        var reference = Reference();

        var registered = await client.SendAsync(HttpMethod.Post, path, Utf8(Register(reference)));
        AssertStatus(registered, HttpStatusCode.Created);
        var id = Json(registered).GetProperty("merchantAccountId").GetString()!;
        AssertStatus(await client.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}/", Utf8("""{"businessInfo":{"businessDisplayName":"Y"}}""")), HttpStatusCode.NoContent);
        AssertStatus(await client.SendAsync(HttpMethod.Delete, $"merchantAccounts/{id}/", null), HttpStatusCode.Accepted);

        var created = Json(await client.SendAsync(HttpMethod.Post, path, Utf8(CreateWithEmail(reference))));
        using var noRedirects = NoRedirectsClient(Host, Partner, plainKey);
        var claimed = await noRedirects.SendAsync(
            HttpMethod.Post, $"merchantAccounts/{created.GetProperty("merchantAccountId").GetString()}/claim/", Utf8($$"""{"uniqueReferenceId":"{{reference}}"}"""));
        Assert.True(claimed.StatusCode == 303, $"{form}: claim answered {claimed.StatusCode}");
    }

    [Fact]
    public async Task Live_SeesNoSandboxAccount_AndKeepsItsOwn()
    {
        using var sandbox = Host.Client(Partner);
        using var live = Host.Client(Partner, Partner.LiveKeyId, sandbox: false);
        var reference = Reference();
        var id = Json(await sandbox.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register(reference)))).GetProperty("merchantAccountId").GetString()!;

        AssertError(await live.SendAsync(HttpMethod.Delete, $"merchantAccounts/{id}", null), 404, "ResourceNotFound", "a sandbox account from live");
        // The same reference is free in live: references are per partner and environment.
        AssertStatus(await live.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register(reference))), HttpStatusCode.Created);
        Assert.Equal(MerchantAccountState.Active, Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id))!.State);
    }

    [Fact]
    public async Task Claim_AnswersSeeOther_WithTheIds_AndTheAccountIsClaimed()
    {
        using var client = Host.Client(Partner);
        var reference = Reference();
        var id = Json(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail(reference)))).GetProperty("merchantAccountId").GetString()!;
        using var claimer = NoRedirectsClient(Host, Partner);

        var request = await claimer.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/claim", Utf8($$"""{"uniqueReferenceId":"{{reference}}"}"""));

        Assert.Equal(303, request.StatusCode);
        Assert.Equal(["uniqueReferenceId", "merchantAccountId"], Json(request).EnumerateObject().Select(p => p.Name));
        var account = Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id))!;
        Assert.Equal(MerchantAccountState.Claimed, account.State);
    }
}
