using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tillpoint.Client;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Checkout;

/// <summary>
/// The Buy Now dialog's endpoints (<c>/checkout/buy-now</c>) as checkout.js calls them, and Finalize Checkout Session
/// held to the cart and address the buyer saw there.
/// </summary>
public sealed class BuyNowDialogTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Fact]
    public async Task BuyNow_SignInCartAndFinalize_CompletesWithACapturedChargeAndTheCartAsCartDetails()
    {
        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);
        var signedIn = await dialog.SignInAsync();
        var shown = await dialog.ShowCartAsync(Cart("25.00"), "express");
        using var client = Host.Client(Merchant);

        var raw = await client.SendAsync(HttpMethod.Post, $"checkoutSessions/{dialog.Id}/finalize", Finalize("25.00", signedIn["shippingAddress"]!));

        var body = Encoding.UTF8.GetString(raw.Body);
        Assert.Equal(200, raw.StatusCode);
        var answer = JsonNode.Parse(body)!;
        Assert.Equal("Completed", (string?)answer["statusDetails"]!["state"]);
        Assert.Equal("Jane Doe", (string?)signedIn["buyer"]!["name"]);
        Assert.Equal("410 Terry Ave N", (string?)signedIn["shippingAddress"]!["addressLine1"]);
        Assert.Equal("Visa ****1111", (string?)signedIn["paymentDescriptor"]);
        Assert.Equal("express", (string?)shown["cart"]!["selectedDeliveryOptionId"]);
        // cartDetails follows paymentDetails, as the official SDKs expect, and is the cart as the buyer last saw it.
        Assert.True(body.IndexOf("\"paymentDetails\"", StringComparison.Ordinal) < body.IndexOf("\"cartDetails\"", StringComparison.Ordinal));
        Assert.Equal("25.00", (string?)answer["cartDetails"]!["totalChargeAmount"]!["amount"]);
        Assert.Equal("5.00", (string?)answer["cartDetails"]!["totalShippingAmount"]!["amount"]);
        Assert.Equal("Tea", (string?)answer["cartDetails"]!["lineItems"]![0]!["title"]);
        Assert.Equal("express", (string?)answer["cartDetails"]!["selectedDeliveryOptionId"]);
        var charge = (await client.GetChargeAsync((string)answer["chargeId"]!)).Value;
        Assert.Equal("Captured", charge.StatusDetails!.State);
        Assert.Equal("25.00", charge.CaptureAmount!.Amount);
        // Get Checkout Session keeps its usual keys: cartDetails is only in Finalize's answer.
        var read = await client.SendAsync(HttpMethod.Get, $"checkoutSessions/{dialog.Id}", null);
        Assert.DoesNotContain("cartDetails", Encoding.UTF8.GetString(read.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finalize_WithAnAmountTheBuyerDidNotSee_IsAmountMismatch_AndChangesNothing()
    {
        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);
        var signedIn = await dialog.SignInAsync();
        await dialog.ShowCartAsync(Cart("25.00"));
        using var client = Host.Client(Merchant);

        var mismatch = await client.SendAsync(HttpMethod.Post, $"checkoutSessions/{dialog.Id}/finalize", Finalize("24.00", signedIn["shippingAddress"]!));
        var open = (await client.GetCheckoutSessionAsync(dialog.Id)).Value;
        var finalized = await client.SendAsync(HttpMethod.Post, $"checkoutSessions/{dialog.Id}/finalize", Finalize("25.00", signedIn["shippingAddress"]!));

        AssertError(mismatch, 409, "AmountMismatch");
        Assert.Equal("Open", open.StatusDetails!.State);
        Assert.Null(open.ChargePermissionId);
        Assert.Equal(200, finalized.StatusCode);
    }

    [Fact]
    public async Task Finalize_WithAnotherAddress_IsInvalidParameterValue()
    {
        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);
        var signedIn = await dialog.SignInAsync();
        await dialog.ShowCartAsync(Cart("25.00"));
        var elsewhere = signedIn["shippingAddress"]!.DeepClone();
        elsewhere["addressLine1"] = "1 Other Street";
        using var client = Host.Client(Merchant);

        var refused = await client.SendAsync(HttpMethod.Post, $"checkoutSessions/{dialog.Id}/finalize", Finalize("25.00", elsewhere));

        AssertError(refused, 400, "InvalidParameterValue");
        Assert.Equal("Open", (await client.GetCheckoutSessionAsync(dialog.Id)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task Finalize_BeforeTheBuyerSawACart_IsInvalidCheckoutSessionStatus()
    {
        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);
        var signedIn = await dialog.SignInAsync();
        using var client = Host.Client(Merchant);

        var refused = await client.SendAsync(HttpMethod.Post, $"checkoutSessions/{dialog.Id}/finalize", Finalize("25.00", signedIn["shippingAddress"]!));

        AssertError(refused, 422, "InvalidCheckoutSessionStatus");
    }

    [Fact]
    public async Task Finalize_Repeated_WithItsKeyReplaysTheAnswer_AndAnotherBodyUnderItIsDuplicateIdempotencyKey()
    {
        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);
        var signedIn = await dialog.SignInAsync();
        await dialog.ShowCartAsync(Cart("25.00"));
        using var client = Host.Client(Merchant);
        var options = new RequestOptions { IdempotencyKey = AmazonPayClient.NewIdempotencyKey() };
        var path = $"checkoutSessions/{dialog.Id}/finalize";

        var first = await client.SendAsync(HttpMethod.Post, path, Finalize("25.00", signedIn["shippingAddress"]!), options);
        var again = await client.SendAsync(HttpMethod.Post, path, Finalize("25.00", signedIn["shippingAddress"]!), options);
        var changed = await client.SendAsync(HttpMethod.Post, path, Finalize("26.00", signedIn["shippingAddress"]!), options);

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(first.Body, again.Body);
        AssertError(changed, 400, "DuplicateIdempotencyKey");
    }

    [Theory]
    [InlineData("\"true\"", 202, "AuthorizationInitiated")]
    [InlineData("true", 202, "AuthorizationInitiated")]
    [InlineData("\"false\"", 200, "Authorized")]
    public async Task Finalize_CanHandlePendingAuthorization_AsABooleanOrItsString(string flag, int status, string chargeState)
    {
        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);
        var signedIn = await dialog.SignInAsync();
        await dialog.ChangeAsync("payment", new JsonObject { ["paymentInstrumentId"] = "visa-0701" });
        await dialog.ShowCartAsync(Cart("25.00"));
        using var client = Host.Client(Merchant);

        var finalized = await client.SendAsync(
            HttpMethod.Post, $"checkoutSessions/{dialog.Id}/finalize", Finalize("25.00", signedIn["shippingAddress"]!, "Authorize", flag));

        Assert.Equal(status, finalized.StatusCode);
        var chargeId = (string)JsonNode.Parse(finalized.Body)!["chargeId"]!;
        Assert.Equal(chargeState, (await client.GetChargeAsync(chargeId)).Value.StatusDetails!.State);
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    [InlineData("\"True\"")]
    public async Task Finalize_CanHandlePendingAuthorization_OfAnotherKind_IsInvalidParameterValue(string flag)
    {
        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);
        var signedIn = await dialog.SignInAsync();
        await dialog.ShowCartAsync(Cart("25.00"));
        using var client = Host.Client(Merchant);

        var refused = await client.SendAsync(
            HttpMethod.Post, $"checkoutSessions/{dialog.Id}/finalize", Finalize("25.00", signedIn["shippingAddress"]!, "Authorize", flag));

        AssertError(refused, 400, "InvalidParameterValue");
        Assert.Contains("canHandlePendingAuthorization", Encoding.UTF8.GetString(refused.Body), StringComparison.Ordinal);
        Assert.Equal("Open", (await client.GetCheckoutSessionAsync(dialog.Id)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task AnotherAddress_DropsTheCart_UntilTheMerchantPricesItAgain()
    {
        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);
        await dialog.SignInAsync();
        await dialog.ShowCartAsync(Cart("25.00"));

        var moved = await dialog.ChangeAsync("address", new JsonObject { ["shippingAddressId"] = "1" });
        using var client = Host.Client(Merchant);
        var session = (await client.GetCheckoutSessionAsync(dialog.Id)).Value;

        Assert.Equal("Portland", (string?)moved["shippingAddress"]!["city"]);
        Assert.Null(moved["cart"]);
        Assert.Null(session.PaymentDetails!.ChargeAmount);
        Assert.Contains(session.Constraints!, c => c.ConstraintId == "ChargeAmountNotSet");
    }

    [Fact]
    public async Task Cancel_CancelsTheSessionBuyerCanceled_AndARepeatAnswersTheSame()
    {
        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);
        await dialog.SignInAsync();

        var canceled = await dialog.PostAsync("cancel", new JsonObject());
        var again = await dialog.PostAsync("cancel", new JsonObject());

        Assert.Equal("Canceled", (string?)canceled["state"]);
        Assert.Equal("BuyerCanceled", (string?)canceled["reasonCode"]);
        Assert.Equal("Canceled", (string?)again["state"]);
    }

    public static TheoryData<string, string, int, string> BadCarts() => new()
    {
        { "no cart", "{}", 400, "MissingParameterValue" },
        { "no totalChargeAmount", "{\"cart\":{}}", 400, "MissingParameterValue" },
        { "zero charge", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"0\",\"currencyCode\":\"USD\"}}}", 400, "InvalidParameterValue" },
        { "three decimals", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"1.001\",\"currencyCode\":\"USD\"}}}", 400, "InvalidParameterValue" },
        { "negative shipping", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"},\"totalShippingAmount\":{\"amount\":\"-1.00\",\"currencyCode\":\"USD\"}}}", 400, "InvalidParameterValue" },
        { "tax in another currency", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"},\"totalTaxAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"EUR\"}}}", 400, "CurrencyMismatch" },
        { "charge above total", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"2.00\",\"currencyCode\":\"USD\"},\"totalOrderAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"}}}", 400, "InvalidParameterValue" },
        { "currency the region does not present", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"EUR\"}}}", 400, "InvalidParameterValue" },
        { "line item without title", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"},\"lineItems\":[{\"quantity\":1}]}}", 400, "MissingParameterValue" },
        { "quantity zero", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"},\"lineItems\":[{\"title\":\"Tea\",\"quantity\":0}]}}", 400, "InvalidParameterValue" },
        { "delivery option without price", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"},\"deliveryOptions\":[{\"id\":\"a\"}]}}", 400, "MissingParameterValue" },
        { "delivery option twice", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"},\"deliveryOptions\":[{\"id\":\"a\",\"price\":{\"amount\":\"0\",\"currencyCode\":\"USD\"}},{\"id\":\"a\",\"price\":{\"amount\":\"0\",\"currencyCode\":\"USD\"}}]}}", 400, "InvalidParameterValue" },
        { "unknown delivery option chosen", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"}},\"deliveryOptionId\":\"none\"}", 400, "InvalidParameterValue" },
        { "unknown member", "{\"cart\":{\"totalChargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"},\"coupon\":\"X\"}}", 400, "UnrecognizedField" },
        { "malformed JSON", "{\"cart\":", 400, "InvalidRequestFormat" },
    };

    [Theory]
    [MemberData(nameof(BadCarts))]
    public async Task ShowCart_WithABadCart_IsRefused_AndChangesNothing(string why, string body, int status, string reasonCode)
    {
        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);
        await dialog.SignInAsync();
        await dialog.ShowCartAsync(Cart("25.00"));

        using var response = await dialog.SendAsync("cart", body);
        using var client = Host.Client(Merchant);
        var session = (await client.GetCheckoutSessionAsync(dialog.Id)).Value;

        await AssertErrorAsync(response, status, reasonCode, why);
        Assert.Equal("25.00", session.PaymentDetails!.ChargeAmount!.Amount);
    }

    [Fact]
    public async Task Steps_WithoutTheTokenOrWithAnotherSessionsToken_AreUnauthorizedAccess()
    {
        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);
        var other = await BuyNowDialog.StartAsync(Host, Merchant);

        using var without = await dialog.SendAsync("sign-in", "{}", token: "");
        using var borrowed = await dialog.SendAsync("sign-in", "{}", token: other.Token);
        using var client = Host.Client(Merchant);

        await AssertErrorAsync(without, 401, "UnauthorizedAccess", "no token");
        await AssertErrorAsync(borrowed, 401, "UnauthorizedAccess", "another session's token");
        Assert.Null((await client.GetCheckoutSessionAsync(dialog.Id)).Value.Buyer);
    }

    [Fact]
    public async Task Start_AnswersCrossOriginCallers_AndItsPreflightAllowsTheTokenHeader()
    {
        using var browser = Host.Browser();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri("/checkout/buy-now/x/cart", UriKind.Relative));
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var answered = await browser.SendAsync(preflight);

        var dialog = await BuyNowDialog.StartAsync(Host, Merchant);

        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        Assert.Equal("*", answered.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-tillpoint-buy-now-token", answered.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        Assert.Equal("Open", (string?)dialog.Started["state"]);
        Assert.Equal("PayAndShip", (string?)dialog.Started["productType"]);
        Assert.Null(dialog.Started["buyer"]);
        Assert.NotEmpty(dialog.Started["buyers"]!.AsArray());
    }

    public static TheoryData<string, string, int, string> BadStarts() => new()
    {
        { "charge amount in the payload", "{\"storeId\":\"$STORE\",\"paymentDetails\":{\"chargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"}}}", 400, "InvalidParameterCombination" },
        { "process order", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{\"checkoutMode\":\"ProcessOrder\",\"checkoutResultReturnUrl\":\"https://a.example/r\"},\"paymentDetails\":{\"paymentIntent\":\"Authorize\",\"chargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"}},\"addressDetails\":{\"name\":\"A\"}}", 400, "InvalidParameterCombination" },
        { "store of nobody", "{\"storeId\":\"amzn1.application-oa2-client.ffffffffffffffffffffffffffffffff\"}", 400, "InvalidParameterValue" },
        { "unknown member", "{\"storeId\":\"$STORE\",\"mood\":1}", 400, "UnrecognizedField" },
    };

    [Theory]
    [MemberData(nameof(BadStarts))]
    public async Task Start_WithABadPayload_IsRefused_AndCreatesNothing(string why, string payload, int status, string reasonCode)
    {
        using var response = await BuyNowDialog.PostStartAsync(Host, Merchant, payload.Replace("$STORE", Merchant.StoreId, StringComparison.Ordinal));

        await AssertErrorAsync(response, status, reasonCode, why);
    }

    [Fact]
    public async Task Start_WithATamperedSignature_IsInvalidRequestSignature()
    {
        var payload = $"{{\"storeId\":\"{Merchant.StoreId}\"}}";
        using var key = RsaSigningKey.FromPem(Merchant.PrivateKeyPem);
        var signature = ButtonSignature.Sign(key, SignatureAlgorithm.RsassaPssV2, payload + " ");

        using var response = await BuyNowDialog.PostStartAsync(Host, Merchant, payload, signature);

        await AssertErrorAsync(response, 403, "InvalidRequestSignature", "tampered");
    }

    private static JsonObject Cart(string charge) => new()
    {
        ["totalBaseAmount"] = Price("20.00"),
        ["totalShippingAmount"] = Price("5.00"),
        ["totalTaxAmount"] = Price("0.00"),
        ["totalChargeAmount"] = Price(charge),
        ["totalOrderAmount"] = Price(charge),
        ["lineItems"] = new JsonArray(new JsonObject { ["id"] = "tea", ["title"] = "Tea", ["quantity"] = 2, ["listPrice"] = Price("10.00") }),
        ["deliveryOptions"] = new JsonArray(
            new JsonObject { ["id"] = "standard", ["price"] = Price("0.00"), ["isDefault"] = true, ["shippingMethod"] = new JsonObject { ["shippingMethodName"] = "Standard" } },
            new JsonObject { ["id"] = "express", ["price"] = Price("5.00") }),
    };

    private static JsonObject Price(string amount) => new() { ["amount"] = amount, ["currencyCode"] = "USD" };

    private static byte[] Finalize(string amount, JsonNode shippingAddress, string intent = "AuthorizeWithCapture", string? canHandlePendingAuthorization = null)
    {
        var body = new JsonObject
        {
            ["shippingAddress"] = shippingAddress.DeepClone(),
            ["chargeAmount"] = Price(amount),
            ["totalOrderAmount"] = Price(amount),
            ["paymentIntent"] = intent,
        };
        if (canHandlePendingAuthorization is not null)
        {
            body["canHandlePendingAuthorization"] = JsonNode.Parse(canHandlePendingAuthorization);
        }

        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private static void AssertError(AmazonPayRawResponse response, int status, string reasonCode)
    {
        var body = JsonNode.Parse(response.Body)!.AsObject();
        Assert.True(response.StatusCode == status, $"expected {status} {reasonCode}, got {response.StatusCode}: {body}");
        Assert.Equal(reasonCode, (string?)body["reasonCode"]);
        Assert.Equal(["reasonCode", "message"], body.Select(p => p.Key));
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, int status, string reasonCode, string why)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{why}: expected {status} {reasonCode}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(reasonCode, (string?)body["reasonCode"]);
        Assert.Equal(["reasonCode", "message"], body.Select(p => p.Key));
    }
}

