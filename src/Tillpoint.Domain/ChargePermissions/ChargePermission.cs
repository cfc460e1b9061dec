using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.ChargePermissions;

public enum ChargePermissionState
{
    Chargeable,
    NonChargeable,
    Closed,
}

public sealed record ChargePermissionReason(string ReasonCode, string? ReasonDescription);

/// <summary>
/// The buyer's consent to be charged, created when a checkout completes. Its balance is derived from its charges,
/// never stored, so it cannot drift from them.
/// </summary>
public sealed record ChargePermission
{
    public required string ChargePermissionId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required string CheckoutSessionId { get; init; }

    public required string StoreId { get; init; }

    public required BuyerDetails Buyer { get; init; }

    public Address? ShippingAddress { get; init; }

    public Address? BillingAddress { get; init; }

    public required string PaymentDescriptor { get; init; }

    public required string InstrumentId { get; init; }

    public ChargePermissionState State { get; init; } = ChargePermissionState.Chargeable;

    public IReadOnlyList<ChargePermissionReason> Reasons { get; init; } = [];

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    public required DateTimeOffset ExpirationTimestamp { get; init; }

    public MerchantMetadata MerchantMetadata { get; init; } = MerchantMetadata.Empty;

    public string? PlatformId { get; init; }

    public ChargePermissionType ChargePermissionType { get; init; } = ChargePermissionType.OneTime;

    public required Currency PresentmentCurrency { get; init; }

    /// <summary>The most that may be charged in total: the order amount plus the over-capture allowance.</summary>
    public required Money AmountLimit { get; init; }

    public long Version { get; init; }

    /// <summary>What may still be charged, given this permission's charges.</summary>
    public Money AmountBalance(IEnumerable<Charge> charges)
    {
        var held = charges.Aggregate(Money.Zero(AmountLimit.Currency), (sum, charge) => sum + charge.AmountHeld);
        var balance = AmountLimit - held;
        return balance.Amount < 0m ? Money.Zero(AmountLimit.Currency) : balance;
    }

    public static ChargePermission CreateFrom(CheckoutSession session, string chargePermissionId, DateTimeOffset now, Limits limits)
    {
        var selection = session.Selection ?? throw new InvalidOperationException("A processed checkout session has a buyer.");
        var payment = session.PaymentDetails;
        var orderAmount = payment.TotalOrderAmount ?? payment.ChargeAmount
            ?? throw new InvalidOperationException("A processed checkout session has a charge amount.");
        var lifetime = payment.ExtendExpiration == true ? limits.ExtendedChargePermissionLifetime : limits.ChargePermissionLifetime;
        return new ChargePermission
        {
            ChargePermissionId = chargePermissionId,
            MerchantId = session.MerchantId,
            Environment = session.Environment,
            CheckoutSessionId = session.CheckoutSessionId,
            StoreId = session.StoreId,
            Buyer = selection.Buyer,
            ShippingAddress = selection.ShippingAddress,
            BillingAddress = selection.BillingAddress,
            PaymentDescriptor = selection.PaymentDescriptor,
            InstrumentId = selection.InstrumentId,
            LastUpdatedTimestamp = now,
            CreationTimestamp = now,
            ExpirationTimestamp = now + lifetime,
            MerchantMetadata = session.MerchantMetadata,
            PlatformId = session.PlatformId,
            ChargePermissionType = session.ChargePermissionType,
            PresentmentCurrency = payment.PresentmentCurrency ?? orderAmount.Currency,
            AmountLimit = AmountLimitFor(orderAmount, payment.AllowOvercharge == true, limits),
        };
    }

    public DomainEvent CreatedEvent() =>
        new(ObjectType.ChargePermission, ChargePermissionId, ChargePermissionId, null, State.ToString(), null, AmountLimit,
            CreationTimestamp);

    private static Money AmountLimitFor(Money orderAmount, bool allowOvercharge, Limits limits)
    {
        if (!allowOvercharge)
        {
            return orderAmount + limits.OverCaptureAllowance(orderAmount);
        }

        // Amazon's allowOvercharge: the larger of 900 % of the order and 500 (70,000 JPY).
        var floor = new Money(orderAmount.Currency == Currency.JPY ? 70_000m : 500m, orderAmount.Currency);
        var nineFold = new Money(orderAmount.Amount * 9m, orderAmount.Currency);
        return nineFold > floor ? nineFold : floor;
    }
}
