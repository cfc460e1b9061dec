using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Checkout;
using Tillpoint.Shop.Configuration;
using Tillpoint.Shop.Orders;

namespace Tillpoint.Shop.Payments;

/// <summary>What placing an order led to.</summary>
public abstract record PlaceOrderOutcome
{
    /// <summary>Send the buyer to Amazon Pay's processing page (<c>amazonPayRedirectUrl</c>).</summary>
    public sealed record RedirectToAmazonPay(Order Order, string Url) : PlaceOrderOutcome;

    /// <summary>This checkout already has an order past payment: show it.</summary>
    public sealed record AlreadyPlaced(Order Order) : PlaceOrderOutcome;

    /// <summary>The order cannot be placed; <paramref name="Message"/> says why, for the buyer.</summary>
    public sealed record Refused(int Status, string Message) : PlaceOrderOutcome;
}

/// <summary>
/// The merchant's side of Amazon Pay, one method per step of the guide: read the checkout (step 3), set the payment
/// info (step 4), complete and verify it, then capture (step 5), and manage the payment afterwards. Every call that
/// moves money carries an idempotency key derived from the order (<see cref="IdempotencyKeys"/>).
/// </summary>
public sealed partial class OrderPayments(AmazonPayClient amazonPay, OrderStore orders, ShopOptions options, TimeProvider clock, ILogger<OrderPayments> logger)
{
    /// <summary>Tillpoint's (and Amazon's) carrier code for the shop's only carrier.</summary>
    public const string Carrier = "UPS";

    /// <summary>Step 3: the buyer, address and payment method chosen on Amazon Pay's page.</summary>
    public async Task<CheckoutSessionDto?> GetCheckoutSessionAsync(string checkoutSessionId, CancellationToken ct)
    {
        try
        {
            return (await amazonPay.GetCheckoutSessionAsync(checkoutSessionId, null, ct)).Value;
        }
        catch (AmazonPayException e) when (e.ReasonCode == "ResourceNotFound")
        {
            return null;
        }
    }

    /// <summary>
    /// Step 4: stores the order, then Update Checkout Session with the amount, the order number and where to come back
    /// to, and hands back <c>amazonPayRedirectUrl</c>. The total is computed here from the cart and the address Amazon
    /// Pay reports, never taken from the page.
    /// </summary>
    public async Task<PlaceOrderOutcome> PlaceOrderAsync(string checkoutSessionId, Cart cart, Uri shopBase, CancellationToken ct)
    {
        if (cart.IsEmpty)
        {
            return new PlaceOrderOutcome.Refused(StatusCodes.Status409Conflict, "Your cart is empty.");
        }

        var session = await GetCheckoutSessionAsync(checkoutSessionId, ct);
        if (session is null)
        {
            return new PlaceOrderOutcome.Refused(StatusCodes.Status404NotFound, "This Amazon Pay checkout does not exist. Please start again from your cart.");
        }

        if (orders.FindByCheckoutSession(checkoutSessionId) is { State: not OrderState.AwaitingPayment } placed)
        {
            return new PlaceOrderOutcome.AlreadyPlaced(placed);
        }

        if (session.StatusDetails?.State != "Open")
        {
            return new PlaceOrderOutcome.Refused(StatusCodes.Status409Conflict, "This Amazon Pay checkout has ended. Please start again from your cart.");
        }

        if (session.ShippingAddress is not { } address)
        {
            return new PlaceOrderOutcome.Refused(StatusCodes.Status409Conflict, "Amazon Pay has no shipping address for this checkout yet. Choose one and try again.");
        }

        var draft = Order.Draft(checkoutSessionId, cart, ShippingRates.For(address.CountryCode), options.Currency, Buyer(session), clock.GetUtcNow());
        var order = orders.Place(draft);
        if (order.State != OrderState.AwaitingPayment)
        {
            return new PlaceOrderOutcome.AlreadyPlaced(order);
        }

        var updated = (await amazonPay.UpdateCheckoutSessionAsync(
            checkoutSessionId,
            new UpdateCheckoutSessionRequest
            {
                WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutResultReturnUrl = new Uri(shopBase, "checkout/result").AbsoluteUri },
                PaymentDetails = new PaymentDetailsDto
                {
                    // Authorize now, capture once the order is confirmed; a pending authorization is shown as such.
                    PaymentIntent = "Authorize",
                    CanHandlePendingAuthorization = true,
                    ChargeAmount = Price(order.Total),
                },
                MerchantMetadata = new MerchantMetadataDto
                {
                    MerchantReferenceId = order.Reference,
                    MerchantStoreName = options.StoreName,
                    NoteToBuyer = $"Thank you for your order #{order.Reference}.",
                },
            },
            null,
            ct)).Value;

