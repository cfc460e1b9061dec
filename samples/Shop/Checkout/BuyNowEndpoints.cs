using System.Text.Json;
using System.Text.Json.Nodes;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Protocol.Signing;
using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Configuration;
using Tillpoint.Shop.Payments;
using Tillpoint.Shop.Web;

namespace Tillpoint.Shop.Checkout;

/// <summary>
/// Buy Now on a product page: the button's handlers ask the shop for the cart of one product shipped to the buyer's
/// address (<c>/buy-now/{sku}/cart</c>), and when the buyer pays, the shop finalizes the checkout at Amazon Pay with
/// the same amounts and records the order (<c>/buy-now/{sku}/complete</c>). No review page and no redirects.
/// </summary>
public static class BuyNowEndpoints
{
    /// <summary>Express delivery costs this much on top of the destination's standard rate.</summary>
    public const decimal ExpressSurcharge = 10.00m;

    public static void MapBuyNow(this WebApplication app)
    {
        app.MapGet("/products/{sku}", ProductPageAsync);
        app.MapPost("/buy-now/{sku}/cart", PriceAsync);
        app.MapPost("/buy-now/{sku}/complete", CompleteAsync);
    }

    private static async Task<IResult> ProductPageAsync(string sku, HttpContext context, AmazonPayClient amazonPay, TillpointCheck tillpoint, ShopOptions options, CancellationToken ct)
    {
        if (Products.Find(sku) is not { } product)
        {
            return Layout.Problem(context, StatusCodes.Status404NotFound, "Unknown product", "That product is not in the catalogue.");
        }

        var problem = await tillpoint.ProblemAsync(ct);
        var (payloadJson, signature) = SignedPayload(amazonPay, options);
        var pay = problem is not null
            ? Html.Of($"""<p class="alert" role="alert" id="tillpointProblem">Buy Now is not available: {problem}</p>""")
            : Html.Of($"""
                <div id="BuyNowButton"
                     data-sku="{product.Sku}"
                     data-merchant-id="{options.MerchantId}"
                     data-public-key-id="{options.PublicKeyId}"
                     data-ledger-currency="{options.Currency}"
                     data-sandbox="{(options.Sandbox ? "true" : "false")}"
                     data-estimated-amount="{Money.ApiAmount(product.Price + ShippingRates.Domestic)}"
                     data-payload-json="{payloadJson}"
                     data-signature="{signature}"
                     data-algorithm="{SignatureAlgorithms.RsassaPssV2Name}"></div>
                <p id="buyNowStatus" role="status"></p>
                """);
        return Layout.Page(context, StatusCodes.Status200OK, product.Name, Html.Of($"""
            <h1>{product.Name}</h1>
            <p>{product.Description}</p>
            <p class="price">{Money.Display(product.Price, options.Currency)}</p>
            <section class="pay" aria-label="Buy now">{pay}</section>
            """), problem is null ? Html.Of($"""
                <script src="{new Uri(options.TillpointPublicUrl, "checkout.js").AbsoluteUri}" defer></script>
                <script src="/assets/buynow.js" defer></script>
                """) : Html.Empty);
    }

    /// <summary>The cart for the buyer's address and delivery option, in the shape the Buy Now handlers return.</summary>
    private static async Task<IResult> PriceAsync(string sku, HttpContext context, ShopOptions options, CancellationToken ct)
    {
        var request = await ReadAsync(context, options, ct);
        if (request.Problem is not null || Products.Find(sku) is not { } product)
        {
            return Results.BadRequest(new { problem = request.Problem ?? "unknown product" });
        }

        var country = (string?)request.Event!["shippingAddress"]?["countryCode"];
        var delivery = (string?)request.Event["deliveryOptions"]?[0]?["id"] ?? "standard";
        return Results.Json(Cart(product, country, delivery, options.Currency));
    }

