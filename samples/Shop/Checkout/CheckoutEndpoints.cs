using Tillpoint.Protocol.Json;
using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Configuration;
using Tillpoint.Shop.Orders;
using Tillpoint.Shop.Payments;
using Tillpoint.Shop.Web;

namespace Tillpoint.Shop.Checkout;

/// <summary>
/// The two pages Amazon Pay sends the buyer back to: <c>checkoutReviewReturnUrl</c> (steps 3 and 4: review, place
/// the order) and <c>checkoutResultReturnUrl</c> (step 5: complete, verify, capture).
/// </summary>
public static class CheckoutEndpoints
{
    private const string SessionParameter = "amazonCheckoutSessionId";

    public static void MapCheckout(this WebApplication app)
    {
        app.MapGet("/checkout/review", ReviewAsync);
        app.MapPost("/checkout/review", PlaceOrderAsync);
        app.MapGet("/checkout/result", ResultAsync);
    }

    private static async Task<IResult> ReviewAsync(HttpContext context, OrderPayments payments, OrderStore orders, ShopOptions options, CancellationToken ct)
    {
        var checkoutSessionId = context.Request.Query[SessionParameter].ToString();
        if (!IsSessionId(checkoutSessionId))
        {
            return MissingSession(context);
        }

        if (orders.FindByCheckoutSession(checkoutSessionId) is { State: not OrderState.AwaitingPayment } placed)
        {
            return Layout.SeeOther($"/orders/{placed.Number}");
        }

        var session = await payments.GetCheckoutSessionAsync(checkoutSessionId, ct);
        if (session is null)
        {
            return Layout.Problem(context, StatusCodes.Status404NotFound, "Checkout not found", "This Amazon Pay checkout does not exist. Please start again from your cart.", "/cart", "Back to your cart");
        }

        if (session.StatusDetails?.State != "Open")
        {
            return Layout.Problem(
                context, StatusCodes.Status409Conflict, "Checkout ended", BuyerWords.CheckoutEnded(session.StatusDetails?.ReasonCode), "/cart", "Back to your cart");
        }

        var cart = CartCookie.Read(context);
        if (cart.IsEmpty)
        {
            return Layout.Problem(context, StatusCodes.Status409Conflict, "Your cart is empty", "Add something to your cart before you check out.", "/", "Browse the products");
        }

        var address = session.ShippingAddress;
        var shipping = ShippingRates.For(address?.CountryCode);
        var total = cart.Subtotal + shipping;
        var lines = cart.Lines.Select(l => Html.Of($"""
            <tr><th scope="row">{l.Product.Name}</th><td>{l.Quantity}</td><td class="amount">{Money.Display(l.Amount, options.Currency)}</td></tr>
            """));
        var changeLink = new Uri(options.TillpointPublicUrl, "checkout/" + Uri.EscapeDataString(checkoutSessionId)).AbsoluteUri;
        var placeOrder = address is null
            ? Html.Of($"""<p class="alert" role="alert">Amazon Pay has no shipping address for this order. Use “Change address” to pick one.</p>""")
            : Html.Of($"""
                <form id="placeOrderForm" method="post" action="/checkout/review">
                  {Layout.TokenField(context)}
                  <input type="hidden" name="{SessionParameter}" value="{checkoutSessionId}">
                  <button id="placeOrder" type="submit">Place order and pay {Money.Display(total, options.Currency)}</button>
                </form>
                """);

        var body = Html.Of($"""
            <h1>Review your order</h1>
            <div class="review">
              <section aria-labelledby="buyer-heading">
                <h2 id="buyer-heading">Buyer</h2>
                <p><span id="buyerName">{session.Buyer?.Name}</span><br><span id="buyerEmail">{session.Buyer?.Email}</span></p>
              </section>
              <section aria-labelledby="ship-heading">
                <h2 id="ship-heading">Ship to</h2>
                <address id="shippingAddress">{AddressLines(address)}</address>
                <p><a id="changeAddress" href="{changeLink}" data-amazon-checkout-session-id="{checkoutSessionId}">Change address</a></p>
              </section>
              <section aria-labelledby="pay-heading">
                <h2 id="pay-heading">Pay with</h2>
                <p id="paymentDescriptor">{session.PaymentPreferences?.FirstOrDefault()?.PaymentDescriptor ?? "Amazon Pay"}</p>
                <p><a id="changePayment" href="{changeLink}" data-amazon-checkout-session-id="{checkoutSessionId}">Change payment method</a></p>
              </section>
            </div>
            <table class="lines">
              <caption class="visually-hidden">Your order</caption>
              <thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col" class="amount">Amount</th></tr></thead>
              <tbody>{Html.Join(lines)}</tbody>
              <tfoot>
                <tr><th scope="row" colspan="2">Subtotal</th><td class="amount" id="subtotal">{Money.Display(cart.Subtotal, options.Currency)}</td></tr>
                <tr><th scope="row" colspan="2">Shipping to {address?.CountryCode ?? "—"}</th><td class="amount" id="shippingCost">{Money.Display(shipping, options.Currency)}</td></tr>
                <tr class="total"><th scope="row" colspan="2">Total</th><td class="amount" id="orderTotal">{Money.Display(total, options.Currency)}</td></tr>
              </tfoot>
            </table>
            {placeOrder}
            """);
        return Layout.Page(context, StatusCodes.Status200OK, "Review your order", body, StorefrontEndpoints.Scripts(options));
    }