        if (updated.WebCheckoutDetails?.AmazonPayRedirectUrl is not { Length: > 0 } redirect)
        {
            var missing = string.Join(", ", updated.Constraints?.Select(c => c.ConstraintId) ?? []);
            logger.LogWarning("Checkout {CheckoutSessionId} still has constraints after Update: {Constraints}", checkoutSessionId, missing);
            return new PlaceOrderOutcome.Refused(StatusCodes.Status409Conflict, $"Amazon Pay is not ready to take the payment yet ({missing}). Please try again.");
        }

        // The review page's Content-Security-Policy lets its form lead only to Tillpoint:PublicUrl; a redirect elsewhere
        // would be blocked by the browser with nothing but a console message, so it is refused here, in words.
        if (!Uri.TryCreate(redirect, UriKind.Absolute, out var target)
            || target.GetLeftPart(UriPartial.Authority) != options.TillpointPublicUrl.GetLeftPart(UriPartial.Authority))
        {
            var problem = target is null
                ? $"Tillpoint's amazonPayRedirectUrl '{redirect}' is not an absolute URL."
                : TillpointCheck.BlockedRedirect(options, target);
            logger.LogError("{Problem}", problem);
            return new PlaceOrderOutcome.Refused(StatusCodes.Status502BadGateway, problem);
        }