    /// <summary>
    /// The buyer paid in the dialog: the order is priced again here from the session's own address (never from what
    /// the browser says), placed, and finalized with that total. Amazon Pay refuses a total the buyer did not see.
    /// </summary>
    private static async Task<IResult> CompleteAsync(string sku, HttpContext context, OrderPayments payments, ShopOptions options, CancellationToken ct)
    {
        var request = await ReadAsync(context, options, ct);
        if (request.Problem is not null || Products.Find(sku) is not { } product)
        {
            return Results.BadRequest(new { problem = request.Problem ?? "unknown product" });
        }

        var checkoutSessionId = (string?)request.Event!["amazonCheckoutSessionId"];
        var delivery = (string?)request.Event["deliveryOptionId"] ?? "standard";
        if (string.IsNullOrEmpty(checkoutSessionId) || delivery is not ("standard" or "express"))
        {
            return Results.BadRequest(new { problem = "amazonCheckoutSessionId and a known deliveryOptionId are required" });
        }

        var outcome = await payments.FinalizeBuyNowAsync(
            checkoutSessionId, new Cart([new CartLine(product, 1)]), country => ShippingCost(country, delivery), ct);
        return outcome.Order is { } order
            ? Results.Json(new { orderUrl = $"/orders/{order.Number}" })
            : Results.Json(new { status = "error", reasonCode = outcome.ReasonCode }, statusCode: StatusCodes.Status409Conflict);
    }

    private static decimal ShippingCost(string? country, string delivery) =>
        ShippingRates.For(country) + (delivery == "express" ? ExpressSurcharge : 0m);

    private static JsonObject Cart(Product product, string? country, string delivery, string currency)
    {
        JsonObject Price(decimal amount) => new() { ["amount"] = Money.ApiAmount(amount), ["currencyCode"] = currency };
        var shipping = ShippingCost(country, delivery);
        return new JsonObject
        {
            ["totalBaseAmount"] = Price(product.Price),
            ["totalShippingAmount"] = Price(shipping),
            ["totalTaxAmount"] = Price(0m),
            ["totalChargeAmount"] = Price(product.Price + shipping),
            ["totalOrderAmount"] = Price(product.Price + shipping),
            ["lineItems"] = new JsonArray(new JsonObject { ["id"] = product.Sku, ["title"] = product.Name, ["quantity"] = 1, ["listPrice"] = Price(product.Price) }),
            ["deliveryOptions"] = new JsonArray(
                new JsonObject { ["id"] = "standard", ["price"] = Price(ShippingCost(country, "standard")), ["shippingMethod"] = new JsonObject { ["shippingMethodName"] = "Standard" }, ["isDefault"] = delivery == "standard" },
                new JsonObject { ["id"] = "express", ["price"] = Price(ShippingCost(country, "express")), ["shippingMethod"] = new JsonObject { ["shippingMethodName"] = "Express" }, ["isDefault"] = delivery == "express" }),
        };
    }

    /// <summary>
    /// A handler's event, posted by the shop's own page. JSON only, and only from the shop's origin: another site's
    /// page cannot send this without a CORS preflight, which the shop does not answer.
    /// </summary>
    private static async Task<(JsonNode? Event, string? Problem)> ReadAsync(HttpContext context, ShopOptions options, CancellationToken ct)
    {
        var origin = ShopUrls.Base(context, options).GetLeftPart(UriPartial.Authority);
        if (context.Request.Headers.Origin.ToString() != origin || context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return (null, "a JSON request from the shop's own pages is required");
        }

        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: ct) is JsonObject body ? (body, null) : (null, "a JSON object is required");
        }
        catch (JsonException)
        {
            return (null, "the body is not JSON");
        }
    }

    /// <summary>The Buy Now button's payload: no return URLs and no amounts, which the cart sets.</summary>
    private static (string PayloadJson, string Signature) SignedPayload(AmazonPayClient amazonPay, ShopOptions options)
    {
        var payload = new CreateCheckoutSessionRequest
        {
            StoreId = options.StoreId,
            Scopes = [.. CheckoutButton.Scopes],
            DeliverySpecifications = new DeliverySpecificationsDto { SpecialRestrictions = ["RestrictPOBoxes"] },
            PaymentDetails = new PaymentDetailsDto { PaymentIntent = "Authorize", CanHandlePendingAuthorization = true },
        };
        var payloadJson = JsonSerializer.Serialize(payload, ApiRequestJsonContext.Default.CreateCheckoutSessionRequest);
        return (payloadJson, amazonPay.GenerateButtonSignature(payloadJson));
    }
}
