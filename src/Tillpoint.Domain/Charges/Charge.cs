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

/// <summary>Why a charge was Canceled or Declined. Each name is the reasonCode on the wire and in stored documents.</summary>
public enum ChargeReasonCode
{
    ExpiredUnused,
    MerchantCanceled,
    ChargePermissionCanceled,
    AmazonCanceled,
    HardDeclined,
    SoftDeclined,
    AmazonRejected,
    ProcessingFailure,
    TransactionTimedOut,
    PaymentMethodNotAllowed,
    MFANotCompleted,
}

public static class ChargeReasons
{
    public static string Describe(ChargeReasonCode reasonCode) => reasonCode switch
    {
        ChargeReasonCode.ExpiredUnused => "The authorization expired unused.",
        ChargeReasonCode.MerchantCanceled => "The merchant canceled the charge.",
        ChargeReasonCode.ChargePermissionCanceled => "The charge was canceled when its Charge Permission was closed.",
        ChargeReasonCode.AmazonCanceled => "Amazon canceled the charge.",
        ChargeReasonCode.HardDeclined => "The payment method declined the charge; do not retry with it.",
        ChargeReasonCode.SoftDeclined => "The payment method declined the charge; a retry may succeed.",
        ChargeReasonCode.AmazonRejected => "Amazon rejected the charge.",
        ChargeReasonCode.ProcessingFailure => "The charge could not be processed; retry later.",
        ChargeReasonCode.TransactionTimedOut => "The authorization could not be completed in time.",
        ChargeReasonCode.PaymentMethodNotAllowed => "The payment method is not allowed for this transaction.",
        ChargeReasonCode.MFANotCompleted => "The buyer did not complete multi-factor authentication.",
    };

    /// <summary>The error Create Charge answers with when the processor declined the charge for this reason.</summary>
    public static ErrorCode DeclineError(ChargeReasonCode reasonCode) => reasonCode switch
    {
        ChargeReasonCode.HardDeclined => ErrorCode.HardDeclined,
        ChargeReasonCode.SoftDeclined => ErrorCode.SoftDeclined,
        ChargeReasonCode.AmazonRejected => ErrorCode.AmazonRejected,
        ChargeReasonCode.ProcessingFailure => ErrorCode.ProcessingFailure,
        ChargeReasonCode.TransactionTimedOut => ErrorCode.TransactionTimedOut,
        ChargeReasonCode.PaymentMethodNotAllowed => ErrorCode.PaymentMethodNotAllowed,
        ChargeReasonCode.MFANotCompleted => ErrorCode.MFANotCompleted,
        ChargeReasonCode.ExpiredUnused or ChargeReasonCode.MerchantCanceled or ChargeReasonCode.ChargePermissionCanceled
            or ChargeReasonCode.AmazonCanceled => throw new ArgumentOutOfRangeException(
                nameof(reasonCode), reasonCode, "A canceled charge was not declined."),
    };
}

/// <summary>What an asynchronous step turns into once its delay has passed.</summary>
public enum PendingOutcome
{
    Authorize,
    Decline,
    Capture,
}

/// <summary>How the simulated processor answers an authorization request.</summary>
public readonly record struct AuthorizationOutcome(ChargeState State, ChargeReasonCode? DeclineReason)
{
    public static AuthorizationOutcome Approved { get; } = new(ChargeState.Authorized, null);

    public static AuthorizationOutcome Pending(ChargeReasonCode? declineReason) => new(ChargeState.AuthorizationInitiated, declineReason);

    public static AuthorizationOutcome Declined(ChargeReasonCode reason) => new(ChargeState.Declined, reason);
}

/// <summary>What the merchant asks for when it authorizes a charge.</summary>
public sealed record ChargeRequest(
    Money ChargeAmount,
    bool CaptureNow,
    string? SoftDescriptor,
    bool CanHandlePendingAuthorization,
    MerchantMetadata? MerchantMetadata = null,
    string? PlatformId = null,
    string? Channel = null,
    string? ChargeInitiator = null);

/// <summary>One authorization against a charge permission, captured at most once.</summary>
public sealed partial record Charge
{
    public required string ChargeId { get; init; }

    public required string ChargePermissionId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required Money ChargeAmount { get; init; }

    public Money? CaptureAmount { get; init; }

    /// <summary>The sum of this charge's settled (Refunded) refunds.</summary>
    public required Money RefundedAmount { get; init; }

    public string? SoftDescriptor { get; init; }

    public bool CaptureNow { get; init; }

    public bool CanHandlePendingAuthorization { get; init; }

    public string? ProviderReferenceId { get; init; }

    public MerchantMetadata? MerchantMetadata { get; init; }

    public string? PlatformId { get; init; }

    public string? Channel { get; init; }

    public string? ChargeInitiator { get; init; }

    public ChargeState State { get; init; }

