using System.Net;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

/// <summary>"Sign in with Amazon Pay": the signed sign-in link, the hosted sign-in page, the buyer token and Get Buyer.</summary>
public sealed class SignInTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string Jane = "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJANE";
    private const string Erika = "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXERIKA";

    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Theory]
    [InlineData(SignatureAlgorithm.RsassaPssV2)]
    [InlineData(SignatureAlgorithm.RsassaPss)]
    [InlineData(null)]
    public async Task SignIn_ThenGetBuyer_ReturnsTheChosenBuyerWithEveryScope(SignatureAlgorithm? algorithm)
    {
        using var browser = Host.Browser();
        using var client = Host.Client(Merchant);
        var link = HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant, scopes: HostedSignIn.AllScopes), algorithm: algorithm);

        var returned = await new HostedSignIn(browser).SignInAsync(link, Jane);
        var token = HostedSignIn.BuyerToken(returned);
        var response = await HostedSignIn.GetBuyerAsync(client, token);
        var buyer = HostedSignIn.Buyer(response);

        Assert.Equal($"{HostedSignIn.ReturnUrl}?buyerToken={token}", returned.ToString());
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.Equal(Jane, buyer.BuyerId);
        Assert.Equal("Jane Doe", buyer.Name);
        Assert.Equal("jane.doe@buyers.tillpoint.test", buyer.Email);
        Assert.Equal("98109", buyer.PostalCode);
        Assert.Equal("US", buyer.CountryCode);
        Assert.Equal("+1 206-555-0100", buyer.PhoneNumber);
        Assert.Equal("410 Terry Ave N", buyer.ShippingAddress!.AddressLine1);
        Assert.Equal("Seattle", buyer.ShippingAddress.City);
        Assert.Equal("410 Terry Ave N", buyer.BillingAddress!.AddressLine1);
        Assert.Null(buyer.PrimeMembershipTypes);
        Assert.NotNull(response.RequestId);
        // Every documented key is written, unset ones as null.
        var keys = JsonDocument.Parse(response.Body).RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(
            ["buyerId", "name", "email", "postalCode", "countryCode", "phoneNumber", "shippingAddress", "billingAddress", "primeMembershipTypes"], keys);
    }

    [Fact]
    public async Task BuyerToken_CanBeExchangedMoreThanOnceWhileValid()
    {
        using var browser = Host.Browser();
        using var client = Host.Client(Merchant);
        var token = HostedSignIn.BuyerToken(await new HostedSignIn(browser).SignInAsync(HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant))));

        var first = HostedSignIn.Buyer(await HostedSignIn.GetBuyerAsync(client, token));
        var second = HostedSignIn.Buyer(await HostedSignIn.GetBuyerAsync(client, token));

        Assert.Equal(first.BuyerId, second.BuyerId);
    }

    [Fact]
    public async Task SignIn_WithoutSignInScopes_SharesEveryDetail()
    {
        using var browser = Host.Browser();
        using var client = Host.Client(Merchant);
        var token = HostedSignIn.BuyerToken(await new HostedSignIn(browser).SignInAsync(HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant)), Erika));

        var buyer = HostedSignIn.Buyer(await HostedSignIn.GetBuyerAsync(client, token));

        Assert.Equal("Erika Mustermann", buyer.Name);
        Assert.Equal("10557", buyer.PostalCode);
        Assert.Equal("DE", buyer.CountryCode);
        Assert.NotNull(buyer.ShippingAddress);
        Assert.NotNull(buyer.BillingAddress);
        Assert.NotNull(buyer.PhoneNumber);
    }

    [Theory]
    [InlineData("")]
    [InlineData("name")]
    [InlineData("email")]
    [InlineData("postalCode")]
    [InlineData("shippingAddress")]
    [InlineData("billingAddress")]
    [InlineData("phoneNumber")]
    [InlineData("name,phoneNumber")]
    [InlineData("email,postalCode,billingAddress")]
    public async Task GetBuyer_ReturnsOnlyTheFieldsTheScopesAllow(string scopeList)
    {
        string[] scopes = scopeList.Length == 0 ? [] : scopeList.Split(',');
        using var browser = Host.Browser();
        using var client = Host.Client(Merchant);
        var link = HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant, scopes: scopes));

        var token = HostedSignIn.BuyerToken(await new HostedSignIn(browser).SignInAsync(link, Erika));
        var buyer = HostedSignIn.Buyer(await HostedSignIn.GetBuyerAsync(client, token));

        Assert.Equal(Erika, buyer.BuyerId);
        Assert.Equal(scopes.Contains("name") ? "Erika Mustermann" : null, buyer.Name);
        Assert.Equal(scopes.Contains("email") ? "erika.mustermann@buyers.tillpoint.test" : null, buyer.Email);
        Assert.Equal(scopes.Contains("postalCode") ? "10557" : null, buyer.PostalCode);
        Assert.Equal(scopes.Contains("postalCode") ? "DE" : null, buyer.CountryCode);
        Assert.Equal(scopes.Contains("phoneNumber") ? "+49 30 5550123" : null, buyer.PhoneNumber);
        Assert.Equal(scopes.Contains("shippingAddress") ? "Heidestraße 17" : null, buyer.ShippingAddress?.AddressLine1);
        Assert.Equal(scopes.Contains("billingAddress") ? "Heidestraße 17" : null, buyer.BillingAddress?.AddressLine1);
        Assert.Null(buyer.PrimeMembershipTypes);
    }

    [Fact]
    public async Task SignInPage_NamesTheSharedDetails_AndSendsTheHostedPageHeaders()
    {
        using var browser = Host.Browser();
        var link = HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant, scopes: ["email", "name"]));

        using var response = await new HostedSignIn(browser).OpenAsync(link);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("your buyer id, name and email address.", page, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task SignIn_WithAQueryInTheReturnUrl_AppendsTheTokenWithAmpersand()
    {
        using var browser = Host.Browser();
        var link = HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant, returnUrl: "https://merchant.example/account?from=header#top"));

        var returned = await new HostedSignIn(browser).SignInAsync(link);

        Assert.StartsWith("https://merchant.example/account?from=header&buyerToken=", returned.ToString(), StringComparison.Ordinal);
        Assert.Equal("#top", returned.Fragment);
        Assert.NotEmpty(HostedSignIn.BuyerToken(returned));
    }

    public static TheoryData<string> BadLinks() =>
    [
        "signature over another payload",
        "payload changed after signing",
        "signature not base64",
        "declared V1 but signed V2",
        "unknown algorithm",
        "algorithm given twice",
        "unknown key",
        "revoked key",
        "key id of another merchant",
        "key of another merchant",
        "store of nobody",
        "sandbox key used with sandbox=false",
        "sandbox flag not a boolean",
        "missing payload",
        "missing signature",
        "missing publicKeyId",
        "payload not JSON",
        "payload an array",
        "payload with an unknown field",
        "missing signInReturnUrl",
        "missing storeId",
        "relative return URL",
        "http return URL",
        "unknown scope",
        "null scope",
    ];

    [Theory]
    [MemberData(nameof(BadLinks))]
    public async Task SignInLink_ThatCannotBeTrusted_ShowsA400Page(string why)
    {
        var link = await BadLinkAsync(why);
        using var browser = Host.Browser();

        using var response = await new HostedSignIn(browser).OpenAsync(link);
        var page = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: answered {response.StatusCode} {page}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This sign-in link cannot be used", page, StringComparison.Ordinal);
        Assert.DoesNotContain("buyer-signin", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flipped character")]
    [InlineData("truncated")]
    [InlineData("not a token")]
    [InlineData("not base64url")]
    public async Task GetBuyer_WithAlteredToken_IsResourceNotFound(string how)
    {
        using var browser = Host.Browser();
        using var client = Host.Client(Merchant);
        var token = HostedSignIn.BuyerToken(await new HostedSignIn(browser).SignInAsync(HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant))));
        var middle = token.Length / 2;
        var altered = how switch
        {
            "flipped character" => token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..],
            "truncated" => token[..^4],
            "not a token" => "AtzaIwEBIJRcQqDyxKlSrAvVcgN3",
            _ => token[..middle] + "~." + token[middle..],
        };

        AssertNotFound(await HostedSignIn.GetBuyerAsync(client, altered));
    }

    [Fact]
    public async Task GetBuyer_WithAnotherMerchantsToken_IsResourceNotFound()
    {
        var other = await Host.CreateMerchantAsync();
        using var browser = Host.Browser();
        using var client = Host.Client(Merchant);
        using var otherClient = Host.Client(other);
        var token = HostedSignIn.BuyerToken(await new HostedSignIn(browser).SignInAsync(HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant))));

        AssertNotFound(await HostedSignIn.GetBuyerAsync(otherClient, token));
        Assert.Equal(200, (await HostedSignIn.GetBuyerAsync(client, token)).StatusCode);
    }

    [Fact]
    public async Task GetBuyer_InTheOtherEnvironment_IsResourceNotFound()
    {
        using var browser = Host.Browser();
        using var sandbox = Host.Client(Merchant);
        using var live = Host.Client(Merchant, Merchant.LiveKeyId, sandbox: false);
        var pages = new HostedSignIn(browser);
        var sandboxToken = HostedSignIn.BuyerToken(await pages.SignInAsync(HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant))));
        var liveToken = HostedSignIn.BuyerToken(await pages.SignInAsync(HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant), Merchant.LiveKeyId)));

        AssertNotFound(await HostedSignIn.GetBuyerAsync(live, sandboxToken));
        AssertNotFound(await HostedSignIn.GetBuyerAsync(sandbox, liveToken));
        Assert.Equal(200, (await HostedSignIn.GetBuyerAsync(live, liveToken)).StatusCode);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public async Task SignIn_WithAKeyWithoutPrefix_TakesTheEnvironmentFromTheSandboxFlag(string? flag, bool inSandbox)
    {
        using var browser = Host.Browser();
        using var sandbox = Host.Client(Merchant, Merchant.PlainKeyId, sandbox: true);
        using var live = Host.Client(Merchant, Merchant.PlainKeyId, sandbox: false);
        var link = HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant), Merchant.PlainKeyId, sandbox: flag);

        var token = HostedSignIn.BuyerToken(await new HostedSignIn(browser).SignInAsync(link));

        Assert.Equal(inSandbox ? 200 : 404, (await HostedSignIn.GetBuyerAsync(sandbox, token)).StatusCode);
        Assert.Equal(inSandbox ? 404 : 200, (await HostedSignIn.GetBuyerAsync(live, token)).StatusCode);
    }

    [Fact]
    public async Task Cancel_GoesToSignInCancelUrl()
    {
        using var browser = Host.Browser();
        var link = HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant, cancelUrl: HostedSignIn.CancelUrl));

        using var response = await new HostedSignIn(browser).SubmitAsync(link, "buyer-cancel");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(new Uri(HostedSignIn.CancelUrl), response.Headers.Location);
    }

    [Fact]
    public async Task Cancel_WithoutSignInCancelUrl_ExplainsAndLinksBackToTheShop()
    {
        using var browser = Host.Browser();
        var link = HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant));

        using var response = await new HostedSignIn(browser).SubmitAsync(link, "buyer-cancel");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("You canceled signing in.", page, StringComparison.Ordinal);
        Assert.Contains("href=\"https://merchant.example/\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithoutAntiForgeryToken_IsRefused()
    {
        using var browser = Host.Browser();
        var page = await new HostedCheckout(browser).GetPageAsync(HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant)));

        using var response = await browser.PostAsync(
            new Uri("/signin", UriKind.Relative),
            new FormUrlEncodedContent([new("signInRequest", HostedSignIn.RequestState(page)), new("buyerId", Jane)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("altered request", null)]
    [InlineData("unknown buyer", "amzn1.account.NOBODY")]
    public async Task SignIn_WithAlteredForm_IsRefused(string why, string? buyerId)
    {
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var page = await pages.GetPageAsync(HostedSignIn.Link(Merchant, HostedSignIn.Payload(Merchant)));
        var form = HostedCheckout.Form(page, "buyer-signin");
        var state = HostedSignIn.RequestState(page);
        if (buyerId is null)
        {
            state = state[..^3] + (state[^3] == 'A' ? 'B' : 'A') + state[^2..];
        }

        using var response = await pages.PostAsync(form.Action, form.Token, ("signInRequest", state), ("buyerId", buyerId ?? Jane));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: answered {response.StatusCode}");
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task BuyerToken_Works59MinutesAfterSignIn_AndIsResourceNotFoundAt60()
    {
        // The lifetime runs on the business clock, which this test moves (on a host of its own).
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var browser = host.Browser();
        using var client = host.Client(merchant);
        var token = HostedSignIn.BuyerToken(await new HostedSignIn(browser).SignInAsync(HostedSignIn.Link(merchant, HostedSignIn.Payload(merchant))));

        host.Clock.Advance(TimeSpan.FromMinutes(59));
        var fresh = await HostedSignIn.GetBuyerAsync(client, token);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var stale = await HostedSignIn.GetBuyerAsync(client, token);

        Assert.Equal(200, fresh.StatusCode);
        AssertNotFound(stale);
    }

    [Fact]
    public async Task BuyerToken_LifetimeIsConfigurable()
    {
        await using var host = await TillpointHost.StartAsync(o => o with { BuyerTokenLifetime = TimeSpan.FromMinutes(5) });
        var merchant = await host.CreateMerchantAsync();
        using var browser = host.Browser();
        using var client = host.Client(merchant);
        var token = HostedSignIn.BuyerToken(await new HostedSignIn(browser).SignInAsync(HostedSignIn.Link(merchant, HostedSignIn.Payload(merchant))));

        host.Clock.Advance(TimeSpan.FromMinutes(5));

        AssertNotFound(await HostedSignIn.GetBuyerAsync(client, token));
    }

    private async Task<string> BadLinkAsync(string why)
    {
        var payload = HostedSignIn.Payload(Merchant);
        string Raw(string json, string? keyId = null) => HostedSignIn.Link(Merchant, json, keyId);
        switch (why)
        {
            case "signature over another payload":
                using (var key = RsaSigningKey.FromPem(Merchant.PrivateKeyPem))
                {
                    return HostedSignIn.Link(Merchant, payload, signature: ButtonSignature.Sign(key, SignatureAlgorithm.RsassaPssV2, payload + " "));
                }

            case "payload changed after signing":
                return Raw(payload).Replace("signed-in", "signed-out", StringComparison.Ordinal);
            case "signature not base64":
                return HostedSignIn.Link(Merchant, payload, signature: "%%%not-base64%%%");
            case "declared V1 but signed V2":
                using (var key = RsaSigningKey.FromPem(Merchant.PrivateKeyPem))
                {
                    return HostedSignIn.Link(
                        Merchant, payload, algorithm: SignatureAlgorithm.RsassaPss, signature: ButtonSignature.Sign(key, SignatureAlgorithm.RsassaPssV2, payload));
                }

            case "unknown algorithm":
                return HostedSignIn.Link(Merchant, payload, algorithm: null) + "&algorithm=AMZN-PAY-RSASSA-PSS-V3";
            case "algorithm given twice":
                return Raw(payload) + "&algorithm=AMZN-PAY-RSASSA-PSS-V2";
            case "unknown key":
                return Raw(payload, "SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA");
            case "revoked key":
                var revoked = await Host.CreateMerchantAsync();
                await Host.CliAsync("keys", "revoke", revoked.SandboxKeyId);
                return HostedSignIn.Link(revoked, HostedSignIn.Payload(revoked));
            case "key id of another merchant":
                // Signed with this merchant's key, but naming the other merchant's key id.
                return Raw(payload, (await Host.CreateMerchantAsync()).SandboxKeyId);
            case "key of another merchant":
                // A valid signature by the other merchant, over a payload naming this merchant's store.
                var other = await Host.CreateMerchantAsync();
                return HostedSignIn.Link(other, HostedSignIn.Payload(other, storeId: Merchant.StoreId));
            case "store of nobody":
                return Raw(HostedSignIn.Payload(Merchant, storeId: "amzn1.application-oa2-client.ffffffffffffffffffffffffffffffff"));
            case "sandbox key used with sandbox=false":
                return HostedSignIn.Link(Merchant, payload, sandbox: "false");
            case "sandbox flag not a boolean":
                return HostedSignIn.Link(Merchant, payload, sandbox: "yes");
            case "missing payload":
                return Raw(payload).Replace("payload=", "pay=", StringComparison.Ordinal);
            case "missing signature":
                return Raw(payload).Replace("signature=", "sig=", StringComparison.Ordinal);
            case "missing publicKeyId":
                return Raw(payload).Replace("publicKeyId=", "keyId=", StringComparison.Ordinal);
            case "payload not JSON":
                return Raw("signInReturnUrl=https://merchant.example/");
            case "payload an array":
                return Raw("[]");
            case "payload with an unknown field":
                return Raw(payload.Replace("{", "{\"checkoutMood\":\"happy\",", StringComparison.Ordinal));
            case "missing signInReturnUrl":
                return Raw($"{{\"storeId\":\"{Merchant.StoreId}\"}}");
            case "missing storeId":
                return Raw("{\"signInReturnUrl\":\"https://merchant.example/\"}");
            case "relative return URL":
                return Raw(HostedSignIn.Payload(Merchant, returnUrl: "/signed-in"));
            case "http return URL":
                return Raw(HostedSignIn.Payload(Merchant, returnUrl: "http://merchant.example/signed-in"));
            case "unknown scope":
                return Raw(HostedSignIn.Payload(Merchant, scopes: ["name", "shoeSize"]));
            case "null scope":
                return Raw(payload.Replace("}", ",\"signInScopes\":[\"name\",null]}", StringComparison.Ordinal));
            default:
                throw new ArgumentOutOfRangeException(nameof(why), why, "no such case");
        }
    }

    private static void AssertNotFound(AmazonPayRawResponse response)
    {
        var body = Encoding.UTF8.GetString(response.Body);
        Assert.True(response.StatusCode == 404, $"expected 404, got {response.StatusCode} {body}");
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("ResourceNotFound", root.GetProperty("reasonCode").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("message").GetString()));
        Assert.Equal(2, root.EnumerateObject().Count());
    }
}
