using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tillpoint.Client;
using Tillpoint.Domain;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Checkout;

/// <summary>
/// The Amazon Pay button: <c>/checkout.js</c> as merchant pages load it, and <c>/checkout/start</c>, where the button
/// sends the browser with its signed Create Checkout Session payload.
/// </summary>
public sealed partial class CheckoutButtonTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Fact]
    public async Task CheckoutJs_IsServedAsCacheableJavaScript_NamingNoOtherHost()
    {
        using var browser = Host.Browser();

        using var response = await browser.GetAsync(new Uri("/checkout.js", UriKind.Relative));
        var script = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.False(response.Headers.CacheControl?.NoStore);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("renderButton", script, StringComparison.Ordinal);
        Assert.Contains("bindChangeAction", script, StringComparison.Ordinal);
        Assert.Contains("document.currentScript", script, StringComparison.Ordinal);
        // Everything it reaches is derived from where it was loaded from: no absolute URL of any host.
        Assert.Empty(AbsoluteUrl().Matches(script));
    }

    [Fact]
    public async Task CheckoutJs_WithItsETag_IsNotModified()
    {
        using var browser = Host.Browser();
        using var first = await browser.GetAsync(new Uri("/checkout.js", UriKind.Relative));

        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri("/checkout.js", UriKind.Relative));
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var revalidated = await browser.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(SignatureAlgorithm.RsassaPssV2, false)]
    [InlineData(SignatureAlgorithm.RsassaPss, false)]
    [InlineData(null, false)]
    [InlineData(SignatureAlgorithm.RsassaPssV2, true)]
    public async Task Start_WithASignedPayload_CreatesTheSession_AndSendsTheBuyerToIt(SignatureAlgorithm? algorithm, bool plainKey)
    {
        using var browser = Host.Browser();
        using var client = Host.Client(Merchant);
        var payload = HostedCheckout.CheckoutPayload(Merchant, p => p["merchantMetadata"] = new JsonObject { ["merchantReferenceId"] = "order-7" });
        var link = HostedCheckout.StartLink(
            Merchant, payload, plainKey ? Merchant.PlainKeyId : null, algorithm, sandbox: plainKey ? "true" : null);

        var id = await new HostedCheckout(browser).StartAsync(link);

        var session = (await client.GetCheckoutSessionAsync(id)).Value;
        Assert.Equal("Open", session.StatusDetails!.State);
        Assert.Equal("Sandbox", session.ReleaseEnvironment);
        Assert.Equal(Checkouts.ReviewUrl, session.WebCheckoutDetails!.CheckoutReviewReturnUrl);
        Assert.Equal("order-7", session.MerchantMetadata!.MerchantReferenceId);
        Assert.Equal("PayAndShip", session.ProductType);
        Assert.Contains(session.Constraints!, c => c.ConstraintId == "BuyerNotAssociated");
    }

    [Fact]
    public async Task Start_ThenTheWholeCheckout_Completes()
    {
        using var browser = Host.Browser();
        using var client = Host.Client(Merchant);
        var pages = new HostedCheckout(browser);
        var id = await pages.StartAsync(HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant)));

        var review = await pages.ApproveAsync(id);
        var updated = (await Checkouts.UpdateAsync(client, id)).Value;
        var result = await pages.ProcessAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
        var completed = await Checkouts.CompleteAsync(client, id);

        Assert.Equal(new Uri($"{Checkouts.ReviewUrl}?amazonCheckoutSessionId={id}"), review);
        Assert.Equal(new Uri($"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}"), result);
        Assert.Equal("Completed", completed.Value.StatusDetails!.State);
        Assert.NotNull(completed.Value.ChargeId);
    }

    [Fact]
    public async Task Start_WithProductTypePayOnly_AsksForNoAddress()
    {
        using var browser = Host.Browser();
        using var client = Host.Client(Merchant);
        var pages = new HostedCheckout(browser);
        var id = await pages.StartAsync(HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant), extra: ("productType", "PayOnly")));

        await pages.SignInAsync(id);
        var page = await pages.GetPageAsync($"/checkout/{id}");

        Assert.Equal("PayOnly", (await client.GetCheckoutSessionAsync(id)).Value.ProductType);
        Assert.DoesNotContain("shippingAddressId", page, StringComparison.Ordinal);
        Assert.Contains("name=\"paymentInstrumentId\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Twice_WithTheSameSignature_OpensOneSession()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        var link = HostedCheckout.StartLink(merchant, HostedCheckout.CheckoutPayload(merchant));
        using var browser = host.Browser();
        var pages = new HostedCheckout(browser);

        var first = await pages.StartAsync(link);
        // A double click sends both requests at once; a reload or the back button sends the link again later.
        var repeats = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => pages.StartAsync(link)));

        Assert.All(repeats, id => Assert.Equal(first, id));
        Assert.Equal(1, Sessions(host));
    }

    [Fact]
    public async Task Start_FromTwoBrowsers_WithTheSameSignedLink_OpensASessionForEach()
    {
        // A merchant page signed once and served to everyone (a cached or static page) gives every buyer the same link.
        var link = HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant));
        using var firstBrowser = Host.Browser();
        using var secondBrowser = Host.Browser();

        var first = await new HostedCheckout(firstBrowser).StartAsync(link);
        var second = await new HostedCheckout(secondBrowser).StartAsync(link);
        var firstAgain = await new HostedCheckout(firstBrowser).StartAsync(link);

        Assert.NotEqual(first, second);
        Assert.Equal(first, firstAgain);
    }

    [Fact]
    public async Task Start_AfterOneBrowsersCheckoutCompleted_StillOpensSessions()
    {
        var link = HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant));
        using var client = Host.Client(Merchant);
        using var firstBrowser = Host.Browser();
        var firstPages = new HostedCheckout(firstBrowser);
        var paid = await firstPages.StartAsync(link);
        await firstPages.ApproveAsync(paid);
        var updated = (await Checkouts.UpdateAsync(client, paid)).Value;
        await firstPages.ProcessAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
        Assert.Equal("Completed", (await Checkouts.CompleteAsync(client, paid)).Value.StatusDetails!.State);

        using var secondBrowser = Host.Browser();
        var other = await new HostedCheckout(secondBrowser).StartAsync(link);
        var again = await firstPages.StartAsync(link);
        var againTwice = await firstPages.StartAsync(link);

        Assert.NotEqual(paid, other);
        Assert.NotEqual(paid, again);
        Assert.NotEqual(other, again);
        Assert.Equal(again, againTwice);
        Assert.Equal("Open", (await client.GetCheckoutSessionAsync(other)).Value.StatusDetails!.State);
        Assert.Equal("Open", (await client.GetCheckoutSessionAsync(again)).Value.StatusDetails!.State);
        Assert.Contains("<form id=\"buyer-signin\"", await new HostedCheckout(secondBrowser).GetPageAsync($"/checkout/{other}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithABrowserCookieThisServerWouldNotMake_OpensASession_AndReplacesTheCookie()
    {
        var cookies = new CookieContainer();
        cookies.Add(Host.HttpsBase, new Cookie("tillpoint_checkout_browser", new string('x', 500), "/checkout/start"));
        using var browser = Host.Browser(cookies);
        var link = HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant));

        var id = await new HostedCheckout(browser).StartAsync(link);

        var browserId = cookies.GetCookies(new Uri(Host.HttpsBase, "/checkout/start"))["tillpoint_checkout_browser"]!;
        Assert.Matches("^[A-Za-z0-9_-]{22}$", browserId.Value);
        Assert.True(browserId.HttpOnly);
        Assert.True(browserId.Secure);
        Assert.Equal(id, await new HostedCheckout(browser).StartAsync(link));
    }

    [Fact]
    public async Task Start_WithTheSamePayloadSignedAgain_OpensAnotherSession()
    {
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var payload = HostedCheckout.CheckoutPayload(Merchant);

        // RSASSA-PSS is salted at random: a page rendered again carries a new signature over the same payload.
        var first = await pages.StartAsync(HostedCheckout.StartLink(Merchant, payload));
        var second = await pages.StartAsync(HostedCheckout.StartLink(Merchant, payload));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Start_WithATamperedSignature_IsRefused_AndCreatesNothing()
    {
        var payload = HostedCheckout.CheckoutPayload(Merchant);
        using var key = RsaSigningKey.FromPem(Merchant.PrivateKeyPem);
        var signature = ButtonSignature.Sign(key, SignatureAlgorithm.RsassaPssV2, payload);
        var tampered = (signature[0] == 'A' ? "B" : "A") + signature[1..];

        await AssertRefusedAsync(HostedCheckout.StartLink(Merchant, payload, signature: tampered), "InvalidRequestSignature");
    }

    [Fact]
    public async Task Start_WithAPayloadChangedAfterSigning_IsRefused()
    {
        var payload = HostedCheckout.CheckoutPayload(Merchant);
        using var key = RsaSigningKey.FromPem(Merchant.PrivateKeyPem);
        var signature = ButtonSignature.Sign(key, SignatureAlgorithm.RsassaPssV2, payload);
        var changed = payload.Replace("review", "reviews", StringComparison.Ordinal);

        await AssertRefusedAsync(HostedCheckout.StartLink(Merchant, changed, signature: signature), "InvalidRequestSignature");
    }

    [Fact]
    public async Task Start_DeclaringTheOtherAlgorithm_IsRefused()
    {
        var payload = HostedCheckout.CheckoutPayload(Merchant);
        using var key = RsaSigningKey.FromPem(Merchant.PrivateKeyPem);
        var v1 = ButtonSignature.Sign(key, SignatureAlgorithm.RsassaPss, payload);

        await AssertRefusedAsync(
            HostedCheckout.StartLink(Merchant, payload, algorithm: SignatureAlgorithm.RsassaPssV2, signature: v1), "InvalidRequestSignature");
    }

    [Fact]
    public async Task Start_WithAnUnknownKey_IsRefused()
    {
        await AssertRefusedAsync(
            HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant), keyId: "SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA"), "UnauthorizedAccess", "SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA");
    }

    [Fact]
    public async Task Start_WithALiveKeyAskingForSandbox_IsRefused()
    {
        await AssertRefusedAsync(
            HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant), keyId: Merchant.LiveKeyId, sandbox: "true"), "UnauthorizedAccess");
    }

    [Fact]
    public async Task Start_WithAnotherMerchantsStore_IsRefused()
    {
        var other = await Host.CreateMerchantAsync();
        var payload = HostedCheckout.CheckoutPayload(Merchant, p => p["storeId"] = other.StoreId);

        await AssertRefusedAsync(HostedCheckout.StartLink(Merchant, payload), "InvalidParameterValue", "storeId");
    }

    [Fact]
    public async Task Start_SignedByAnotherMerchantsKey_ForThisMerchantsStore_IsRefused()
    {
        var other = await Host.CreateMerchantAsync();
        var payload = HostedCheckout.CheckoutPayload(Merchant);

        await AssertRefusedAsync(HostedCheckout.StartLink(other, payload), "InvalidParameterValue", "storeId");
    }

    /// <summary>One payload per kind of refusal Create Checkout Session has for a body, each naming its field.</summary>
    public static TheoryData<string, string, string> InvalidPayloads() => new()
    {
        { "not json", "InvalidRequestFormat", "payload" },
        { "[1, 2]", "InvalidRequestFormat", "payload" },
        { """{"storeId": "STORE"}""", "MissingParameterValue", "webCheckoutDetails" },
        { """{"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://merchant.example/review"}}""", "MissingParameterValue", "storeId" },
        { """{"webCheckoutDetails": {}, "storeId": "STORE"}""", "MissingParameterValue", "webCheckoutDetails.checkoutReviewReturnUrl" },
        { """{"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://merchant.example/review"}, "storeId": "STORE", "colour": "red"}""", "UnrecognizedField", "colour" },
        { """{"webCheckoutDetails": {"checkoutReviewReturnUrl": "http://merchant.example/review"}, "storeId": "STORE"}""", "InvalidParameterValue", "webCheckoutDetails.checkoutReviewReturnUrl" },
        { """{"webCheckoutDetails": {"checkoutReviewReturnUrl": 5}, "storeId": "STORE"}""", "InvalidParameterValue", "webCheckoutDetails.checkoutReviewReturnUrl" },
        { """{"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://merchant.example/review", "checkoutMode": "Later"}, "storeId": "STORE"}""", "InvalidParameterValue", "webCheckoutDetails.checkoutMode" },
        { """{"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://merchant.example/review"}, "storeId": "STORE", "paymentDetails": {"chargeAmount": {"amount": "1.005", "currencyCode": "USD"}}}""", "InvalidParameterValue", "paymentDetails.chargeAmount.amount" },
        { """{"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://merchant.example/review"}, "storeId": "STORE", "scopes": ["name", "shoeSize"]}""", "InvalidParameterValue", "scopes" },
        { """{"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://merchant.example/review"}, "storeId": "STORE", "recurringMetadata": {"frequency": {"unit": "Month", "value": "1"}}}""", "InvalidParameterCombination", "recurringMetadata" },
        { """{"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://merchant.example/review", "checkoutMode": "ProcessOrder"}, "storeId": "STORE"}""", "InvalidParameterCombination", "checkoutReviewReturnUrl" },
        { """{"webCheckoutDetails": {"checkoutResultReturnUrl": "https://merchant.example/result", "checkoutMode": "ProcessOrder"}, "storeId": "STORE", "paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": {"amount": "10.00", "currencyCode": "USD"}}}""", "MissingParameterValue", "addressDetails" },
        { """{"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://merchant.example/review"}, "storeId": "STORE", "paymentDetails": {"chargeAmount": {"amount": "10.00", "currencyCode": "USD"}, "totalOrderAmount": {"amount": "20.00", "currencyCode": "EUR"}}}""", "CurrencyMismatch", "EUR" },
        { """{"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://merchant.example/review", "amazonPayRedirectUrl": "https://merchant.example/x"}, "storeId": "STORE"}""", "InvalidParameterValue", "webCheckoutDetails.amazonPayRedirectUrl" },
    };

    [Theory]
    [MemberData(nameof(InvalidPayloads))]
    public async Task Start_WithAPayloadCreateCheckoutSessionRefuses_IsRefusedTheSameWay(string payload, string reasonCode, string field)
    {
        var signed = payload.Replace("STORE", Merchant.StoreId, StringComparison.Ordinal);

        await AssertRefusedAsync(HostedCheckout.StartLink(Merchant, signed), reasonCode, field);
    }

    [Theory]
    [MemberData(nameof(InvalidPayloads))]
    public async Task CreateCheckoutSession_RefusesTheSamePayloads_WithTheSameReason(string payload, string reasonCode, string field)
    {
        // The button's page and the API must agree: this is the API's answer to the very same body.
        using var client = Host.Client(Merchant);
        var body = payload.Replace("STORE", Merchant.StoreId, StringComparison.Ordinal);

        var answer = await client.SendAsync(
            HttpMethod.Post, "checkoutSessions", System.Text.Encoding.UTF8.GetBytes(body), new RequestOptions { IdempotencyKey = Guid.NewGuid().ToString("N") });

        Assert.Equal(400, answer.StatusCode);
        var error = System.Text.Json.JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal(reasonCode, error.GetProperty("reasonCode").GetString());
        Assert.Contains(field == "payload" ? "body" : field, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("productType", "SignIn", "productType")]
    [InlineData("productType", "PayLater", "productType")]
    [InlineData("merchantId", "A0000000000000", "merchantId")]
    [InlineData("sandbox", "maybe", "sandbox")]
    [InlineData("algorithm", "AMZN-PAY-RSASSA-PKCS1", "algorithm")]
    public async Task Start_WithABadButtonSetting_IsRefused(string name, string value, string field)
    {
        var link = HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant), algorithm: null, extra: (name, value));

        await AssertRefusedAsync(link, null, field);
    }

    [Theory]
    [InlineData("payload")]
    [InlineData("signature")]
    [InlineData("publicKeyId")]
    public async Task Start_WithoutARequiredParameter_IsRefused(string missing)
    {
        var link = HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant));
        var without = string.Join('&', link.Split('?', '&').Skip(1).Where(p => !p.StartsWith(missing + "=", StringComparison.Ordinal)));

        await AssertRefusedAsync("/checkout/start?" + without, "MissingParameterValue", missing);
    }

    [Fact]
    public async Task Start_WithARepeatedParameter_IsRefused()
    {
        var link = HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant)) + "&publicKeyId=" + Merchant.LiveKeyId;

        await AssertRefusedAsync(link, "InvalidParameterValue", "publicKeyId");
    }

    [Fact]
    public async Task Start_WithTheMerchantIdOfTheKey_IsAccepted()
    {
        using var browser = Host.Browser();
        var link = HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant), extra: ("merchantId", Merchant.MerchantId));

        var id = await new HostedCheckout(browser).StartAsync(link);

        Assert.NotEmpty(id);
    }

    [Theory]
    [InlineData("https://merchant.example/cart", "https://merchant.example/cart?checkout=canceled", "https://merchant.example/cart?checkout=canceled")]
    [InlineData("https://merchant.example/cart", "https://elsewhere.example/cart", "https://merchant.example/")]
    [InlineData("https://merchant.example/", null, "https://merchant.example/")]
    public async Task Start_Refused_LinksBackToTheShopTheBuyerCameFrom(string referer, string? cancelUrl, string expectedLink)
    {
        var payload = HostedCheckout.CheckoutPayload(Merchant, p => p["webCheckoutDetails"]!["checkoutCancelUrl"] = cancelUrl);
        var link = HostedCheckout.StartLink(Merchant, payload, keyId: "SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA");
        using var browser = Host.Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(link, UriKind.Relative));
        request.Headers.Referrer = new Uri(referer);

        using var response = await browser.SendAsync(request);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expectedLink, WebUtility.HtmlDecode(BackLink().Match(page).Groups[1].Value));
        Assert.Contains("Go back to the shop</a>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Refused_WithoutAReferer_SaysHowToGoBack_AndLinksNowhereThePayloadNames()
    {
        // The payload's signature is what failed: its URLs may be anyone's.
        var payload = HostedCheckout.CheckoutPayload(Merchant, p => p["webCheckoutDetails"]!["checkoutCancelUrl"] = "https://elsewhere.example/cart");
        using var browser = Host.Browser();

        using var response = await browser.GetAsync(new Uri(HostedCheckout.StartLink(Merchant, payload, keyId: "SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA"), UriKind.Relative));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotMatch(BackLink(), page);
        Assert.DoesNotContain("elsewhere.example", page, StringComparison.Ordinal);
        Assert.Contains("Use your browser's Back button to return to the shop", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
    }

    /// <summary>
    /// The link answers a 400 hosted page naming the reason and the field, and no session is created (tests of a class
    /// run one at a time, so the server's count of sessions is this test's to watch).
    /// </summary>
    private async Task AssertRefusedAsync(string link, string? reasonCode, params string[] named)
    {
        var before = Sessions(Host);
        using var browser = Host.Browser();

        using var response = await browser.GetAsync(new Uri(link, UriKind.Relative));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>This checkout button cannot be used</h1>", page, StringComparison.Ordinal);
        if (reasonCode is not null)
        {
            Assert.Contains($"<strong>{reasonCode}</strong>", page, StringComparison.Ordinal);
        }

        Assert.All(named, name => Assert.Contains(WebUtility.HtmlEncode(name), page, StringComparison.Ordinal));
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(before, Sessions(Host));
    }

    /// <summary>The server's open checkout sessions, in both environments.</summary>
    private static int Sessions(TillpointHost host) =>
        host.Store.Read(reader => new[] { ReleaseEnvironment.Sandbox, ReleaseEnvironment.Live }
            .Sum(environment => reader.FindDue(environment, TillpointHost.Start.AddDays(2), 100_000).Count(item => item.ObjectType == ObjectType.CheckoutSession)));

    [GeneratedRegex(@"https?://|\bwww\.", RegexOptions.IgnoreCase)]
    private static partial Regex AbsoluteUrl();

    [GeneratedRegex("<a id=\"back-to-shop\" href=\"([^\"]*)\"")]
    private static partial Regex BackLink();
}