    private static async Task<IResult> PlaceOrderAsync(HttpContext context, OrderPayments payments, ShopOptions options, CancellationToken ct)
    {
        if (!await Layout.IsFormValidAsync(context))
        {
            return Layout.FormExpired(context);
        }

        var form = await context.Request.ReadFormAsync(ct);
        var checkoutSessionId = form[SessionParameter].ToString();
        if (!IsSessionId(checkoutSessionId))
        {
            return MissingSession(context);
        }

        var outcome = await payments.PlaceOrderAsync(checkoutSessionId, CartCookie.Read(context), ShopUrls.Base(context, options), ct);
        return outcome switch
        {
            // 303 to Amazon Pay's processing page: it authorizes and sends the buyer to checkout/result.
            PlaceOrderOutcome.RedirectToAmazonPay redirect => Layout.SeeOther(redirect.Url),
            PlaceOrderOutcome.AlreadyPlaced placed => Layout.SeeOther($"/orders/{placed.Order.Number}"),
            PlaceOrderOutcome.Refused refused => Layout.Problem(context, refused.Status, "Cannot place the order", refused.Message, "/cart", "Back to your cart"),
            _ => throw new InvalidOperationException("Unknown outcome."),
        };
    }

    private static async Task<IResult> ResultAsync(HttpContext context, OrderPayments payments, OrderStore orders, ShopOptions options, CancellationToken ct)
    {
        var checkoutSessionId = context.Request.Query[SessionParameter].ToString();
        if (!IsSessionId(checkoutSessionId))
        {
            return MissingSession(context);
        }

        if (orders.FindByCheckoutSession(checkoutSessionId) is not { } order)
        {
            return Layout.Problem(context, StatusCodes.Status404NotFound, "Order not found", "We have no order for this checkout. Please start again from your cart.", "/cart", "Back to your cart");
        }

        order = await payments.CompleteCheckoutAsync(order, ct);
        var state = order.State;
        if (state is OrderState.PaymentPending or OrderState.Authorized or OrderState.Paid or OrderState.Shipped or OrderState.Refunded)
        {
            // The checkout went through: what was in the cart is now the order.
            CartCookie.Clear(context);
        }

        var orderLink = Html.Of($"""<p><a id="viewOrder" href="/orders/{order.Number}">View order #{order.Reference}</a></p>""");
        var stateTag = Html.Of($"""<p>Order state: <strong id="orderState" data-state="{state}">{state}</strong></p>""");
        return state switch
        {
            OrderState.AwaitingPayment => Layout.Problem(
                context, StatusCodes.Status409Conflict, "Checkout not finished", "This checkout has not been through Amazon Pay yet. Please place the order again.", "/cart", "Back to your cart"),
            OrderState.PaymentPending => Layout.Page(context, StatusCodes.Status200OK, "Payment pending", Html.Of($"""
                <h1>Thank you! Your payment is pending</h1>
                <p role="status">Amazon Pay is still confirming your payment for order #{order.Reference} ({Money.Display(order.Total, order.Currency)}). This usually takes a moment; the order page shows when it is done, and we ship once it is.</p>
                {stateTag}
                {orderLink}
                """)),
            OrderState.Authorized => Layout.Page(context, StatusCodes.Status200OK, "Thank you", Html.Of($"""
                <h1>Thank you for your order</h1>
                <p role="status">Order #{order.Reference} is confirmed. {Money.Display(order.Total, order.Currency)} is authorized on {order.Buyer.PaymentDescriptor ?? "Amazon Pay"}; the payment completes shortly.</p>
                {stateTag}
                {orderLink}
                """)),
            OrderState.Paid or OrderState.Shipped or OrderState.Refunded => Layout.Page(context, StatusCodes.Status200OK, "Thank you", Html.Of($"""
                <h1>Thank you for your order</h1>
                <p role="status">Order #{order.Reference} is confirmed and {Money.Display(order.Total, order.Currency)} was paid with {order.Buyer.PaymentDescriptor ?? "Amazon Pay"}.</p>
                {stateTag}
                {orderLink}
                """)),
            OrderState.Canceled => Layout.Page(context, StatusCodes.Status200OK, "Payment not completed", Html.Of($"""
                <h1>Your payment was not completed</h1>
                <p class="alert" role="alert" id="cancelReason" data-reason="{order.CancelReason}">{BuyerWords.Canceled(order.CancelReason)}</p>
                {stateTag}
                <p><a id="tryAgain" class="button" href="/cart">Try again</a> Your cart is still there; checking out again starts a new Amazon Pay checkout.</p>
                {orderLink}
                """)),
        };
    }

