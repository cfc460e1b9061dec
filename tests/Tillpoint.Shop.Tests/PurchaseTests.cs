using System.Net;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Shop.Tests.Support;
using static Tillpoint.Shop.Tests.Support.HtmlPage;

namespace Tillpoint.Shop.Tests;

/// <summary>The whole purchase over HTTP, from the cart to the refund, checked against what Amazon Pay (Tillpoint) recorded.</summary>
public sealed class PurchaseTests(ShopFixture fixture) : IClassFixture<ShopFixture>
{
    private ShopHost Host => fixture.Host;

    [Fact]
    public async Task Purchase_FromCartToRefund_CapturesShipsAndRefundsThroughAmazonPay()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("mug", 2);       // 25.00
        await buyer.AddToCartAsync("stickers");     // 4.99

        var (checkoutSessionId, review, result) = await buyer.CheckoutAsync();

        // Review (step 3): what the buyer chose on Amazon Pay's page, shipping from the address' country.
        Assert.Equal("Jane Doe", Text(review, "buyerName"));
        Assert.Equal("jane.doe@buyers.tillpoint.test", Text(review, "buyerEmail"));
        Assert.Contains("410 Terry Ave N", Text(review, "shippingAddress"), StringComparison.Ordinal);
        Assert.Equal("Visa ****1111", Text(review, "paymentDescriptor"));
        Assert.Equal("$29.99", Text(review, "subtotal"));
        Assert.Equal("$5.00", Text(review, "shippingCost"));
        Assert.Equal("$34.99", Text(review, "orderTotal"));

        // Result (step 5): completed, verified and captured.
        Assert.Equal("Paid", State(result));
        var orderPath = Buyer.OrderPath(result);
        var orderNumber = orderPath["/orders/".Length..];
        using var amazonPay = Host.AmazonPay();
        var session = (await amazonPay.GetCheckoutSessionAsync(checkoutSessionId)).Value;
        Assert.Equal("Completed", session.StatusDetails!.State);
        var charge = (await amazonPay.GetChargeAsync(session.ChargeId!)).Value;
        Assert.Equal("Captured", charge.StatusDetails!.State);
        Assert.Equal("34.99", charge.CaptureAmount!.Amount);
        Assert.Equal("TILLPOINT SHOP", charge.SoftDescriptor);
        var permission = (await amazonPay.GetChargePermissionAsync(session.ChargePermissionId!)).Value;
        Assert.Equal(orderNumber, permission.MerchantMetadata!.MerchantReferenceId);
        Assert.Equal("Tillpoint Demo Shop", permission.MerchantMetadata.MerchantStoreName);
        Assert.Equal($"Thank you for your order #{orderNumber}.", permission.MerchantMetadata.NoteToBuyer);

        // The cart became the order.
        Assert.Contains("Cart (0 items)", result, StringComparison.Ordinal);

        // The order page keeps the ids and amounts.
        var order = await buyer.GetAsync(orderPath);
        Assert.Equal("Paid", State(order));
        Assert.Equal(session.ChargePermissionId, Text(order, "chargePermissionId"));
        Assert.Equal(session.ChargeId, Text(order, "chargeId"));
        Assert.Equal("$34.99", Text(order, "amountAuthorized"));
        Assert.Equal("$34.99", Text(order, "amountCaptured"));
        Assert.Equal("$0.00", Text(order, "amountRefunded"));
        // Where it goes: the recipient's name is the address' first line, said once.
        Assert.StartsWith("Jane Doe410 Terry Ave N", Text(order, "deliveryAddress"), StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(order, "Jane Doe"));

        // Ship: a delivery tracker for UPS.
        var trackingNumber = Attribute(order, "trackingNumberInput", "value");
        using (var shipped = await buyer.SubmitAsync(order, "shipForm", ("trackingNumber", trackingNumber)))
        {
            Assert.Equal(HttpStatusCode.SeeOther, shipped.StatusCode);
        }

        order = await buyer.GetAsync(orderPath);
        Assert.Equal("Shipped", State(order));
        Assert.Equal(trackingNumber, Text(order, "trackingNumber"));
        Assert.False(Has(order, "ship"));
        await AssertTrackerRecordedAsync(amazonPay, session.ChargePermissionId!, trackingNumber);

        // Refund part of it: RefundInitiated, then Refunded once Amazon Pay settles it.
        using (var refunded = await buyer.SubmitAsync(order, "refundForm", ("amount", "10.00")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, refunded.StatusCode);
        }

        order = await buyer.GetAsync(orderPath);
        Assert.Equal(["RefundInitiated"], RefundStates(order));
        await Host.Tillpoint.AdvanceSandboxAsync(TimeSpan.FromSeconds(31));
        order = await buyer.GetAsync(orderPath);
        Assert.Equal(["Refunded"], RefundStates(order));
        Assert.Equal("$10.00", Text(order, "amountRefunded"));
        Assert.Equal("Shipped", State(order));
        Assert.Equal("24.99", Attribute(order, "refundAmount", "value"));

