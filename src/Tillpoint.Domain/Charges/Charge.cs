using Tillpoint.Domain.ChargePermissions;

namespace Tillpoint.Domain.Charges;

public enum ChargeState
{
    AuthorizationInitiated,
    Authorized,
    CaptureInitiated,
    Captured,
    Canceled,
    Declined,
}

public static class ChargeReasons
{
    public const string ExpiredUnused = nameof(ExpiredUnused);
    public const string MerchantCanceled = nameof(MerchantCanceled);
    public const string HardDeclined = nameof(HardDeclined);
    public const string SoftDeclined = nameof(SoftDeclined);
}

/// <summary>What an asynchronous step turns into once its delay has passed.</summary>
public enum PendingOutcome
{
    Authorize,
    Decline,
    Capture,
}

/// <summary>One authorization against a charge permission, captured at most once.</summary>
public sealed record Charge
{
    public required string ChargeId { get; init; }

    public required string ChargePermissionId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required Money ChargeAmount { get; init; }

    public Money? CaptureAmount { get; init; }

    public required Money RefundedAmount { get; init; }

    public string? SoftDescriptor { get; init; }

    public string? ProviderReferenceId { get; init; }

    public MerchantMetadata? MerchantMetadata { get; init; }

    public string? PlatformId { get; init; }

    public ChargeState State { get; init; }

    public string? ReasonCode { get; init; }

    public string? ReasonDescription { get; init; }

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    /// <summary>When an unused authorization lapses: 30 days after it was granted.</summary>
    public required DateTimeOffset ExpirationTimestamp { get; init; }

    public DateTimeOffset? AuthorizedAt { get; init; }

    /// <summary>When a pending step (AuthorizationInitiated, CaptureInitiated) resolves, and into what.</summary>
    public DateTimeOffset? PendingUntil { get; init; }

    public PendingOutcome? PendingOutcome { get; init; }

    public long Version { get; init; }

    /// <summary>The text the buyer sees on their statement: Amazon prefixes the merchant's descriptor.</summary>
    public string? StatementDescriptor => SoftDescriptor is null ? null : $"AMZ* {SoftDescriptor}";

    /// <summary>How much of the permission's limit this charge uses.</summary>
    public Money AmountHeld => State switch
    {
        ChargeState.AuthorizationInitiated => ChargeAmount,
        ChargeState.Authorized => ChargeAmount,
        ChargeState.CaptureInitiated => CaptureAmount ?? ChargeAmount,
        ChargeState.Captured => CaptureAmount ?? ChargeAmount,
        ChargeState.Canceled => Money.Zero(ChargeAmount.Currency),
        ChargeState.Declined => Money.Zero(ChargeAmount.Currency),
    };

    /// <summary>
    /// Authorizes <paramref name="amount"/> on a permission: Authorized, Captured when <paramref name="captureNow"/>,
    /// or AuthorizationInitiated when the outcome is pending.
    /// </summary>
    public static Transition<Charge> Authorize(
        ChargePermission permission,
        string chargeId,
        Money amount,
        bool captureNow,
        string? softDescriptor,
        PendingOutcome? pending,
        DateTimeOffset now,
        Limits limits)
    {
        var charge = new Charge
        {
            ChargeId = chargeId,
            ChargePermissionId = permission.ChargePermissionId,
            MerchantId = permission.MerchantId,
            Environment = permission.Environment,
            ChargeAmount = amount,
            RefundedAmount = Money.Zero(amount.Currency),
            SoftDescriptor = softDescriptor,
            MerchantMetadata = permission.MerchantMetadata,
            PlatformId = permission.PlatformId,
            LastUpdatedTimestamp = now,
            CreationTimestamp = now,
            ExpirationTimestamp = now + limits.AuthorizationLifetime,
        };

        if (pending is { } outcome)
        {
            charge = charge with
            {
                State = ChargeState.AuthorizationInitiated,
                PendingUntil = now + limits.SandboxAsyncDelay,
                PendingOutcome = outcome,
            };
            return new Transition<Charge>(charge, [charge.Event(null, charge.ChargeAmount, now)]);
        }

        charge = charge with { State = ChargeState.Authorized, AuthorizedAt = now };
        var authorized = charge.Event(null, charge.ChargeAmount, now);
        if (!captureNow)
        {
            return new Transition<Charge>(charge, [authorized]);
        }

        var captured = charge with { State = ChargeState.Captured, CaptureAmount = amount };
        return new Transition<Charge>(captured, [authorized, captured.Event(ChargeState.Authorized, amount, now)]);
    }

