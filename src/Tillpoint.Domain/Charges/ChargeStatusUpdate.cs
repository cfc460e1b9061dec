namespace Tillpoint.Domain.Charges;

/// <summary>
/// The status a payment service provider reports for a charge it processed itself (Update Charge): a state, and the reason
/// for Canceled and Declined.
/// </summary>
public sealed record ChargeStatusUpdate(ChargeState State, ChargeReasonCode? ReasonCode);

public sealed partial record Charge
{
    /// <summary>
    /// Update Charge: the PSP says how its own processing of this charge ended. The reference gives one example (Canceled,
    /// ExpiredUnused) and no rules, so Tillpoint takes the charge's own lifecycle as the rule: a pending authorization may
    /// become Authorized, Captured, Canceled or Declined; an authorization Captured or Canceled; a pending capture Captured
    /// or Declined; a final state nothing. Canceled takes a cancellation reason, Declined a decline reason, the others none.
    /// Reporting the state and reason the charge already has changes nothing, so a retried PATCH succeeds.
    /// </summary>
    public Result<Transition<Charge>> Update(ChargeStatusUpdate update, DateTimeOffset now)
    {
        var (state, reason) = update;
        if (ReasonError(state, reason) is { } invalid)
        {
            return invalid;
        }

        if (state == State && reason == ReasonCode)
        {
            return new Transition<Charge>(this, []);
        }

        if (!CanBecome(state))
        {
            return new DomainError(ErrorCode.InvalidChargeStatus, $"The Charge is in {State} state and cannot be updated to {state}.");
        }

        var updated = (this with
        {
            State = state,
            ReasonCode = reason,
            ReasonDescription = reason is { } code ? ChargeReasons.Describe(code) : null,
            PendingUntil = null,
            PendingOutcome = null,
            PendingDeclineReason = null,
            LastUpdatedTimestamp = now,
        }).Settled(now);
        return new Transition<Charge>(updated, [updated.Event(State, updated.CaptureAmount ?? ChargeAmount, now)]);
    }

    /// <summary>What the reported state implies for the amounts and times.</summary>
    private Charge Settled(DateTimeOffset now) => State switch
    {
        // As a pending authorization resolving: it lapses 30 days after it was granted, not after it was requested.
        ChargeState.Authorized => this with { AuthorizedAt = now, ExpirationTimestamp = ExpirationTimestamp + (now - CreationTimestamp) },
        ChargeState.Captured => this with { AuthorizedAt = AuthorizedAt ?? now, CaptureAmount = CaptureAmount ?? ChargeAmount },
        // A declined capture captured nothing, so it shows no captureAmount.
        ChargeState.Declined => this with { CaptureAmount = null },
        ChargeState.Canceled => this,
        ChargeState.AuthorizationInitiated or ChargeState.CaptureInitiated => throw new InvalidOperationException($"A PSP cannot report {State}."),
    };

    private bool CanBecome(ChargeState target) => State switch
    {
        ChargeState.AuthorizationInitiated => target is ChargeState.Authorized or ChargeState.Captured or ChargeState.Canceled or ChargeState.Declined,
        ChargeState.Authorized => target is ChargeState.Captured or ChargeState.Canceled,
        ChargeState.CaptureInitiated => target is ChargeState.Captured or ChargeState.Declined,
        ChargeState.Captured or ChargeState.Canceled or ChargeState.Declined => false,
    };

    private static DomainError? ReasonError(ChargeState state, ChargeReasonCode? reason) => state switch
    {
        ChargeState.AuthorizationInitiated or ChargeState.CaptureInitiated => DomainError.InvalidValue(
            "statusDetails.state", $"{state} is not a state a PSP reports; use Authorized, Captured, Canceled or Declined."),
        ChargeState.Authorized or ChargeState.Captured when reason is not null => DomainError.InvalidValue(
            "statusDetails.reasonCode", $"a {state} charge has no reason code."),
        ChargeState.Authorized or ChargeState.Captured => null,
        ChargeState.Canceled when reason is null => DomainError.Missing("statusDetails.reasonCode"),
        ChargeState.Canceled => reason is ChargeReasonCode.ExpiredUnused or ChargeReasonCode.MerchantCanceled or ChargeReasonCode.AmazonCanceled
            ? null
            : DomainError.InvalidValue("statusDetails.reasonCode", $"{reason} is not a reason to cancel; use ExpiredUnused, MerchantCanceled or AmazonCanceled."),
        ChargeState.Declined when reason is null => DomainError.Missing("statusDetails.reasonCode"),
        ChargeState.Declined => reason is ChargeReasonCode.ExpiredUnused or ChargeReasonCode.MerchantCanceled or ChargeReasonCode.AmazonCanceled
            or ChargeReasonCode.ChargePermissionCanceled
            ? DomainError.InvalidValue("statusDetails.reasonCode", $"{reason} is not a reason to decline.")
            : null,
    };
}