    private static Html AddressLines(AddressDto? address)
    {
        if (address is null)
        {
            return Html.Of($"No address chosen");
        }

        return Html.Lines(
        [
            address.Name, address.AddressLine1, address.AddressLine2, address.AddressLine3,
            string.Join(' ', new[] { address.PostalCode, address.City, address.StateOrRegion }.Where(p => !string.IsNullOrEmpty(p))),
            address.CountryCode,
        ]);
    }

    /// <summary>Checkout session ids are UUIDs; anything else is not worth a call to Amazon Pay.</summary>
    private static bool IsSessionId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static IResult MissingSession(HttpContext context) => Layout.Problem(
        context, StatusCodes.Status400BadRequest, "Missing checkout", "This link is missing its Amazon Pay checkout id. Please start again from your cart.", "/cart", "Back to your cart");
}

/// <summary>The API's reason codes in words a buyer understands.</summary>
public static class BuyerWords
{
    /// <summary>Why the payment did not go through, for a canceled checkout or a declined charge.</summary>
    public static string Canceled(string? reasonCode) => reasonCode switch
    {
        "BuyerCanceled" => "You canceled the payment on Amazon Pay. Nothing was charged.",
        "Declined" or "SoftDeclined" or "HardDeclined" or "ProcessingFailure" => "Your payment was not successful. Please try another payment method.",
        "Expired" => "Your checkout took too long and expired. Nothing was charged. Please check out again.",
        "AmazonCanceled" => "Amazon Pay canceled this payment. Nothing was charged. Please try again or use another payment method.",
        _ => "Your payment was not successful. Please try again or use another payment method.",
    };

    /// <summary>For a checkout session that is no longer open when the buyer reviews it.</summary>
    public static string CheckoutEnded(string? reasonCode) => reasonCode is null
        ? "This Amazon Pay checkout has already been completed."
        : Canceled(reasonCode);
}
