using System.Net;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Domain.MerchantAccounts;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;
using static Tillpoint.Server.Tests.Api.Accounts.Partners;

namespace Tillpoint.Server.Tests.Api.Accounts;

/// <summary>
/// Accounts made through the API are real merchants: listed with the operator's, usable with keys, closed for good by
/// a delete. Bad requests and other partners' ids are refused clearly and change nothing.
/// </summary>
public sealed class MerchantAccountTests(PartnerFixture fixture) : IClassFixture<PartnerFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Partner => fixture.Partner;

    private static string Reference() => "ref-" + Guid.NewGuid().ToString("N");

    private static async Task<string> RegisterAsync(AmazonPayClient client, string? reference = null) =>
        Json(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register(reference ?? Reference()))))
            .GetProperty("merchantAccountId").GetString()!;

    [Fact]
    public async Task RegisteredAccount_IsAMerchantOfItsOwn_ThatTakesPaymentsWithItsKeys_UntilDeleted()
    {
        using var partner = Host.Client(Partner);
        var id = await RegisterAsync(partner);

        var merchant = Host.Store.Read(r => r.GetMerchant(id))!;
        Assert.Equal("TestingSubmerchant", merchant.Name);
        Assert.StartsWith("amzn1.application-oa2-client.", merchant.StoreId, StringComparison.Ordinal);
        var (exit, output, _) = await Host.CliAsync("merchants", "list", "--json");
        Assert.Equal(0, exit);
        Assert.Contains(id, output, StringComparison.Ordinal);

        // The operator gives it keys, as for any merchant, and it checks out on its own.
        var own = await AccountMerchantAsync(Host, id);
        using var sub = Host.Client(own);
        Assert.Equal(201, (await Checkouts.CreateAsync(sub, own)).StatusCode);

        // Deleting the account revokes its keys: it can no longer call the API (after the key cache's 10 s).
        AssertStatus(await partner.SendAsync(HttpMethod.Delete, $"merchantAccounts/{id}", null), HttpStatusCode.Accepted);
        Assert.All(Host.Store.Read(r => r.ListPublicKeys(id)), k => Assert.NotNull(k.RevokedAt));
        Assert.Equal(MerchantAccountState.Deleted, Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id))!.State);
    }

    [Fact]
    public async Task AnotherPartnersAccount_DoesNotExistForThisOne_AndIsLeftAlone()
    {
        var other = await CreateAsync(Host);
        using var owner = Host.Client(Partner);
        using var stranger = Host.Client(other);
        var reference = Reference();
        var id = await RegisterAsync(owner, reference);
        var created = Json(await owner.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail(Reference()))));
        var createdId = created.GetProperty("merchantAccountId").GetString()!;
        var token = created.GetProperty("authorizationToken").GetString()!;
        var before = Host.Store.Read(r => r.ListMerchantAccounts(null, 1000));

        AssertError(await stranger.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}", Utf8("""{"businessInfo":{"businessDisplayName":"Mine"}}""")), 404, "ResourceNotFound", "update");
        AssertError(
            await stranger.SendAsync(HttpMethod.Patch, $"merchantAccounts/{createdId}", Utf8("{}"), new RequestOptions { ExtraHeaders = new Dictionary<string, string> { ["x-amz-pay-authtoken"] = token } }),
            404, "ResourceNotFound", "update with the owner's token");
        AssertError(await stranger.SendAsync(HttpMethod.Delete, $"merchantAccounts/{id}", null), 404, "ResourceNotFound", "delete");
        AssertError(await stranger.SendAsync(HttpMethod.Post, $"merchantAccounts/{createdId}/claim", Utf8($$"""{"uniqueReferenceId":"{{reference}}"}""")), 404, "ResourceNotFound", "claim");
        // Its own account may use the same reference: references are per partner.
        AssertStatus(await stranger.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register(reference))), HttpStatusCode.Created);

        var after = Host.Store.Read(r => r.ListMerchantAccounts(null, 1000)).Where(a => a.CreatedBy == Partner.MerchantId);
        Assert.Equal(before.Where(a => a.CreatedBy == Partner.MerchantId), after);
    }

    public static TheoryData<string, string, string> BadCreates() => new()
    {
        { "malformed JSON", "{\"uniqueReferenceId\":", "InvalidRequestFormat" },
        { "not an object", "[]", "InvalidRequestFormat" },
        { "empty body", "", "InvalidRequestFormat" },
        { "unknown field", Register("r-unknown", ",\"favouriteColour\":\"blue\""), "UnrecognizedField" },
        { "unknown nested field", Register("r-nested").Replace("\"postalCode\"", "\"zip\":\"1\",\"postalCode\"", StringComparison.Ordinal), "UnrecognizedField" },
        { "reference as a number", Register("r").Replace("\"r\"", "42", StringComparison.Ordinal), "InvalidParameterValue" },
        { "stores not a list", Register("r-stores", ",\"stores\":{}"), "InvalidParameterValue" },
        { "phone number as text", Register("r-phone").Replace("\"countryCode\":\"JP\"}", "\"countryCode\":\"JP\",\"phoneNumber\":\"+81 1\"}", StringComparison.Ordinal), "InvalidParameterValue" },
        { "missing uniqueReferenceId", Register("").Replace("\"uniqueReferenceId\":\"\",", "", StringComparison.Ordinal), "MissingParameterValue" },
        { "uniqueReferenceId too long", Register(new string('r', 65)), "InvalidParameterValue" },
        { "missing ledgerCurrency", Register("r-l").Replace("\"ledgerCurrency\":\"JPY\",", "", StringComparison.Ordinal), "MissingParameterValue" },
        { "ledgerCurrency not a ledger currency", Register("r-aud").Replace("JPY", "AUD", StringComparison.Ordinal), "InvalidParameterValue" },
        { "ledgerCurrency in lower case", Register("r-jpy").Replace("JPY", "jpy", StringComparison.Ordinal), "InvalidParameterValue" },
        { "missing legal name", Register("r-name").Replace("\"businessLegalName\":\"TestingSubmerchant\",", "", StringComparison.Ordinal), "MissingParameterValue" },
        { "legal name too long", Register("r-long").Replace("TestingSubmerchant", new string('n', 256), StringComparison.Ordinal), "InvalidParameterValue" },
        { "country of three letters", Register("r-jpn").Replace("\"countryOfEstablishment\":\"JP\"", "\"countryOfEstablishment\":\"JPN\"", StringComparison.Ordinal), "InvalidParameterValue" },
        { "address country in lower case", Register("r-jp").Replace("\"countryCode\":\"JP\"", "\"countryCode\":\"jp\"", StringComparison.Ordinal), "InvalidParameterValue" },
        { "missing business address", CreateWithEmail("r-addr").Replace(",\n   \"businessAddress\":{\"addressLine1\":\"1\",\"city\":\"Chiryushi\",\"postalCode\":\"4720021\",\"countryCode\":\"JP\"}", "", StringComparison.Ordinal), "MissingParameterValue" },
        { "email that is none", CreateWithEmail("r-mail").Replace("rufus@abc.com", "rufus", StringComparison.Ordinal), "InvalidParameterValue" },
        { "negative sales volume", CreateWithEmail("r-sales").Replace("\"email\"", "\"annualSalesVolume\":{\"amount\":\"-1\",\"currencyCode\":\"JPY\"},\"email\"", StringComparison.Ordinal), "InvalidParameterValue" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task Post_WithABadBody_IsRefusedClearly_AndMakesNoMerchant(string why, string body, string reasonCode)
    {
        using var client = Host.Client(Partner);
        var merchants = Host.Store.Read(r => r.ListMerchants()).Count;
        var accounts = Host.Store.Read(r => r.ListMerchantAccounts(null, 1000)).Count;

        AssertError(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(body)), 400, reasonCode, why);

        Assert.Equal(merchants, Host.Store.Read(r => r.ListMerchants()).Count);
        Assert.Equal(accounts, Host.Store.Read(r => r.ListMerchantAccounts(null, 1000)).Count);
    }

    public static TheoryData<string, string, int, string> BadUpdates() => new()
    {
        { "unknown field", "{\"businessInfo\":{\"shoeSize\":1}}", 400, "UnrecognizedField" },
        { "wrong type", "{\"businessInfo\":{\"businessDisplayName\":7}}", 400, "InvalidParameterValue" },
        { "a new legal name", "{\"businessInfo\":{\"businessLegalName\":\"Another\"}}", 400, "InvalidParameterValue" },
        { "a new business type", "{\"businessInfo\":{\"businessType\":\"INDIVIDUAL\"}}", 400, "InvalidParameterValue" },
        { "a new reference", "{\"uniqueReferenceId\":\"other\"}", 400, "InvalidParameterValue" },
        { "a new ledger currency", "{\"ledgerCurrency\":\"USD\"}", 400, "InvalidParameterValue" },
        { "display name too long", "{\"businessInfo\":{\"businessDisplayName\":\"" + new string('d', 256) + "\"}}", 400, "InvalidParameterValue" },
        { "bad country", "{\"primaryContactPerson\":{\"residentialAddress\":{\"countryCode\":\"Japan\"}}}", 400, "InvalidParameterValue" },
    };

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task Patch_WithABadBody_IsRefused_AndTheAccountIsUnchanged(string why, string body, int status, string reasonCode)
    {
        using var client = Host.Client(Partner);
        var id = await RegisterAsync(client);
        var before = Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id));

        AssertError(await client.SendAsync(HttpMethod.Patch, $"merchantAccounts/{id}", Utf8(body)), status, reasonCode, why);

        Assert.Equal(before, Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id)));
    }

    [Theory]
    [InlineData("ANOSUCHACCOUNT1")]
    [InlineData("ünknown")]
    [InlineData("S01-0000000-0000000")]
    public async Task UnknownIds_AreNotFound_ForEveryOperation(string id)
    {
        using var client = Host.Client(Partner);
        var escaped = Uri.EscapeDataString(id);

        AssertError(await client.SendAsync(HttpMethod.Patch, $"merchantAccounts/{escaped}", Utf8("{}")), 404, "ResourceNotFound", "update");
        AssertError(await client.SendAsync(HttpMethod.Delete, $"merchantAccounts/{escaped}", null), 404, "ResourceNotFound", "delete");
        AssertError(await client.SendAsync(HttpMethod.Post, $"merchantAccounts/{escaped}/claim", Utf8("{\"uniqueReferenceId\":\"r\"}")), 404, "ResourceNotFound", "claim");
    }

    [Fact]
    public async Task Claim_WithABadBody_IsRefused_AndTheAccountStaysActive()
    {
        using var client = Host.Client(Partner);
        var reference = Reference();
        var id = Json(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail(reference)))).GetProperty("merchantAccountId").GetString()!;

        AssertError(await client.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/claim", Utf8("{}")), 400, "MissingParameterValue", "no reference");
        AssertError(await client.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/claim", Utf8("{\"uniqueReferenceId\":1}")), 400, "InvalidParameterValue", "a number");
        AssertError(await client.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/claim", Utf8("{\"uniqueReferenceId\":\"x\",\"y\":1}")), 400, "UnrecognizedField", "unknown field");
        AssertError(await client.SendAsync(HttpMethod.Post, $"merchantAccounts/{id}/claim", Utf8("{\"uniqueReferenceId\":\"someone-else\"}")), 400, "InvalidParameterValue", "another reference");

        Assert.Equal(MerchantAccountState.Active, Host.Store.Read(r => r.GetMerchantAccount(Partner.MerchantId, id))!.State);
    }

    [Fact]
    public async Task Register_ASecondTimeWithALiveReference_IsRefused_AndAfterDeletionAccepted()
    {
        using var client = Host.Client(Partner);
        var reference = Reference();
        var id = await RegisterAsync(client, reference);

        AssertError(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(CreateWithEmail(reference))), 400, "InvalidRequest", "reference in use");
        AssertStatus(await client.SendAsync(HttpMethod.Delete, $"merchantAccounts/{id}", null), HttpStatusCode.Accepted);
        AssertStatus(await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(Register(reference))), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Delete_Twice_IsNotFoundTheSecondTime()
    {
        using var client = Host.Client(Partner);
        var id = await RegisterAsync(client);

        var first = await client.SendAsync(HttpMethod.Delete, $"merchantAccounts/{id}", null);

        AssertStatus(first, HttpStatusCode.Accepted);
        Assert.Equal(id, JsonSerializer.Deserialize(first.Body, ApiJsonContext.Default.MerchantAccountIdsDto)!.MerchantAccountId);
        AssertError(await client.SendAsync(HttpMethod.Delete, $"merchantAccounts/{id}", null), 404, "ResourceNotFound", "deleted");
    }
}