/// <summary>The dialog's calls as checkout.js makes them: a started session, its token, and its steps.</summary>
internal sealed record BuyNowDialog(TillpointHost Host, string Id, string Token, JsonNode Started)
{
    public static async Task<BuyNowDialog> StartAsync(TillpointHost host, TestMerchant merchant)
    {
        using var response = await PostStartAsync(host, merchant, $"{{\"storeId\":\"{merchant.StoreId}\",\"scopes\":[\"name\",\"email\"]}}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"start answered {response.StatusCode}: {text}");
        var started = JsonNode.Parse(text)!;
        return new BuyNowDialog(host, (string)started["checkoutSessionId"]!, (string)started["token"]!, started);
    }

    public static async Task<HttpResponseMessage> PostStartAsync(TillpointHost host, TestMerchant merchant, string payload, string? signature = null)
    {
        using var key = RsaSigningKey.FromPem(merchant.PrivateKeyPem);
        var body = new JsonObject
        {
            ["payloadJSON"] = payload,
            ["signature"] = signature ?? ButtonSignature.Sign(key, SignatureAlgorithm.RsassaPssV2, payload),
            ["algorithm"] = "AMZN-PAY-RSASSA-PSS-V2",
            ["publicKeyId"] = merchant.SandboxKeyId,
            ["merchantId"] = merchant.MerchantId,
            ["productType"] = "PayAndShip",
        };
        using var browser = host.Browser();
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await browser.PostAsync(new Uri("/checkout/buy-now", UriKind.Relative), content);
    }

    public Task<JsonNode> SignInAsync() => PostAsync("sign-in", new JsonObject());

    public Task<JsonNode> ShowCartAsync(JsonObject cart, string? deliveryOptionId = null) =>
        PostAsync("cart", new JsonObject { ["cart"] = cart.DeepClone(), ["deliveryOptionId"] = deliveryOptionId });

    public Task<JsonNode> ChangeAsync(string what, JsonObject body) => PostAsync(what, body);

    public async Task<JsonNode> PostAsync(string step, JsonObject body)
    {
        using var response = await SendAsync(step, body.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{step} answered {response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<HttpResponseMessage> SendAsync(string step, string body, string? token = null)
    {
        using var browser = Host.Browser();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/checkout/buy-now/{Uri.EscapeDataString(Id)}/{step}", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if ((token ?? Token) is { Length: > 0 } sent)
        {
            request.Headers.Add("x-tillpoint-buy-now-token", sent);
        }

        return await browser.SendAsync(request);
    }
}