        return new PlaceOrderOutcome.RedirectToAmazonPay(order, redirect);
    }

    /// <summary>
    /// Step 5, at <c>checkoutResultReturnUrl</c>: Complete Checkout Session with the order's amount, then Get Checkout
    /// Session to verify it is Completed (or learn why it was Canceled); store the charge permission and charge, and
    /// capture when the authorization went through. Safe to run again and at once from two tabs: an order already past
    /// this step is returned as it is, a second Complete is refused, and the capture's key is the order's.
    /// </summary>
    /// <returns>The order as it now stands; still <see cref="OrderState.AwaitingPayment"/> when the buyer has not been through Amazon Pay's processing page.</returns>
    public async Task<Order> CompleteCheckoutAsync(Order order, CancellationToken ct)
    {
        if (order.State != OrderState.AwaitingPayment)
        {
            return order;
        }

        try
        {
            // A fresh idempotency key each time, unlike capture and refund: an answer is remembered with its key, refusals
            // included, so a Complete tried before the buyer was through processing would be refused for good. Completing
            // twice is harmless anyway: the second is refused and Get Checkout Session below tells what happened.
            await amazonPay.CompleteCheckoutSessionAsync(
                order.CheckoutSessionId, new CompleteCheckoutSessionRequest { ChargeAmount = Price(order.Total) }, null, ct);
        }
        catch (AmazonPayException e) when (e.ReasonCode is "CheckoutSessionCanceled" or "InvalidCheckoutSessionStatus")
        {
            // Get Checkout Session below says what happened: canceled, declined, or not processed yet.
            logger.LogInformation("Complete of {CheckoutSessionId} answered {ReasonCode}", order.CheckoutSessionId, e.ReasonCode);
        }

        return await RecordCheckoutAsync(order, ct);
    }

    /// <summary>After Complete or Finalize: Get Checkout Session says how it ended; the charge is kept and captured.</summary>
    private async Task<Order> RecordCheckoutAsync(Order order, CancellationToken ct)
    {
        var session = (await amazonPay.GetCheckoutSessionAsync(order.CheckoutSessionId, null, ct)).Value;
        switch (session.StatusDetails?.State)
        {
            case "Completed" when session.ChargeId is { } chargeId:
                var charge = (await amazonPay.GetChargeAsync(chargeId, null, ct)).Value;
                order = Save(order, o => o.WithCharge(Snapshot(charge)));
                return await CaptureIfAuthorizedAsync(order, ct);
            case "Canceled":
                return Save(order, o => o.WithCheckoutCanceled(session.StatusDetails.ReasonCode ?? "Canceled"));
            default:
                // Open: the buyer came here without going through the processing page.
                return order;
        }
    }

    /// <summary>
    /// Brings the order up to date with Amazon Pay: settled refunds, then the charge (a pending authorization that
    /// went through is captured now, with the same key as ever).
    /// </summary>
    public async Task<Order> RefreshAsync(Order order, CancellationToken ct)
    {
        if (order.ChargeId is not { } chargeId)
        {
            return order;
        }

        foreach (var refund in order.Refunds.Where(r => r.State == "RefundInitiated"))
        {
            var current = (await amazonPay.GetRefundAsync(refund.RefundId, null, ct)).Value;
            order = Save(order, o => o.WithRefund(Refund(current, refund.Amount)));
        }

        var charge = (await amazonPay.GetChargeAsync(chargeId, null, ct)).Value;
        order = Save(order, o => o.WithCharge(Snapshot(charge)));
        return await CaptureIfAuthorizedAsync(order, ct);
    }

    /// <summary>Delivery Trackers: tells Amazon Pay the parcel is on its way, so the buyer is notified.</summary>
    /// <returns>The shipped order, or why it could not be shipped.</returns>
    public async Task<(Order? Order, string? Problem)> ShipAsync(Order order, string? trackingNumber, CancellationToken ct)
    {
        if (order.State != OrderState.Paid)
        {
            return (null, order.State == OrderState.Shipped ? "This order has already shipped." : "Only a paid order can ship.");
        }

        if (!IsTrackingNumber(trackingNumber))
        {
            return (null, "A tracking number is 1 to 64 letters, digits or dashes.");
        }

        try
        {
            await amazonPay.DeliveryTrackersAsync(
                new DeliveryTrackerRequest
                {
                    ChargePermissionId = order.ChargePermissionId,
                    DeliveryDetails = [new DeliveryDetailDto { TrackingNumber = trackingNumber, CarrierCode = Carrier }],
                },
                new RequestOptions { IdempotencyKey = IdempotencyKeys.DeliveryTracker(order, trackingNumber!) },
                ct);
        }
        catch (AmazonPayException e) when (e.StatusCode is >= 400 and < 500)
        {
            return (null, $"Amazon Pay refused the tracking number: {e.Message} ({e.ReasonCode})");
        }

        return (Save(order, o => o.WithShipment(new Shipment(Carrier, trackingNumber!, clock.GetUtcNow()))), null);
    }

    /// <summary>Create Refund. Asking twice for the same amount is one refund (the key is per order and amount).</summary>
    /// <returns>The order with the refund, or why it could not be refunded.</returns>
    public async Task<(Order? Order, string? Problem)> RefundAsync(Order order, decimal? amount, CancellationToken ct)
    {
        if (order.ChargeId is null || order.AmountCaptured <= 0m)
        {
            return (null, "Only a captured payment can be refunded.");
        }

        if (amount is not { } value)
        {
            return (null, "Enter an amount such as 5.00: more than zero, at most two decimals.");
        }

        var key = IdempotencyKeys.Refund(order, value);
        if (value > order.Refundable && order.Refunds.All(r => r.Amount != value))
        {
            return (null, $"At most {Money.Display(order.Refundable, order.Currency)} can still be refunded.");
        }

        try
        {
            var refund = (await amazonPay.CreateRefundAsync(
                new CreateRefundRequest { ChargeId = order.ChargeId, RefundAmount = Price(value), SoftDescriptor = options.SoftDescriptor },
                new RequestOptions { IdempotencyKey = key },
                ct)).Value;
            return (Save(order, o => o.WithRefund(Refund(refund, value))), null);
        }
        catch (AmazonPayException e) when (e.StatusCode is >= 400 and < 500)
        {
            return (null, $"Amazon Pay refused the refund: {e.Message} ({e.ReasonCode})");
        }
    }

    /// <summary>1 to 64 letters, digits or dashes: what carriers' numbers look like and what the API accepts.</summary>
    public static bool IsTrackingNumber(string? trackingNumber) =>
        trackingNumber is { Length: >= 1 and <= 64 } && trackingNumber.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private async Task<Order> CaptureIfAuthorizedAsync(Order order, CancellationToken ct)
    {
        if (order.ChargeState != "Authorized" || order.CancelReason is not null)
        {
            return order;
        }

        try
        {
            var captured = (await amazonPay.CaptureChargeAsync(
                order.ChargeId!,
                new CaptureChargeRequest { CaptureAmount = Price(order.Total), SoftDescriptor = options.SoftDescriptor },
                new RequestOptions { IdempotencyKey = IdempotencyKeys.Capture(order) },
                ct)).Value;
            return Save(order, o => o.WithCharge(Snapshot(captured)));
        }
        catch (AmazonPayException e) when (e.StatusCode is >= 400 and < 500)
        {
            // The order stays Authorized; the merchant sees it on the order page, and a refresh asks again (the same key
            // replays the same answer, so nothing is captured twice).
            logger.LogWarning("Capture of order {Order} refused: {ReasonCode} {Message}", order.Number, e.ReasonCode, e.Message);
            return order;
        }
    }

    private Order Save(Order order, Func<Order, Order> change) =>
        orders.Update(order.Number, change) ?? throw new InvalidOperationException($"Order {order.Number} disappeared from the store.");

    private Price Price(decimal amount) => new() { Amount = Money.ApiAmount(amount), CurrencyCode = options.Currency };

    private static BuyerDetails Buyer(CheckoutSessionDto session)
    {
        var a = session.ShippingAddress;
        var shipTo = a is null
            ? []
            : new[] { a.Name, a.AddressLine1, a.AddressLine2, a.AddressLine3, string.Join(' ', new[] { a.PostalCode, a.City, a.StateOrRegion }.Where(p => !string.IsNullOrEmpty(p))), a.CountryCode }
                .Where(p => !string.IsNullOrEmpty(p)).Select(p => p!).ToList();
        return new BuyerDetails(session.Buyer?.Name, session.Buyer?.Email, shipTo, a?.CountryCode, session.PaymentPreferences?.FirstOrDefault()?.PaymentDescriptor);
    }

    private static ChargeSnapshot Snapshot(ChargeDto charge) => new(
        charge.ChargePermissionId ?? string.Empty,
        charge.ChargeId ?? string.Empty,
        charge.StatusDetails?.State ?? "Unknown",
        charge.StatusDetails?.ReasonCode,
        Money.ParseApiAmount(charge.ChargeAmount?.Amount),
        Money.ParseApiAmount(charge.CaptureAmount?.Amount),
        Money.ParseApiAmount(charge.RefundedAmount?.Amount));

    private static OrderRefund Refund(RefundDto refund, decimal requested) => new(
        refund.RefundId ?? string.Empty,
        refund.RefundAmount?.Amount is { } amount ? Money.ParseApiAmount(amount) : requested,
        refund.StatusDetails?.State ?? "Unknown",
        refund.StatusDetails?.ReasonCode);
}