    /// <summary>
    /// The charge as it stands at <paramref name="now"/>: pending steps whose delay has passed are resolved and an
    /// unused authorization past its expiry is canceled. Reads apply this; writes persist it.
    /// </summary>
    public Transition<Charge> AsOf(DateTimeOffset now)
    {
        var events = new List<DomainEvent>();
        var charge = this;
        if (charge is { PendingUntil: { } due, PendingOutcome: { } outcome } && now >= due)
        {
            charge = charge.Resolve(outcome, due, events);
        }

        if (charge.State == ChargeState.Authorized && now >= charge.ExpirationTimestamp)
        {
            var expired = charge with
            {
                State = ChargeState.Canceled,
                ReasonCode = ChargeReasons.ExpiredUnused,
                ReasonDescription = "The authorization expired unused.",
                LastUpdatedTimestamp = charge.ExpirationTimestamp,
            };
            events.Add(expired.Event(ChargeState.Authorized, null, charge.ExpirationTimestamp));
            charge = expired;
        }

        return new Transition<Charge>(charge, events);
    }

    /// <summary>
    /// Captures this authorization, at most once. <paramref name="heldByOthers"/> is what the permission's other
    /// charges use of its limit.
    /// </summary>
    public Result<Transition<Charge>> Capture(
        Money amount, string? softDescriptor, ChargePermission permission, Money heldByOthers, DateTimeOffset now, Limits limits)
    {
        if (State != ChargeState.Authorized)
        {
            return new DomainError(ErrorCode.InvalidChargeStatus, $"The Charge is in {State} state and cannot be captured.");
        }

        if (amount.Currency != ChargeAmount.Currency)
        {
            return DomainError.CurrencyMismatch(ChargeAmount.Currency, amount.Currency);
        }

        var ceiling = ChargeAmount + limits.OverCaptureAllowance(ChargeAmount);
        if (amount > ceiling)
        {
            return new DomainError(
                ErrorCode.TransactionAmountExceeded,
                $"The captureAmount {amount} exceeds the authorized amount {ChargeAmount} plus the allowed {ceiling - ChargeAmount}.");
        }

        if (heldByOthers + amount > permission.AmountLimit)
        {
            return new DomainError(
                ErrorCode.TransactionAmountExceeded,
                $"The captureAmount {amount} exceeds what remains of the Charge Permission's limit {permission.AmountLimit}.");
        }

        var asynchronous = AuthorizedAt is { } authorizedAt && now - authorizedAt > limits.SynchronousCaptureWindow;
        var captured = this with
        {
            State = asynchronous ? ChargeState.CaptureInitiated : ChargeState.Captured,
            CaptureAmount = amount,
            SoftDescriptor = softDescriptor ?? SoftDescriptor,
            LastUpdatedTimestamp = now,
            PendingUntil = asynchronous ? now + limits.SandboxAsyncDelay : null,
            PendingOutcome = asynchronous ? Charges.PendingOutcome.Capture : null,
        };
        return new Transition<Charge>(captured, [captured.Event(State, amount, now)]);
    }

    private Charge Resolve(PendingOutcome outcome, DateTimeOffset at, List<DomainEvent> events)
    {
        var resolved = outcome switch
        {
            // An authorization lapses 30 days after it is granted, not after it was requested.
            Charges.PendingOutcome.Authorize => this with
            {
                State = ChargeState.Authorized,
                AuthorizedAt = at,
                ExpirationTimestamp = ExpirationTimestamp + (at - CreationTimestamp),
            },
            Charges.PendingOutcome.Decline => this with
            {
                State = ChargeState.Declined,
                ReasonCode = ChargeReasons.HardDeclined,
                ReasonDescription = "The authorization was declined by the payment method.",
            },
            Charges.PendingOutcome.Capture => this with { State = ChargeState.Captured },
        };
        resolved = resolved with { PendingUntil = null, PendingOutcome = null, LastUpdatedTimestamp = at };
        events.Add(resolved.Event(State, resolved.State == ChargeState.Captured ? CaptureAmount : ChargeAmount, at));
        return resolved;
    }

    private DomainEvent Event(ChargeState? from, Money? amount, DateTimeOffset at) =>
        new(ObjectType.Charge, ChargeId, ChargePermissionId, from?.ToString(), State.ToString(), ReasonCode, amount, at);
}
