using System.Net;
using Tillpoint.Shop.Tests.Support;
using static Tillpoint.Shop.Tests.Support.HtmlPage;

namespace Tillpoint.Shop.Tests;

/// <summary>Checkouts that do not end in a payment at once: declined, canceled by the buyer, pending.</summary>
public sealed class PaymentFailureTests(ShopFixture fixture) : IClassFixture<ShopFixture>
{
    private ShopHost Host => fixture.Host;

    [Fact]
    public async Task DeclinedPayment_ShowsTheReasonInBuyerWords_AndTryingAgainWithAnotherCardPays()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("tee");

        var (declinedSession, _, declined) = await buyer.CheckoutAsync("visa-3434");

        Assert.Equal("Canceled", State(declined));
        Assert.Equal("Declined", Attribute(declined, "cancelReason", "data-reason"));
        Assert.Equal("Your payment was not successful. Please try another payment method.", Text(declined, "cancelReason"));
        Assert.Equal("/cart", Attribute(declined, "tryAgain", "href"));
        // Nothing was bought, so the cart is still there for the second try.
        Assert.Contains("Tillpoint T-shirt", await buyer.GetAsync("/cart"), StringComparison.Ordinal);

        var (retrySession, _, paid) = await buyer.CheckoutAsync("visa-1111");

        Assert.NotEqual(declinedSession, retrySession);
        Assert.Equal("Paid", State(paid));
        Assert.NotEqual(Buyer.OrderPath(declined), Buyer.OrderPath(paid));
        var declinedOrder = await buyer.GetAsync(Buyer.OrderPath(declined));
        Assert.Equal("Canceled", State(declinedOrder));
        Assert.Equal("$0.00", Text(declinedOrder, "amountCaptured"));
        Assert.False(Has(declinedOrder, "ship"));
        Assert.False(Has(declinedOrder, "refund"));
        using var amazonPay = Host.AmazonPay();
        var session = (await amazonPay.GetCheckoutSessionAsync(declinedSession)).Value;
        Assert.Equal("Canceled", session.StatusDetails!.State);
        Assert.Equal("Declined", session.StatusDetails.ReasonCode);
    }

    [Fact]
    public async Task BuyerCancelingDuringProcessing_IsShownAsCanceledByTheBuyer()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("mug");

        var (_, _, result) = await buyer.CheckoutAsync("visa-3064");

        Assert.Equal("Canceled", State(result));
        Assert.Equal("BuyerCanceled", Attribute(result, "cancelReason", "data-reason"));
        Assert.Equal("You canceled the payment on Amazon Pay. Nothing was charged.", Text(result, "cancelReason"));
        Assert.True(Has(result, "tryAgain"));
    }

    [Fact]
    public async Task BuyerCancelingOnAmazonPaysPage_ComesBackToTheCartWithItsItems()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("notebook", 3);
        var checkoutSessionId = await buyer.ClickAmazonPayButtonAsync();

        using var canceled = await buyer.Pages.CancelAsync(checkoutSessionId);

        Assert.Equal(HttpStatusCode.SeeOther, canceled.StatusCode);
        Assert.Equal(new Uri(Host.ShopBase, "cart?checkout=canceled"), canceled.Headers.Location);
        var cart = await buyer.GetAsync(canceled.Headers.Location!.AbsoluteUri);
        Assert.True(Has(cart, "checkoutCanceled"));
        Assert.Equal("$29.25", Text(cart, "subtotal"));
        // The canceled checkout cannot be reviewed any more; the buyer is told to start again.
        var review = await buyer.GetAsync($"/checkout/review?amazonCheckoutSessionId={checkoutSessionId}", HttpStatusCode.Conflict);
        Assert.Contains("You canceled the payment", review, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PendingAuthorization_ShowsPaymentPending_ThenTheOrderPageCapturesOnceAuthorized()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("mug");

        var (checkoutSessionId, _, result) = await buyer.CheckoutAsync("visa-0701");

        Assert.Equal("PaymentPending", State(result));
        Assert.Contains("payment is pending", result, StringComparison.Ordinal);
        var orderPath = Buyer.OrderPath(result);
        var order = await buyer.GetAsync(orderPath);
        Assert.Equal("PaymentPending", State(order));
        Assert.Equal("AuthorizationInitiated", Text(order, "chargeState"));
        Assert.Equal("$0.00", Text(order, "amountCaptured"));
        Assert.False(Has(order, "ship"));

        await Host.Tillpoint.AdvanceSandboxAsync(TimeSpan.FromSeconds(31));
        order = await buyer.GetAsync(orderPath);

        Assert.Equal("Paid", State(order));
        Assert.Equal("Captured", Text(order, "chargeState"));
        Assert.Equal("$17.50", Text(order, "amountCaptured"));
        Assert.True(Has(order, "ship"));
        using var amazonPay = Host.AmazonPay();
        var session = (await amazonPay.GetCheckoutSessionAsync(checkoutSessionId)).Value;
        Assert.Equal("Captured", (await amazonPay.GetChargeAsync(session.ChargeId!)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task PendingAuthorization_ThatIsDeclined_CancelsTheOrderWithTheReason()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("stickers");

        var (_, _, result) = await buyer.CheckoutAsync("visa-4354");
        Assert.Equal("PaymentPending", State(result));

        await Host.Tillpoint.AdvanceSandboxAsync(TimeSpan.FromSeconds(31));
        var order = await buyer.GetAsync(Buyer.OrderPath(result));

        Assert.Equal("Canceled", State(order));
        Assert.Equal("HardDeclined", Attribute(order, "cancelReason", "data-reason"));
        Assert.Contains("Your payment was not successful", Text(order, "cancelReason"), StringComparison.Ordinal);
        Assert.Equal("$0.00", Text(order, "amountCaptured"));
    }
}
