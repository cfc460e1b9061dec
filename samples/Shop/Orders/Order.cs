using System.Text.Json.Serialization;
using Tillpoint.Shop.Catalog;

namespace Tillpoint.Shop.Orders;

/// <summary>Where an order stands, derived from what Amazon Pay said about its checkout, charge and refunds.</summary>
public enum OrderState
{
    /// <summary>Placed; the buyer is on Amazon Pay's processing page or has not come back yet.</summary>
    AwaitingPayment,

    /// <summary>Complete answered 202: the authorization is pending (charge AuthorizationInitiated).</summary>
    PaymentPending,

    /// <summary>The charge is Authorized (or CaptureInitiated) but not captured yet.</summary>
    Authorized,

    /// <summary>The charge is Captured.</summary>
    Paid,

    /// <summary>Captured and shipped (a delivery tracker was sent).</summary>
    Shipped,

    /// <summary>Everything captured has been refunded.</summary>
    Refunded,

    /// <summary>The checkout was canceled or the authorization declined; <see cref="Order.CancelReason"/> says why.</summary>
    Canceled,
}

public sealed record OrderLine(string Sku, string Name, decimal UnitPrice, int Quantity)
{
    [JsonIgnore]
    public decimal Amount => UnitPrice * Quantity;
}

/// <summary>What the buyer chose on Amazon Pay's page, copied at order time: Get Checkout Session stops returning it once the checkout completes.</summary>
public sealed record BuyerDetails(string? Name, string? Email, IReadOnlyList<string> ShipTo, string? CountryCode, string? PaymentDescriptor);

public sealed record Shipment(string CarrierCode, string TrackingNumber, DateTimeOffset ShippedAt);

/// <summary>A refund as Amazon Pay last reported it: RefundInitiated, then Refunded or Declined.</summary>
public sealed record OrderRefund(string RefundId, decimal Amount, string State, string? ReasonCode);

/// <summary>The charge as Get Charge (or Capture) last reported it.</summary>
public sealed record ChargeSnapshot(
    string ChargePermissionId, string ChargeId, string State, string? ReasonCode, decimal ChargeAmount, decimal CaptureAmount, decimal RefundedAmount);

/// <summary>
/// An order of the shop. Immutable: every change returns a new order, and <see cref="OrderStore.Update"/> stores it
/// in one transaction, so concurrent requests cannot lose each other's changes.
/// </summary>
public sealed record Order
{
    public required int Number { get; init; }

    public required string CheckoutSessionId { get; init; }

    public required DateTimeOffset PlacedAt { get; init; }

    public required IReadOnlyList<OrderLine> Lines { get; init; }

    public required decimal Subtotal { get; init; }

    public required decimal ShippingCost { get; init; }

    public required decimal Total { get; init; }

    public required string Currency { get; init; }

    public required BuyerDetails Buyer { get; init; }

    public string? ChargePermissionId { get; init; }

    public string? ChargeId { get; init; }

    /// <summary>The charge's state name as the API gives it, or <see langword="null"/> before checkout completed.</summary>
    public string? ChargeState { get; init; }

    /// <summary>The API's reason code when the order is <see cref="OrderState.Canceled"/>: BuyerCanceled, Declined, Expired, AmazonCanceled, HardDeclined…</summary>
    public string? CancelReason { get; init; }

    public decimal AmountAuthorized { get; init; }

    public decimal AmountCaptured { get; init; }

    public decimal AmountRefunded { get; init; }

    public Shipment? Shipment { get; init; }

    public IReadOnlyList<OrderRefund> Refunds { get; init; } = [];

    /// <summary>The merchantReferenceId sent to Amazon Pay.</summary>
    [JsonIgnore]
    public string Reference => Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [JsonIgnore]
    public OrderState State =>
        CancelReason is not null ? OrderState.Canceled
        : ChargeState switch
        {
            null => OrderState.AwaitingPayment,
            "AuthorizationInitiated" => OrderState.PaymentPending,
            "Captured" when AmountCaptured > 0m && AmountRefunded >= AmountCaptured => OrderState.Refunded,
            "Captured" when Shipment is not null => OrderState.Shipped,
            "Captured" => OrderState.Paid,
            // Authorized, CaptureInitiated; Declined and Canceled set CancelReason.
            _ => OrderState.Authorized,
        };

    /// <summary>Captured money not yet refunded or being refunded: the most a new refund may be.</summary>
    [JsonIgnore]
    public decimal Refundable => AmountCaptured - Refunds.Where(r => r.State != "Declined").Sum(r => r.Amount);

    public Order WithCheckoutCanceled(string reasonCode) => this with { CancelReason = reasonCode };

    public Order WithCharge(ChargeSnapshot charge)
    {
        var authorized = charge.State is "Authorized" or "CaptureInitiated" or "Captured";
        var failed = charge.State is "Declined" or "Canceled";
        return this with
        {
            ChargePermissionId = charge.ChargePermissionId,
            ChargeId = charge.ChargeId,
            ChargeState = charge.State,
            AmountAuthorized = authorized ? charge.ChargeAmount : 0m,
            AmountCaptured = charge.State == "Captured" ? charge.CaptureAmount : 0m,
            AmountRefunded = charge.RefundedAmount,
            CancelReason = failed ? charge.ReasonCode ?? charge.State : CancelReason,
        };
    }

    public Order WithShipment(Shipment shipment) => this with { Shipment = shipment };

    /// <summary>Adds a refund, or replaces the one with the same id (a newer state of it).</summary>
    public Order WithRefund(OrderRefund refund) => this with
    {
        Refunds = [.. Refunds.Where(r => r.RefundId != refund.RefundId), refund],
    };

    /// <summary>The lines, amounts and buyer of a new attempt at the same checkout (the buyer placed it again).</summary>
    public Order WithContents(Order draft) => this with
    {
        Lines = draft.Lines,
        Subtotal = draft.Subtotal,
        ShippingCost = draft.ShippingCost,
        Total = draft.Total,
        Buyer = draft.Buyer,
        PlacedAt = draft.PlacedAt,
    };

    /// <summary>An order for a cart, before it has a number.</summary>
    public static Order Draft(string checkoutSessionId, Cart cart, decimal shippingCost, string currency, BuyerDetails buyer, DateTimeOffset now) => new()
    {
        Number = 0,
        CheckoutSessionId = checkoutSessionId,
        PlacedAt = now,
        Lines = [.. cart.Lines.Select(l => new OrderLine(l.Product.Sku, l.Product.Name, l.Product.Price, l.Quantity))],
        Subtotal = cart.Subtotal,
        ShippingCost = shippingCost,
        Total = cart.Subtotal + shippingCost,
        Currency = currency,
        Buyer = buyer,
    };
}
