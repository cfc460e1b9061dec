using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.ChargePermissions;

public enum ChargePermissionState
{
    Chargeable,
    NonChargeable,
    Closed,
}

/// <summary>Why a charge permission is NonChargeable or Closed. Each name is the reasonCode on the wire and in stored documents.</summary>
public enum ChargePermissionReasonCode
{
    ChargeInProgress,
    PaymentMethodInvalid,
    PaymentMethodNotAllowed,
    MerchantClosed,
    AmazonClosed,
    Expired,
    BuyerClosed,
}

public sealed record ChargePermissionReason(ChargePermissionReasonCode ReasonCode, string? ReasonDescription);

public static class ChargePermissionReasons
{
    public static string Describe(ChargePermissionReasonCode reasonCode) => reasonCode switch
    {
        ChargePermissionReasonCode.ChargeInProgress =>
            "A charge is already in progress. You cannot initiate a new charge unless previous charge is canceled.",
        ChargePermissionReasonCode.PaymentMethodInvalid => "The last charge was declined; the buyer must update the payment method.",
        ChargePermissionReasonCode.PaymentMethodNotAllowed => "The payment method is not allowed for this transaction.",
        ChargePermissionReasonCode.MerchantClosed => "The merchant closed the Charge Permission.",
        ChargePermissionReasonCode.AmazonClosed => "Amazon closed the Charge Permission.",
        ChargePermissionReasonCode.Expired => "The Charge Permission expired.",
        ChargePermissionReasonCode.BuyerClosed => "The buyer closed the agreement in their account.",
    };
}

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

    /// <summary>How the simulated processor treats the buyer's instrument on later charges.</summary>
    public Buyers.InstrumentBehavior InstrumentBehavior { get; init; }

    public ChargePermissionState State { get; init; } = ChargePermissionState.Chargeable;

    public IReadOnlyList<ChargePermissionReason> Reasons { get; init; } = [];

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    /// <summary>
    /// When the permission closes as Expired: OneTime 180 days (or 13 months) after creation, Recurring 13 months after its
    /// last charge; a PaymentMethodOnFile permission never expires (null) and closes only when canceled.
    /// </summary>
    public required DateTimeOffset? ExpirationTimestamp { get; init; }

    public MerchantMetadata MerchantMetadata { get; init; } = MerchantMetadata.Empty;

    /// <summary>A payment-method problem left by a declined charge; it keeps the permission NonChargeable.</summary>
    public ChargePermissionReasonCode? PaymentMethodProblem { get; init; }

    /// <summary>The merchant's closureReason text.</summary>
    public string? ClosureReason { get; init; }

    public string? PlatformId { get; init; }

    public ChargePermissionType ChargePermissionType { get; init; } = ChargePermissionType.OneTime;

    /// <summary>A Recurring permission's subscription terms (from checkout, changed by Update Charge Permission).</summary>
    public RecurringMetadata? RecurringMetadata { get; init; }

    public PaymentMethodOnFileMetadata? PaymentMethodOnFileMetadata { get; init; }

    public required Currency PresentmentCurrency { get; init; }

    /// <summary>
    /// OneTime: the most that may be charged in total, the order amount plus the over-capture allowance. Recurring and
    /// PaymentMethodOnFile: the most that may be charged per calendar month (UTC); they have no total limit.
    /// </summary>
    public required Money AmountLimit { get; init; }

    /// <summary>The limit applies per calendar month rather than to the permission's whole life.</summary>
    public bool HasMonthlyLimit => ChargePermissionType != ChargePermissionType.OneTime;

    public long Version { get; init; }

    /// <summary>What may still be charged, given this permission's charges.</summary>
    public Money AmountBalance(IEnumerable<Charge> charges)
    {
        var balance = AmountLimit - AmountCharged(charges);
        // At exactly zero both arms give zero, so `<=` here would do the same.
        return balance.Amount < 0m ? Money.Zero(AmountLimit.Currency) : balance;
    }

    /// <summary>What this permission's charges use of its limit (authorized, or captured once captured).</summary>
    public Money AmountCharged(IEnumerable<Charge> charges) =>
        charges.Aggregate(Money.Zero(AmountLimit.Currency), (sum, charge) => sum + charge.AmountHeld);

    /// <summary>The next moment time alone changes this permission: its expiry.</summary>
    public DateTimeOffset? NextDueAt => State == ChargePermissionState.Closed ? null : ExpirationTimestamp;

    /// <summary>
    /// Recomputes Chargeable / NonChargeable from what holds it back: a charge in progress, a payment-method problem.
    /// A Closed permission stays Closed.
    /// </summary>
    public Transition<ChargePermission> WithStatus(bool chargeInProgress, ChargePermissionReasonCode? paymentMethodProblem, DateTimeOffset at)
    {
        if (State == ChargePermissionState.Closed)
        {
            return new Transition<ChargePermission>(this, []);
        }

        var reasons = new List<ChargePermissionReason>();
        if (chargeInProgress)
        {
            reasons.Add(Reason(ChargePermissionReasonCode.ChargeInProgress));
        }

        if (paymentMethodProblem is { } problem)
        {
            reasons.Add(Reason(problem));
        }

        var state = reasons.Count == 0 ? ChargePermissionState.Chargeable : ChargePermissionState.NonChargeable;
        if (state == State && reasons.Select(r => r.ReasonCode).SequenceEqual(Reasons.Select(r => r.ReasonCode))
            && paymentMethodProblem == PaymentMethodProblem)
        {
            return new Transition<ChargePermission>(this, []);
        }

        var changed = this with { State = state, Reasons = reasons, PaymentMethodProblem = paymentMethodProblem, LastUpdatedTimestamp = at };
        return new Transition<ChargePermission>(changed, [changed.Event(State, at)]);
    }

    /// <summary>Closes the permission for good.</summary>
    public Result<Transition<ChargePermission>> Close(ChargePermissionReasonCode reasonCode, string? closureReason, DateTimeOffset now)
    {
        if (State == ChargePermissionState.Closed)
        {
            return new DomainError(
                ErrorCode.InvalidChargePermissionStatus,
                $"The Charge Permission is already Closed ({string.Join(", ", Reasons.Select(r => r.ReasonCode))}).");
        }

        return ClosedAt(reasonCode, closureReason, now);
    }

    /// <summary>The permission reached its expiry.</summary>
    public Transition<ChargePermission> Expire() =>
        ClosedAt(ChargePermissionReasonCode.Expired, null, ExpirationTimestamp ?? throw new InvalidOperationException("A permission without an expiry never expires."));

    /// <summary>
    /// Update Charge Permission: merchant metadata may change until the permission is closed; a Recurring permission's
    /// subscription terms too, when the subscription changes.
    /// </summary>
    public Result<Transition<ChargePermission>> Update(
        MerchantMetadata? merchantMetadata, RecurringMetadata? recurringMetadata, DateTimeOffset now, Limits limits)
    {
        if (recurringMetadata is not null && ChargePermissionType != ChargePermissionType.Recurring)
        {
            return DomainError.InvalidValue(
                "recurringMetadata", $"only Recurring charge permissions have it, and this one is {ChargePermissionType}.");
        }

        var error = recurringMetadata?.Validate("recurringMetadata", limits)
            ?? (recurringMetadata?.Amount is { } amount && amount.Currency != PresentmentCurrency
                ? DomainError.CurrencyMismatch(PresentmentCurrency, amount.Currency)
                : null);
        if (error is not null)
        {
            return error;
        }

        if (State == ChargePermissionState.Closed)
        {
            return new DomainError(
                ErrorCode.ChargePermissionNotModifiable, "The Charge Permission is in Closed state and cannot be updated.");
        }

        var merged = MerchantMetadata.Merge(merchantMetadata);
        var recurring = recurringMetadata ?? RecurringMetadata;
        if (merged == MerchantMetadata && recurring == RecurringMetadata)
        {
            return new Transition<ChargePermission>(this, []);
        }

        var updated = this with { MerchantMetadata = merged, RecurringMetadata = recurring, LastUpdatedTimestamp = now };
        var detail = recurring == RecurringMetadata ? "MerchantMetadataUpdated" : "RecurringMetadataUpdated";
        return new Transition<ChargePermission>(updated, [updated.Event(State, now, detail)]);
    }

    /// <summary>
    /// A charge was made: a Recurring permission's 13 months without a charge start again. Other types are unchanged.
    /// </summary>
    public Transition<ChargePermission> Charged(DateTimeOffset now, Limits limits)
    {
        // Only a Chargeable permission is charged, so a Closed one never gets here.
        if (ChargePermissionType != ChargePermissionType.Recurring)
        {
            return new Transition<ChargePermission>(this, []);
        }

        var extended = this with { ExpirationTimestamp = now + limits.RecurringChargePermissionLifetime };
        return new Transition<ChargePermission>(extended, [extended.Event(State, now, "ExpirationExtended")]);
    }

    /// <summary>
    /// The buyer gave the agreement a new payment method (the recovery from a hard decline): the payment-method problem
    /// it had is gone. The caller restates the permission from its charges.
    /// </summary>
    public Result<ChargePermission> WithPaymentMethod(string instrumentId, string paymentDescriptor, Buyers.InstrumentBehavior behavior)
    {
        if (RequireAgreement("given a new payment method") is { } error)
        {
            return error;
        }

        return this with
        {
            InstrumentId = instrumentId,
            PaymentDescriptor = paymentDescriptor,
            InstrumentBehavior = behavior,
        };
    }

    /// <summary>Only the buyer's agreements (Recurring, PaymentMethodOnFile) are managed by the buyer, and only while open.</summary>
    public DomainError? RequireAgreement(string verb)
    {
        if (!HasMonthlyLimit)
        {
            return new DomainError(
                ErrorCode.InvalidChargePermissionStatus,
                $"The Charge Permission is OneTime: only Recurring and PaymentMethodOnFile agreements can be {verb} by the buyer.");
        }

        return State == ChargePermissionState.Closed
            ? new DomainError(
                ErrorCode.InvalidChargePermissionStatus,
                $"The Charge Permission is already Closed ({string.Join(", ", Reasons.Select(r => r.ReasonCode))}).")
            : null;
    }

    /// <summary>Records something that happened to the permission without changing its state (e.g. a delivery tracker).</summary>
    public DomainEvent Note(string detail, DateTimeOffset at) => Event(State, at, detail);

    private Transition<ChargePermission> ClosedAt(ChargePermissionReasonCode reasonCode, string? closureReason, DateTimeOffset at)
    {
        var closed = this with
        {
            State = ChargePermissionState.Closed,
            Reasons = [Reason(reasonCode)],
            ClosureReason = closureReason,
            LastUpdatedTimestamp = at,
        };
        return new Transition<ChargePermission>(closed, [closed.Event(State, at)]);
    }

    private static ChargePermissionReason Reason(ChargePermissionReasonCode code) => new(code, ChargePermissionReasons.Describe(code));

    private DomainEvent Event(ChargePermissionState? from, DateTimeOffset at, string? detail = null) =>
        new(ObjectType.ChargePermission, ChargePermissionId, ChargePermissionId, from?.ToString(), State.ToString(),
            Reasons.Count == 0 ? null : Reasons[0].ReasonCode.ToString(), null, at, detail);

    public static ChargePermission CreateFrom(CheckoutSession session, string chargePermissionId, DateTimeOffset now, Limits limits)
    {
        var selection = session.Selection ?? throw new InvalidOperationException("A processed checkout session has a buyer.");
        var payment = session.PaymentDetails;
        var orderAmount = payment.TotalOrderAmount ?? payment.ChargeAmount
            ?? throw new InvalidOperationException("A processed checkout session has a charge amount.");
        var lifetime = payment.ExtendExpiration == true ? limits.ExtendedChargePermissionLifetime : limits.ChargePermissionLifetime;
        var type = session.ChargePermissionType;
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
            InstrumentBehavior = selection.Behavior,
            LastUpdatedTimestamp = now,
            CreationTimestamp = now,
            ExpirationTimestamp = type switch
            {
                ChargePermissionType.OneTime => now + lifetime,
                ChargePermissionType.Recurring => now + limits.RecurringChargePermissionLifetime,
                ChargePermissionType.PaymentMethodOnFile => null,
            },
            MerchantMetadata = session.MerchantMetadata,
            PlatformId = session.PlatformId,
            ChargePermissionType = type,
            RecurringMetadata = session.RecurringMetadata,
            PaymentMethodOnFileMetadata = session.PaymentMethodOnFileMetadata,
            // A session's presentmentCurrency, when given, is its amounts' currency: checked on create and update.
            PresentmentCurrency = orderAmount.Currency,
            AmountLimit = limits.MonthlyCap(type, orderAmount.Currency)
                ?? AmountLimitFor(orderAmount, payment.AllowOvercharge == true, limits),
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
        // When both are equal either one is the limit, so `>=` here would do the same.
        return nineFold > floor ? nineFold : floor;
    }
}