    public ChargeReasonCode? ReasonCode { get; init; }

    public string? ReasonDescription { get; init; }

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    /// <summary>When an unused authorization lapses: 30 days after it was granted.</summary>
    public required DateTimeOffset ExpirationTimestamp { get; init; }

    public DateTimeOffset? AuthorizedAt { get; init; }

    /// <summary>When a pending step (AuthorizationInitiated, CaptureInitiated) resolves, and into what.</summary>
    public DateTimeOffset? PendingUntil { get; init; }

    public PendingOutcome? PendingOutcome { get; init; }

    /// <summary>The decline reason of a pending step that will be declined.</summary>
    public ChargeReasonCode? PendingDeclineReason { get; init; }

    public long Version { get; init; }

    /// <summary>The text the buyer sees on their statement: Amazon prefixes the merchant's descriptor.</summary>
    public string? StatementDescriptor => SoftDescriptor is null ? null : $"AMZ* {SoftDescriptor}";

    public bool IsOpen => State is ChargeState.AuthorizationInitiated or ChargeState.Authorized;

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

    /// <summary>The next moment time alone changes this charge: a pending step resolving, or the authorization lapsing.</summary>
    public DateTimeOffset? NextDueAt => PendingUntil ?? (State == ChargeState.Authorized ? ExpirationTimestamp : null);

    /// <summary>
    /// A new charge on <paramref name="permission"/>: Authorized (Captured with captureNow), AuthorizationInitiated
    /// when the outcome is pending, or Declined.
    /// </summary>
    public static Transition<Charge> Authorize(
        ChargePermission permission, string chargeId, ChargeRequest request, AuthorizationOutcome outcome, DateTimeOffset now, Limits limits)
    {
        var charge = new Charge
        {
            ChargeId = chargeId,
            ChargePermissionId = permission.ChargePermissionId,
            MerchantId = permission.MerchantId,
            Environment = permission.Environment,
            ChargeAmount = request.ChargeAmount,
            RefundedAmount = Money.Zero(request.ChargeAmount.Currency),
            SoftDescriptor = request.SoftDescriptor,
            CaptureNow = request.CaptureNow,
            CanHandlePendingAuthorization = request.CanHandlePendingAuthorization,
            MerchantMetadata = request.MerchantMetadata ?? permission.MerchantMetadata,
            PlatformId = request.PlatformId ?? permission.PlatformId,
            Channel = request.Channel,
            ChargeInitiator = request.ChargeInitiator,
            State = outcome.State,
            LastUpdatedTimestamp = now,
            CreationTimestamp = now,
            ExpirationTimestamp = now + limits.AuthorizationLifetime,
        };

        switch (outcome.State)
        {
            case ChargeState.AuthorizationInitiated:
                charge = charge with
                {
                    PendingUntil = now + limits.SandboxAsyncDelay,
                    PendingOutcome = outcome.DeclineReason is null ? Charges.PendingOutcome.Authorize : Charges.PendingOutcome.Decline,
                    PendingDeclineReason = outcome.DeclineReason,
                };
                return new Transition<Charge>(charge, [charge.Event(null, charge.ChargeAmount, now)]);
            case ChargeState.Declined:
                var reason = outcome.DeclineReason ?? ChargeReasonCode.HardDeclined;
                charge = charge with { ReasonCode = reason, ReasonDescription = ChargeReasons.Describe(reason) };
                return new Transition<Charge>(charge, [charge.Event(null, charge.ChargeAmount, now)]);
            default:
                charge = charge with { State = ChargeState.Authorized, AuthorizedAt = now };
                var authorized = charge.Event(null, charge.ChargeAmount, now);
                if (!request.CaptureNow)
                {
                    return new Transition<Charge>(charge, [authorized]);
                }

                var captured = charge with { State = ChargeState.Captured, CaptureAmount = request.ChargeAmount };
                return new Transition<Charge>(captured, [authorized, captured.Event(ChargeState.Authorized, request.ChargeAmount, now)]);
        }
    }

    /// <summary>
    /// The charge alone as it stands at <paramref name="now"/> (pending steps resolved, an unused authorization
    /// lapsed). Refunds settle through <see cref="ChargePermissions.PaymentLedger.AsOf"/>, which also sees them.
    /// </summary>
    public Transition<Charge> AsOf(DateTimeOffset now)
    {
        // The common case on every read: nothing is due, and nothing is allocated.
        if (NextDueAt is not { } next || next > now)
        {
            return new Transition<Charge>(this, []);
        }

        var charge = this;
        var events = new List<DomainEvent>();
        while (charge.NextDueAt is { } due && due <= now)
        {
            var advanced = charge.Advance();
            charge = advanced.Value;
            events.AddRange(advanced.Events);
        }

        return new Transition<Charge>(charge, events);
    }