        // Refund the rest: the order is Refunded.
        using (var rest = await buyer.SubmitAsync(order, "refundForm", ("amount", "24.99")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, rest.StatusCode);
        }

        await Host.Tillpoint.AdvanceSandboxAsync(TimeSpan.FromSeconds(31));
        order = await buyer.GetAsync(orderPath);
        Assert.Equal("Refunded", State(order));
        Assert.Equal("$34.99", Text(order, "amountRefunded"));
        Assert.False(Has(order, "refund"));
        Assert.Equal("34.99", (await amazonPay.GetChargeAsync(session.ChargeId!)).Value.RefundedAmount!.Amount);
    }

    [Fact]
    public async Task CartPage_ButtonAndFallbackLink_CarryTheSameSignedCreateCheckoutSessionBody()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("mug");

        var button = await buyer.CartButtonAsync();
        var cart = await buyer.GetAsync("/cart");

        Assert.Equal(Host.Merchant.MerchantId, button.MerchantId);
        Assert.Equal(Host.Merchant.SandboxKeyId, button.PublicKeyId);
        Assert.Equal("AMZN-PAY-RSASSA-PSS-V2", button.Algorithm);
        Assert.Equal("true", button.Sandbox);
        using var payload = System.Text.Json.JsonDocument.Parse(button.PayloadJson);
        var body = payload.RootElement;
        Assert.Equal(new Uri(Host.ShopBase, "checkout/review").AbsoluteUri, body.GetProperty("webCheckoutDetails").GetProperty("checkoutReviewReturnUrl").GetString());
        Assert.Equal(new Uri(Host.ShopBase, "cart?checkout=canceled").AbsoluteUri, body.GetProperty("webCheckoutDetails").GetProperty("checkoutCancelUrl").GetString());
        Assert.Equal(Host.Merchant.StoreId, body.GetProperty("storeId").GetString());
        Assert.Contains("shippingAddress", body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("RestrictPOBoxes", body.GetProperty("deliverySpecifications").GetProperty("specialRestrictions")[0].GetString());

        // The plain link for browsers without checkout.js: Tillpoint's /checkout/start with the very same values.
        Assert.Equal(new Uri(Host.Tillpoint.HttpsBase, "checkout/start").AbsoluteUri, button.FallbackLink.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(button.FallbackLink.Query);
        Assert.Equal(button.PayloadJson, query["payload"]);
        Assert.Equal(button.Signature, query["signature"]);
        Assert.Equal(button.PublicKeyId, query["publicKeyId"]);
        Assert.Equal(button.Algorithm, query["algorithm"]);
        Assert.Contains($"<script src=\"{new Uri(Host.Tillpoint.HttpsBase, "checkout.js").AbsoluteUri}\" defer></script>", cart, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_ShippingToGermany_CostsTheEuropeanRate()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("tee");

        var (_, review, result) = await buyer.CheckoutAsync(buyerName: "Erika Mustermann");

        Assert.Equal("Erika Mustermann", Text(review, "buyerName"));
        Assert.Equal("$18.00", Text(review, "shippingCost"));
        Assert.Equal("$42.00", Text(review, "orderTotal"));
        Assert.Equal("Paid", State(result));
        Assert.Equal("$42.00", Text(await buyer.GetAsync(Buyer.OrderPath(result)), "amountCaptured"));
    }

    [Fact]
    public async Task Review_AfterChangingTheAddressOnAmazonPay_ShowsTheNewAddress()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("notebook");
        var checkoutSessionId = await buyer.ClickAmazonPayButtonAsync();
        var review = await buyer.GetAsync((await buyer.ApproveAsync(checkoutSessionId)).AbsoluteUri);

        // Without checkout.js the change link is a plain link to Tillpoint's page for this checkout.
        var change = new Uri(Attribute(review, "changeAddress", "href"));
        Assert.Equal(new Uri(Host.Tillpoint.HttpsBase, $"checkout/{checkoutSessionId}"), change);
        Assert.Equal(change, new Uri(Attribute(review, "changePayment", "href")));
        var back = await buyer.ApproveAsync(checkoutSessionId, "mastercard-4444", addressIndex: 1);
        review = await buyer.GetAsync(back.AbsoluteUri);

        Assert.Contains("100 Main Street", Text(review, "shippingAddress"), StringComparison.Ordinal);
        Assert.Equal("Mastercard ****4444", Text(review, "paymentDescriptor"));
    }

    [Fact]
    public async Task ResultPage_LoadedAgainOrInParallel_CompletesAndCapturesOnce()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("mug");
        var checkoutSessionId = await buyer.ClickAmazonPayButtonAsync();
        var review = await buyer.GetAsync((await buyer.ApproveAsync(checkoutSessionId)).AbsoluteUri);
        var result = await buyer.Pages.ProcessAsync(await buyer.PlaceOrderAsync(review));

        // A buyer double-clicking or opening two tabs: every load answers the same, nothing fails.
        var pages = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => buyer.GetAsync(result.AbsoluteUri)));
        var again = await buyer.GetAsync(result.AbsoluteUri);

        Assert.All(pages, page => Assert.Equal("Paid", State(page)));
        Assert.Equal("Paid", State(again));
        Assert.Single(pages.Select(Buyer.OrderPath).Append(Buyer.OrderPath(again)).Distinct());
        using var amazonPay = Host.AmazonPay();
        var session = (await amazonPay.GetCheckoutSessionAsync(checkoutSessionId)).Value;
        Assert.Equal("17.50", (await amazonPay.GetChargeAsync(session.ChargeId!)).Value.CaptureAmount!.Amount);
    }

    [Fact]
    public async Task Refund_SubmittedTwiceForTheSameAmount_IsOneRefund()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("stickers", 2);
        var (checkoutSessionId, _, result) = await buyer.CheckoutAsync();
        var orderPath = Buyer.OrderPath(result);
        var order = await buyer.GetAsync(orderPath);

        using (var first = await buyer.SubmitAsync(order, "refundForm", ("amount", "3.00")))
        using (var second = await buyer.SubmitAsync(order, "refundForm", ("amount", "3.00")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
            Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        }

        await Host.Tillpoint.AdvanceSandboxAsync(TimeSpan.FromSeconds(31));
        order = await buyer.GetAsync(orderPath);
        Assert.Equal(["Refunded"], RefundStates(order));
        using var amazonPay = Host.AmazonPay();
        var session = (await amazonPay.GetCheckoutSessionAsync(checkoutSessionId)).Value;
        Assert.Equal("3.00", (await amazonPay.GetChargeAsync(session.ChargeId!)).Value.RefundedAmount!.Amount);
    }

    [Fact]
    public async Task OrderPage_ShipTwiceOrRefundTooMuch_ExplainsAndChangesNothing()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("mug");
        var (_, _, result) = await buyer.CheckoutAsync();
        var orderPath = Buyer.OrderPath(result);
        var order = await buyer.GetAsync(orderPath);
        var (shipAction, token) = Server.Tests.Support.HostedCheckout.Form(order, "shipForm");
        var (refundAction, _) = Server.Tests.Support.HostedCheckout.Form(order, "refundForm");

        foreach (var amount in new[] { "", "abc", "0", "-1", "1.001", "17.51", "1e3" })
        {
            using var refused = await buyer.PostAsync(refundAction, token, ("amount", amount));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.True(Has(await refused.Content.ReadAsStringAsync(), "problem"), $"no explanation for amount '{amount}'");
        }

        using (var badNumber = await buyer.PostAsync(shipAction, token, ("trackingNumber", "not a number!")))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, badNumber.StatusCode);
        }

        using (var shipped = await buyer.PostAsync(shipAction, token, ("trackingNumber", "1ZTEST0000000001")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, shipped.StatusCode);
        }

        using (var twice = await buyer.PostAsync(shipAction, token, ("trackingNumber", "1ZTEST0000000002")))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
            Assert.Contains("already shipped", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        order = await buyer.GetAsync(orderPath);
        Assert.Equal("Shipped", State(order));
        Assert.Equal("1ZTEST0000000001", Text(order, "trackingNumber"));
        Assert.True(Has(order, "noRefunds"));
    }

    [Fact]
    public async Task Ship_ATrackingNumberAmazonPayAlreadyHas_IsRefusedWithItsReason()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("mug");
        var first = Buyer.OrderPath((await buyer.CheckoutAsync()).ResultPage);
        await buyer.AddToCartAsync("mug");
        var second = Buyer.OrderPath((await buyer.CheckoutAsync()).ResultPage);

        using (var shipped = await buyer.SubmitAsync(await buyer.GetAsync(first), "shipForm", ("trackingNumber", "1ZDUPLICATE0000001")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, shipped.StatusCode);
        }

        using var duplicate = await buyer.SubmitAsync(await buyer.GetAsync(second), "shipForm", ("trackingNumber", "1ZDUPLICATE0000001"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        Assert.Contains("InvalidParameterValue", Text(await duplicate.Content.ReadAsStringAsync(), "problem"), StringComparison.Ordinal);
        Assert.Equal("Paid", State(await buyer.GetAsync(second)));
    }

    private static List<string> RefundStates(string order) =>
        [.. System.Text.RegularExpressions.Regex.Matches(order, "<li data-refund-id=\"[^\"]+\" data-state=\"([^\"]+)\"").Select(m => m.Groups[1].Value)];

    private static async Task AssertTrackerRecordedAsync(AmazonPayClient amazonPay, string chargePermissionId, string trackingNumber)
    {
        // Amazon Pay keeps each tracking number once per merchant: sending it again is refused, which proves it arrived.
        var again = await Assert.ThrowsAsync<AmazonPayException>(() => amazonPay.DeliveryTrackersAsync(new DeliveryTrackerRequest
        {
            ChargePermissionId = chargePermissionId,
            DeliveryDetails = [new DeliveryDetailDto { TrackingNumber = trackingNumber, CarrierCode = "UPS" }],
        }));
        Assert.Equal("InvalidParameterValue", again.ReasonCode);
    }
}
