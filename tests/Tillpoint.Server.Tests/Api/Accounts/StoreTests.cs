using System.Net;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;
using static Tillpoint.Server.Tests.Api.Accounts.Partners;

namespace Tillpoint.Server.Tests.Api.Accounts;

/// <summary>
/// Create Store and Update Store (the PHP SDK's): a store of a created account, with the account's authorization token,
/// whose id the account's merchant checks out with. Bad bodies, tokens and ids are refused and change nothing.
/// </summary>
public sealed class StoreTests(PartnerFixture fixture) : IClassFixture<PartnerFixture>
{
    private const string NewStore =
        """{"allowedOriginDomains":["https://rufus.example"],"allowedRedirectURLs":["https://rufus.example/review"],"storeName":"Rufus's Cafe","privacyPolicyUrl":"http://rufus.example/privacy","merchantLogoUrl":"https://rufus.example/logo.png"}""";

    private TillpointHost Host => fixture.Host;

    private TestMerchant Partner => fixture.Partner;

    private static RequestOptions WithToken(string token) => new() { ExtraHeaders = new Dictionary<string, string> { ["x-amz-pay-authtoken"] = token } };

    /// <summary>A created account: its id and the token Create Merchant Account answered.</summary>
    private static async Task<(string Id, string Token, string Reference)> CreatedAccountAsync(AmazonPayClient client)
    {
        var reference = "ref-" + Guid.NewGuid().ToString("N");
        var created = Json(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail(reference))));
        return (created.GetProperty("merchantAccountId").GetString()!, created.GetProperty("authorizationToken").GetString()!, reference);
    }

    private long Version(string id) => Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id))!.Version;

    [Fact]
    public async Task CreateStore_AnswersTheStore_WhoseIdTheAccountsMerchantChecksOutWith()
    {
        using var partner = Host.Client(Partner);
        var (id, token, _) = await CreatedAccountAsync(partner);

        var response = await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores", Utf8(NewStore), WithToken(token));

        AssertStatus(response, HttpStatusCode.Created);
        var body = Json(response);
        Assert.Equal(
            ["storeId", "merchantAccountId", "storeName", "allowedOriginDomains", "allowedRedirectURLs", "privacyPolicyUrl", "merchantLogoUrl"],
            body.EnumerateObject().Select(p => p.Name));
        var storeId = body.GetProperty("storeId").GetString()!;
        Assert.StartsWith("amzn1.application-oa2-client.", storeId, StringComparison.Ordinal);
        Assert.Equal((id, "Rufus's Cafe"), (body.GetProperty("merchantAccountId").GetString(), body.GetProperty("storeName").GetString()));
        var stored = Assert.Single(Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id))!.Stores);
        Assert.Equal((storeId, "https://rufus.example", "http://rufus.example/privacy"), (stored.StoreId, stored.AllowedOriginDomains[0], stored.PrivacyPolicyUrl));

        // The account's merchant checks out with the new store id as with its own; the partner cannot use it.
        var merchant = await AccountMerchantAsync(Host, id);
        using var own = Host.Client(merchant);
        Assert.Equal(201, (await Checkouts.CreateAsync(own, merchant with { StoreId = storeId })).StatusCode);
        Assert.Equal(201, (await Checkouts.CreateAsync(own, merchant)).StatusCode);
        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CreateAsync(partner, Partner with { StoreId = storeId }));
        Assert.Equal((400, "InvalidParameterValue"), (refused.StatusCode, refused.ReasonCode));
    }

    [Fact]
    public async Task UpdateStore_ReplacesTheFieldsGiven_AndKeepsTheOthers()
    {
        using var partner = Host.Client(Partner);
        var (id, token, _) = await CreatedAccountAsync(partner);
        var storeId = Json(await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores", Utf8(NewStore), WithToken(token))).GetProperty("storeId").GetString()!;

        var response = await partner.SendAsync(
            HttpMethod.Patch, $"merchantAccounts/{id}/stores/{storeId}",
            Utf8("""{"storeName":"Rufus's Tea Room","allowedOriginDomains":["https://tea.rufus.example","https://rufus.example:8443"]}"""),
            WithToken(token));

        AssertStatus(response, HttpStatusCode.OK);
        var store = JsonSerializer.Deserialize(response.Body, ApiJsonContext.Default.StoreDto)!;
        Assert.Equal((storeId, "Rufus's Tea Room"), (store.StoreId, store.StoreName));
        Assert.Equal(["https://tea.rufus.example", "https://rufus.example:8443"], store.AllowedOriginDomains!);
        Assert.Equal(["https://rufus.example/review"], store.AllowedRedirectUrls!);
        Assert.Equal("https://rufus.example/logo.png", store.MerchantLogoUrl);
        Assert.Equal("Rufus's Tea Room", Assert.Single(Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id))!.Stores).StoreName);
    }

    public static TheoryData<string, string, string> BadStores() => new()
    {
        { "malformed JSON", "{\"storeName\":", "InvalidRequestFormat" },
        { "unknown field", NewStore.Replace("{", "{\"storeColour\":\"red\",", StringComparison.Ordinal), "UnrecognizedField" },
        { "name as a number", NewStore.Replace("\"Rufus's Cafe\"", "7", StringComparison.Ordinal), "InvalidParameterValue" },
        { "origins not a list", NewStore.Replace("[\"https://rufus.example\"]", "\"https://rufus.example\"", StringComparison.Ordinal), "InvalidParameterValue" },
        { "no name", NewStore.Replace("\"storeName\":\"Rufus's Cafe\",", "", StringComparison.Ordinal), "MissingParameterValue" },
        { "blank name", NewStore.Replace("Rufus's Cafe", " ", StringComparison.Ordinal), "MissingParameterValue" },
        { "name too long", NewStore.Replace("Rufus's Cafe", new string('n', 256), StringComparison.Ordinal), "InvalidParameterValue" },
        { "no origins", NewStore.Replace("\"allowedOriginDomains\":[\"https://rufus.example\"],", "", StringComparison.Ordinal), "MissingParameterValue" },
        { "empty origins", NewStore.Replace("[\"https://rufus.example\"]", "[]", StringComparison.Ordinal), "MissingParameterValue" },
        { "origin with a path", NewStore.Replace("[\"https://rufus.example\"]", "[\"https://rufus.example/shop\"]", StringComparison.Ordinal), "InvalidParameterValue" },
        { "origin over plain http", NewStore.Replace("[\"https://rufus.example\"]", "[\"http://rufus.example\"]", StringComparison.Ordinal), "InvalidParameterValue" },
        { "origin that is no URL", NewStore.Replace("[\"https://rufus.example\"]", "[\"rufus\"]", StringComparison.Ordinal), "InvalidParameterValue" },
        { "origin listed twice", NewStore.Replace("[\"https://rufus.example\"]", "[\"https://rufus.example\",\"https://RUFUS.example\"]", StringComparison.Ordinal), "InvalidParameterValue" },
        { "21 origins", NewStore.Replace("[\"https://rufus.example\"]", "[" + string.Join(',', Enumerable.Range(0, 21).Select(i => $"\"https://s{i}.rufus.example\"")) + "]", StringComparison.Ordinal), "InvalidParameterValue" },
        { "redirect URL over plain http", NewStore.Replace("https://rufus.example/review", "http://rufus.example/review", StringComparison.Ordinal), "InvalidParameterValue" },
        { "redirect URL with credentials", NewStore.Replace("https://rufus.example/review", "https://me:pw@rufus.example/review", StringComparison.Ordinal), "InvalidParameterValue" },
        { "privacy policy not a URL", NewStore.Replace("http://rufus.example/privacy", "privacy", StringComparison.Ordinal), "InvalidParameterValue" },
        { "privacy policy over ftp", NewStore.Replace("http://rufus.example/privacy", "ftp://rufus.example/privacy", StringComparison.Ordinal), "InvalidParameterValue" },
        { "logo over plain http", NewStore.Replace("https://rufus.example/logo.png", "http://rufus.example/logo.png", StringComparison.Ordinal), "InvalidParameterValue" },
        { "logo URL too long", NewStore.Replace("https://rufus.example/logo.png", "https://rufus.example/" + new string('l', 2048), StringComparison.Ordinal), "InvalidParameterValue" },
    };

    [Theory]
    [MemberData(nameof(BadStores))]
    public async Task CreateStore_WithABadBody_IsRefusedClearly_AndAddsNoStore(string why, string body, string reasonCode)
    {
        using var partner = Host.Client(Partner);
        var (id, token, _) = await CreatedAccountAsync(partner);

        AssertError(await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores", Utf8(body), WithToken(token)), 400, reasonCode, why);

        Assert.Empty(Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id))!.Stores);
    }

    [Theory]
    [InlineData("blank name", """{"storeName":""}""", "MissingParameterValue")]
    [InlineData("empty origins", """{"allowedOriginDomains":[]}""", "MissingParameterValue")]
    [InlineData("origin with a query", """{"allowedOriginDomains":["https://rufus.example?x=1"]}""", "InvalidParameterValue")]
    [InlineData("redirect URLs not a list", """{"allowedRedirectURLs":"https://rufus.example"}""", "InvalidParameterValue")]
    [InlineData("logo over plain http", """{"merchantLogoUrl":"http://rufus.example/logo.png"}""", "InvalidParameterValue")]
    public async Task UpdateStore_WithABadBody_IsRefused_AndTheStoreIsUnchanged(string why, string body, string reasonCode)
    {
        using var partner = Host.Client(Partner);
        var (id, token, _) = await CreatedAccountAsync(partner);
        var storeId = Json(await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores", Utf8(NewStore), WithToken(token))).GetProperty("storeId").GetString()!;
        var version = Version(id);

        AssertError(await partner.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}/stores/{storeId}", Utf8(body), WithToken(token)), 400, reasonCode, why);

        Assert.Equal(version, Version(id));
    }

    [Fact]
    public async Task WithoutTheAccountsToken_StoresAreRefused_AndNothingChanges()
    {
        using var partner = Host.Client(Partner);
        var (id, token, _) = await CreatedAccountAsync(partner);
        var (otherId, otherToken, _) = await CreatedAccountAsync(partner);
        var registered = Json(await partner.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register("ref-" + Guid.NewGuid().ToString("N"))))).GetProperty("merchantAccountId").GetString()!;
        var storeId = Json(await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores", Utf8(NewStore), WithToken(token))).GetProperty("storeId").GetString()!;
        var version = Version(id);

        AssertError(await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores", Utf8(NewStore)), 400, "MissingHeader", "no token");
        AssertError(await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores", Utf8(NewStore), WithToken(otherToken)), 401, "UnauthorizedAccess", "another account's token");
        AssertError(await partner.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}/stores/{storeId}", Utf8("{}"), WithToken("x")), 401, "UnauthorizedAccess", "a token of nothing");
        AssertError(await partner.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}/stores/{storeId}", Utf8("{}")), 400, "MissingHeader", "no token on update");
        AssertError(await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{registered}/stores", Utf8(NewStore), WithToken(token)), 401, "UnauthorizedAccess", "a registered account");

        Assert.Equal(version, Version(id));
        Assert.Empty(Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, otherId))!.Stores);
    }

    [Fact]
    public async Task AnotherPartnersAccount_OrAnUnknownStore_IsNotFound()
    {
        var other = await CreateAsync(Host);
        using var partner = Host.Client(Partner);
        using var stranger = Host.Client(other);
        var (id, token, _) = await CreatedAccountAsync(partner);
        var storeId = Json(await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores", Utf8(NewStore), WithToken(token))).GetProperty("storeId").GetString()!;
        var version = Version(id);

        AssertError(await stranger.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores", Utf8(NewStore), WithToken(token)), 404, "ResourceNotFound", "another partner's create");
        AssertError(await stranger.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}/stores/{storeId}", Utf8("{}"), WithToken(token)), 404, "ResourceNotFound", "another partner's update");
        AssertError(await partner.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}/stores/amzn1.application-oa2-client.0", Utf8("{}"), WithToken(token)), 404, "ResourceNotFound", "unknown store");
        AssertError(await partner.SendAsync(HttpMethod.Post, "merchantAccounts/ANOSUCHACCOUNT1/stores", Utf8(NewStore), WithToken(token)), 404, "ResourceNotFound", "unknown account");

        Assert.Equal(version, Version(id));
    }

    [Fact]
    public async Task AClaimedAccount_IsItsMerchants_AndTakesNoStoresFromThePartner()
    {
        using var partner = Host.Client(Partner);
        var (id, token, reference) = await CreatedAccountAsync(partner);
        var storeId = Json(await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores", Utf8(NewStore), WithToken(token))).GetProperty("storeId").GetString()!;
        using var claimer = NoRedirectsClient(Host, Partner);
        Assert.Equal(303, (await claimer.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/claim", Utf8($$"""{"uniqueReferenceId":"{{reference}}"}"""))).StatusCode);

        AssertError(await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores", Utf8(NewStore), WithToken(token)), 400, "InvalidRequest", "create");
        AssertError(await partner.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}/stores/{storeId}", Utf8("{}"), WithToken(token)), 400, "InvalidRequest", "update");
    }

    public static TheoryData<string, bool, string> PathForms() => new()
    {
        { "/v2 with the SANDBOX- key and a trailing slash", false, "/" },
        { "/sandbox/v2 with the plain key", true, "" },
        { "/sandbox/v2 with the plain key and a trailing slash", true, "/" },
    };

    [Theory]
    [MemberData(nameof(PathForms))]
    public async Task EveryPathForm_CreatesAndUpdatesAStore(string form, bool plainKey, string slash)
    {
        using var partner = Host.Client(Partner, plainKey ? Partner.PlainKeyId : null);
        var (id, token, _) = await CreatedAccountAsync(partner);

        var created = await partner.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/stores{slash}", Utf8(NewStore), WithToken(token));
        Assert.True(created.StatusCode == 201, $"{form}: create answered {created.StatusCode}");
        var storeId = Json(created).GetProperty("storeId").GetString()!;
        var updated = await partner.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}/stores/{storeId}{slash}", Utf8("""{"storeName":"Two"}"""), WithToken(token));
        Assert.True(updated.StatusCode == 200, $"{form}: update answered {updated.StatusCode}");
    }

    [Fact]
    public async Task TheClientsStoreMethods_CreateAndUpdate()
    {
        using var partner = Host.Client(Partner);
        var (id, token, _) = await CreatedAccountAsync(partner);

        var created = await partner.CreateStoreAsync(id, new StoreRequest { StoreName = "Rufus", AllowedOriginDomains = ["https://rufus.example"] }, token);
        var updated = await partner.UpdateStoreAsync(id, created.Value.StoreId!, new StoreRequest { PrivacyPolicyUrl = "https://rufus.example/privacy" }, token);

        Assert.Equal((201, 200), (created.StatusCode, updated.StatusCode));
        Assert.Equal(("Rufus", "https://rufus.example/privacy"), (updated.Value.StoreName, updated.Value.PrivacyPolicyUrl));
        Assert.Empty(updated.Value.AllowedRedirectUrls!);
    }
}