    /// <summary>Applies the one change due at <see cref="NextDueAt"/>.</summary>
    public Transition<Charge> Advance()
    {
        if (PendingUntil is { } due && PendingOutcome is { } outcome)
        {
            return Resolve(outcome, due);
        }

        var expiry = ExpirationTimestamp;
        var expired = this with
        {
            State = ChargeState.Canceled,
            ReasonCode = ChargeReasonCode.ExpiredUnused,
            ReasonDescription = ChargeReasons.Describe(ChargeReasonCode.ExpiredUnused),
            LastUpdatedTimestamp = expiry,
        };
        return new Transition<Charge>(expired, [expired.Event(State, null, expiry)]);
    }

    /// <summary>
    /// Captures this authorization, at most once. <paramref name="heldByOthers"/> is what the permission's other
    /// charges use of its limit. <paramref name="pendingDeclineReason"/> with <paramref name="forcePending"/> makes
    /// the capture wait and then fail (sandbox simulation).
    /// </summary>
    public Result<Transition<Charge>> Capture(
        Money amount,
        string? softDescriptor,
        ChargePermission permission,
        Money heldByOthers,
        bool forcePending,
        ChargeReasonCode? pendingDeclineReason,
        DateTimeOffset now,
        Limits limits)
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

        var late = AuthorizedAt is { } authorizedAt && now - authorizedAt > limits.SynchronousCaptureWindow;
        var asynchronous = late || forcePending;
        var captured = this with
        {
            State = asynchronous ? ChargeState.CaptureInitiated : ChargeState.Captured,
            CaptureAmount = amount,
            SoftDescriptor = softDescriptor ?? SoftDescriptor,
            LastUpdatedTimestamp = now,
            PendingUntil = asynchronous ? now + limits.SandboxAsyncDelay : null,
            PendingOutcome = !asynchronous ? null
                : pendingDeclineReason is null ? Charges.PendingOutcome.Capture : Charges.PendingOutcome.Decline,
            PendingDeclineReason = asynchronous ? pendingDeclineReason : null,
        };
        return new Transition<Charge>(captured, [captured.Event(State, amount, now)]);
    }

    /// <summary>Cancels an open authorization (Authorized or AuthorizationInitiated).</summary>
    public Result<Transition<Charge>> Cancel(ChargeReasonCode reasonCode, DateTimeOffset now)
    {
        if (!IsOpen)
        {
            return new DomainError(ErrorCode.InvalidChargeStatus, $"The Charge is in {State} state and cannot be canceled.");
        }

        var canceled = this with
        {
            State = ChargeState.Canceled,
            ReasonCode = reasonCode,
            ReasonDescription = ChargeReasons.Describe(reasonCode),
            PendingUntil = null,
            PendingOutcome = null,
            PendingDeclineReason = null,
            LastUpdatedTimestamp = now,
        };
        return new Transition<Charge>(canceled, [canceled.Event(State, ChargeAmount, now)]);
    }

    /// <summary>A refund of this charge settled: the refunded amount grows by it.</summary>
    public Charge WithRefunded(Money amount, DateTimeOffset at) =>
        this with { RefundedAmount = RefundedAmount + amount, LastUpdatedTimestamp = at };

    private Transition<Charge> Resolve(PendingOutcome outcome, DateTimeOffset at)
    {
        var resolved = outcome switch
        {
            // An authorization lapses 30 days after it is granted, not after it was requested.
            Charges.PendingOutcome.Authorize when CaptureNow => this with
            {
                State = ChargeState.Captured,
                CaptureAmount = ChargeAmount,
                AuthorizedAt = at,
            },
            Charges.PendingOutcome.Authorize => this with
            {
                State = ChargeState.Authorized,
                AuthorizedAt = at,
                ExpirationTimestamp = ExpirationTimestamp + (at - CreationTimestamp),
            },
            // A declined capture captured nothing, so it shows no captureAmount.
            Charges.PendingOutcome.Decline => this with
            {
                State = ChargeState.Declined,
                CaptureAmount = null,
                ReasonCode = PendingDeclineReason ?? ChargeReasonCode.HardDeclined,
                ReasonDescription = ChargeReasons.Describe(PendingDeclineReason ?? ChargeReasonCode.HardDeclined),
            },
            Charges.PendingOutcome.Capture => this with { State = ChargeState.Captured },
        };
        resolved = resolved with { PendingUntil = null, PendingOutcome = null, PendingDeclineReason = null, LastUpdatedTimestamp = at };
        // A pending capture's event carries the amount asked for (also when it is declined); only a capture has one.
        return new Transition<Charge>(resolved, [resolved.Event(State, CaptureAmount ?? ChargeAmount, at)]);
    }

    private DomainEvent Event(ChargeState? from, Money? amount, DateTimeOffset at) =>
        new(ObjectType.Charge, ChargeId, ChargePermissionId, from?.ToString(), State.ToString(), ReasonCode?.ToString(), amount, at);
}
