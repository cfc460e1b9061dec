using System.Net;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

/// <summary>
/// Every class of client mistake gets its documented reason code and HTTP status, in the API's JSON format, and
/// changes nothing.
/// </summary>
public sealed class BadInputTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    public static TheoryData<string, string, int, string> CreateBodies() => new()
    {
        { "malformed JSON", "{\"storeId\":", 400, "InvalidRequestFormat" },
        { "not an object", "[1,2]", 400, "InvalidRequestFormat" },
        { "empty body", "", 400, "InvalidRequestFormat" },
        { "unknown field", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://a.example/r\"},\"checkoutMood\":\"happy\"}", 400, "UnrecognizedField" },
        { "wrong type", "{\"storeId\":42,\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://a.example/r\"}}", 400, "InvalidParameterValue" },
        { "missing storeId", "{\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://a.example/r\"}}", 400, "MissingParameterValue" },
        { "missing webCheckoutDetails", "{\"storeId\":\"$STORE\"}", 400, "MissingParameterValue" },
        { "missing review url", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{}}", 400, "MissingParameterValue" },
        { "store of nobody", "{\"storeId\":\"amzn1.application-oa2-client.ffffffffffffffffffffffffffffffff\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://a.example/r\"}}", 400, "InvalidParameterValue" },
        { "http url", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"http://a.example/r\"}}", 400, "InvalidParameterValue" },
        { "relative url", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"/r\"}}", 400, "InvalidParameterValue" },
        { "store name over 50", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://a.example/r\"},\"merchantMetadata\":{\"merchantStoreName\":\"" + new string('x', 51) + "\"}}", 400, "InvalidParameterValue" },
        { "bad enum", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://a.example/r\"},\"chargePermissionType\":\"Sometimes\"}", 400, "InvalidParameterValue" },
        { "enum in the wrong case", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://a.example/r\"},\"chargePermissionType\":\"onetime\"}", 400, "InvalidParameterValue" },
        { "null scope", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://a.example/r\"},\"scopes\":[\"name\",null]}", 400, "InvalidParameterValue" },
        { "null special restriction", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://a.example/r\"},\"deliverySpecifications\":{\"specialRestrictions\":[null]}}", 400, "InvalidParameterValue" },
        { "country twice", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://a.example/r\"},\"deliverySpecifications\":{\"addressRestrictions\":{\"type\":\"Allowed\",\"restrictions\":{\"US\":{},\"us\":{}}}}}", 400, "InvalidParameterValue" },
        { "deeply nested", "{\"storeId\":" + new string('[', 40) + new string(']', 40) + "}", 400, "InvalidRequestFormat" },
        { "redirect url set by client", "{\"storeId\":\"$STORE\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://a.example/r\",\"amazonPayRedirectUrl\":\"https://a.example/p\"}}", 400, "InvalidParameterValue" },
    };

    [Theory]
    [MemberData(nameof(CreateBodies))]
    public async Task CreateCheckoutSession_WithBadBody_IsRefused(string why, string body, int status, string reasonCode)
    {
        using var client = Host.Client(Merchant);

        var response = await client.SendAsync(HttpMethod.Post, "checkoutSessions", Encoding.UTF8.GetBytes(body.Replace("$STORE", Merchant.StoreId, StringComparison.Ordinal)));

        AssertError(response, status, reasonCode, why);
    }

    public static TheoryData<string, string, int, string> CaptureBodies() => new()
    {
        { "amount with three decimals", "{\"captureAmount\":{\"amount\":\"14.001\",\"currencyCode\":\"USD\"}}", 400, "InvalidParameterValue" },
        { "negative amount", "{\"captureAmount\":{\"amount\":\"-1.00\",\"currencyCode\":\"USD\"}}", 400, "InvalidParameterValue" },
        { "zero amount", "{\"captureAmount\":{\"amount\":\"0\",\"currencyCode\":\"USD\"}}", 400, "InvalidParameterValue" },
        { "amount as boolean", "{\"captureAmount\":{\"amount\":true,\"currencyCode\":\"USD\"}}", 400, "InvalidParameterValue" },
        { "unknown currency", "{\"captureAmount\":{\"amount\":\"14.00\",\"currencyCode\":\"XYZ\"}}", 400, "InvalidParameterValue" },
        { "other currency", "{\"captureAmount\":{\"amount\":\"14.00\",\"currencyCode\":\"EUR\"}}", 400, "CurrencyMismatch" },
        { "missing amount", "{\"captureAmount\":{\"currencyCode\":\"USD\"}}", 400, "MissingParameterValue" },
        { "missing captureAmount", "{\"softDescriptor\":\"x\"}", 400, "MissingParameterValue" },
        { "soft descriptor over 16", "{\"captureAmount\":{\"amount\":\"14.00\",\"currencyCode\":\"USD\"},\"softDescriptor\":\"12345678901234567\"}", 400, "InvalidParameterValue" },
        { "amount over the maximum", "{\"captureAmount\":{\"amount\":\"150000.01\",\"currencyCode\":\"USD\"}}", 400, "InvalidParameterValue" },
        { "over-capture", "{\"captureAmount\":{\"amount\":\"16.11\",\"currencyCode\":\"USD\"}}", 422, "TransactionAmountExceeded" },
    };

    [Theory]
    [MemberData(nameof(CaptureBodies))]
    public async Task Capture_WithBadBody_IsRefused_AndTheChargeStaysAuthorized(string why, string body, int status, string reasonCode)
    {
        using var client = Host.Client(Merchant);
        var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);

        var response = await client.SendAsync(HttpMethod.Post, $"charges/{completed.ChargeId}/capture", Encoding.UTF8.GetBytes(body));

        AssertError(response, status, reasonCode, why);
        var charge = (await client.GetChargeAsync(completed.ChargeId!)).Value;
        Assert.Equal("Authorized", charge.StatusDetails!.State);
        Assert.Single(Host.Store.Read(reader => reader.GetEvents(Merchant.MerchantId, completed.ChargeId!)));
    }

    [Fact]
    public async Task JpyAmount_WithDecimals_IsRefused_NumbersAreAccepted()
    {
        // Yen is presented by JP merchants only.
        var merchant = await Host.CreateMerchantAsync("jp");
        using var client = Host.Client(merchant);
        var created = (await Checkouts.CreateAsync(client, merchant)).Value;

        var withDecimals = await client.SendAsync(
            HttpMethod.Patch, $"checkoutSessions/{created.CheckoutSessionId}", "{\"paymentDetails\":{\"chargeAmount\":{\"amount\":\"100.0\",\"currencyCode\":\"JPY\"}}}"u8.ToArray());
        var asNumber = await client.SendAsync(
            HttpMethod.Patch, $"checkoutSessions/{created.CheckoutSessionId}", "{\"paymentDetails\":{\"chargeAmount\":{\"amount\":100,\"currencyCode\":\"JPY\"}}}"u8.ToArray());

        AssertError(withDecimals, 400, "InvalidParameterValue", "JPY has no decimals");
        Assert.Equal(200, asNumber.StatusCode);
        Assert.Equal("100", JsonDocument.Parse(asNumber.Body).RootElement.GetProperty("paymentDetails").GetProperty("chargeAmount").GetProperty("amount").GetString());
    }

    [Fact]
    public async Task Update_WithCreationOnlyField_IsRefused()
    {
        using var client = Host.Client(Merchant);
        var created = (await Checkouts.CreateAsync(client, Merchant)).Value;

        var response = await client.SendAsync(
            HttpMethod.Patch, $"checkoutSessions/{created.CheckoutSessionId}", "{\"paymentDetails\":{\"allowOvercharge\":true}}"u8.ToArray());

        AssertError(response, 400, "InvalidParameterValue", "allowOvercharge is creation-only");
    }

    [Theory]
    [InlineData(null, "MissingHeader")]
    [InlineData("", "MissingHeaderValue")]
    [InlineData("has spaces in it", "InvalidHeaderValue")]
    [InlineData("123456789012345678901234567890123", "InvalidHeaderValue")]
    public async Task Create_WithBadIdempotencyKey_IsRefused(string? key, string reasonCode)
    {
        // Tillpoint.Client adds a key to every POST, so these requests are signed by hand.
        var headers = key is null ? null : new Dictionary<string, string> { ["x-amz-pay-idempotency-key"] = key };
        var body = Encoding.UTF8.GetBytes($"{{\"storeId\":\"{Merchant.StoreId}\",\"webCheckoutDetails\":{{\"checkoutReviewReturnUrl\":\"https://a.example/r\"}}}}");

        var (status, responseBody, requestId) = await RawRequests.SendAsync(
            Host, Merchant, Merchant.SandboxKeyId, HttpMethod.Post, "/v2/checkoutSessions", body, headers);

        AssertError(new AmazonPayRawResponse(status, Encoding.UTF8.GetBytes(responseBody), requestId), 400, reasonCode, $"idempotency key {key}");
    }

    [Fact]
    public async Task UnknownIds_AreResourceNotFound()
    {
        using var client = Host.Client(Merchant);

        var session = await client.SendAsync(HttpMethod.Get, "checkoutSessions/00000000-0000-0000-0000-000000000000", null);
        var permission = await client.SendAsync(HttpMethod.Get, "chargePermissions/S01-0000000-0000000", null);
        var capture = await client.SendAsync(HttpMethod.Post, "charges/S01-0000000-0000000-C000000/capture", "{\"captureAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"}}"u8.ToArray());

        AssertError(session, 404, "ResourceNotFound", "session");
        AssertError(permission, 404, "ResourceNotFound", "permission");
        AssertError(capture, 404, "ResourceNotFound", "capture");
    }

    [Fact]
    public async Task OversizedBody_IsRefusedBeforeItIsRead()
    {
        using var client = Host.Client(Merchant);

        var response = await client.SendAsync(HttpMethod.Post, "checkoutSessions", Encoding.UTF8.GetBytes("{\"storeId\":\"" + new string('x', 70_000) + "\"}"));

        AssertError(response, 400, "InvalidRequest", "body too large");
    }

    internal static void AssertError(AmazonPayRawResponse response, int status, string reasonCode, string why)
    {
        var body = Encoding.UTF8.GetString(response.Body);
        Assert.True(status == response.StatusCode, $"{why}: expected {status}, got {response.StatusCode} {body}");
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(reasonCode, root.GetProperty("reasonCode").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("message").GetString()));
        Assert.Equal(2, root.EnumerateObject().Count());
        Assert.NotNull(response.RequestId);
    }

    [Theory]
    [InlineData("a|b")]
    [InlineData("S01-0000000-0000000-C000001 x")]
    [InlineData("ümlaut")]
    public async Task IdWithEscapedCharacters_IsVerifiedAgainstTheEscapedPath_AndNotFound(string id)
    {
        // Clients sign the path as sent (escaped); a decoded comparison would answer 403 instead.
        using var client = Host.Client(Merchant);

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => client.GetChargeAsync(id));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("ResourceNotFound", error.ReasonCode);
    }

    [Fact]
    public async Task IdsHoldingANulCharacter_AreNotFound_WhereverTheyAreSent()
    {
        // PostgreSQL text cannot hold U+0000; such an id must still be an ordinary "not found", on either store. (Kestrel
        // itself refuses %00 in a path, so ids in paths never carry one.)
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();

        var charge = await client.SendAsync(
            HttpMethod.Post,
            "charges",
            "{\"chargePermissionId\":\"S01-0000000\\u0000-0000000\",\"chargeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"}}"u8.ToArray(),
            new RequestOptions { IdempotencyKey = AmazonPayClient.NewIdempotencyKey() });
        var refund = await client.SendAsync(
            HttpMethod.Post,
            "refunds",
            "{\"chargeId\":\"S01-0000000-0000000-C\\u0000\",\"refundAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"}}"u8.ToArray(),
            new RequestOptions { IdempotencyKey = AmazonPayClient.NewIdempotencyKey() });
        var tracker = await client.SendAsync(
            HttpMethod.Post,
            "deliveryTrackers",
            "{\"chargePermissionId\":\"\\u0000\",\"deliveryDetails\":[{\"trackingNumber\":\"1Z999\",\"carrierCode\":\"UPS\"}]}"u8.ToArray());
        using var page = await browser.GetAsync(new Uri("/checkout/processing?amazonCheckoutSessionId=cs%00x", UriKind.Relative));

        AssertError(refund, 404, "ResourceNotFound", "create refund");
        AssertError(tracker, 404, "ResourceNotFound", "delivery tracker");
        AssertError(charge, 404, "ResourceNotFound", "create charge");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }
}
