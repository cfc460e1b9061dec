namespace Tillpoint.Domain.Disputes;

/// <summary>A dispute's state (spec §2.9). Each name is the state on the wire and in stored documents.</summary>
public enum DisputeState
{
    ActionRequired,
    UnderReview,
    Resolved,
    Closed,
}

/// <summary>Why a dispute is in its state (spec §2.9; note the double l of <c>BuyerCancelled</c>).</summary>
public enum DisputeReasonCode
{
    MerchantResponseRequired,
    MerchantAdditionalEvidencesRequired,
    BuyerAdditionalEvidencesRequired,
    MerchantAcceptedDispute,
    MerchantResponseDeadlineExpired,
    BuyerCancelled,
    InvestigatorResolved,
    AutoResolved,
    ChargebackFiled,
}

/// <summary>Who a Resolved or Closed dispute was decided for.</summary>
public enum DisputeResolution
{
    BuyerWon,
    MerchantWon,
    NoFault,
}

public enum DisputeFilingReason
{
    ProductNotReceived,
    ProductUnacceptable,
    ProductNoLongerNeeded,
    CreditNotProcessed,
    Overcharged,
    DuplicateCharge,
    SubscriptionCancelled,
    Unrecognized,
    Fraudulent,
    Other,
}

public enum EvidenceType
{
    ProductDescription,
    Receipt,
    CancellationPolicy,
    CustomerSignature,
    TrackingNumber,
    CarrierName,
    DeviceId,
    DeviceName,
    DownloadDateTime,
    Other,
}

/// <summary>What the merchant sends to contest a dispute: a file uploaded before, a text, or both.</summary>
public sealed record MerchantEvidence(EvidenceType EvidenceType, string? FileId, string? EvidenceText);

/// <summary>The status a PSP reports for a dispute it manages (Create and Update Dispute).</summary>
public sealed record DisputeStatusReport(DisputeState State, DisputeReasonCode? ReasonCode, string? ReasonDescription, DisputeResolution? Resolution);

/// <summary>A new dispute: by a PSP (Create Dispute) or by the sandbox (a simulation code, the operator).</summary>
public sealed record DisputeFiling(
    Money DisputeAmount,
    DisputeFilingReason FilingReason,
    DateTimeOffset FilingTimestamp,
    DateTimeOffset MerchantResponseDeadline,
    DisputeStatusReport? Status,
    string? ProviderDisputeId);

public static class DisputeReasons
{
    /// <summary>Who decides disputes in Tillpoint; the values Amazon uses are not published (spec §2.2).</summary>
    public const string AmazonPay = "AmazonPay";

    public static string Describe(DisputeReasonCode reasonCode) => reasonCode switch
    {
        DisputeReasonCode.MerchantResponseRequired => "Merchant needs to provide a response",
        DisputeReasonCode.MerchantAdditionalEvidencesRequired => "Merchant needs to provide additional evidence",
        DisputeReasonCode.BuyerAdditionalEvidencesRequired => "Buyer needs to provide additional evidence",
        DisputeReasonCode.MerchantAcceptedDispute => "Merchant accepted the dispute request",
        DisputeReasonCode.MerchantResponseDeadlineExpired => "Merchant did not respond before the deadline",
        DisputeReasonCode.BuyerCancelled => "Buyer withdrew the dispute",
        DisputeReasonCode.InvestigatorResolved => "An investigator decided the dispute",
        DisputeReasonCode.AutoResolved => "The dispute was decided automatically",
        DisputeReasonCode.ChargebackFiled => "Buyer filed a chargeback with their bank",
    };

    /// <summary>Whether <paramref name="state"/> is final: Resolved and Closed carry a resolution, the open states none.</summary>
    public static bool IsFinal(DisputeState state) => state switch
    {
        DisputeState.ActionRequired or DisputeState.UnderReview => false,
        DisputeState.Resolved or DisputeState.Closed => true,
    };
}

/// <summary>
/// A buyer's chargeback or A-to-z claim against a captured charge (spec §2). It never changes the charge or its refunds;
/// while it is open, and once the buyer won it, its amount is taken from what the charge may still refund (see
/// <see cref="AmountHeld"/>). Time matters once: in ActionRequired, the merchant response deadline passing decides the
/// dispute for the buyer.
/// </summary>
public sealed record Dispute
{
    public required string DisputeId { get; init; }

    public required string ChargeId { get; init; }

    public required string ChargePermissionId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required Money DisputeAmount { get; init; }

    public required DisputeFilingReason FilingReason { get; init; }

    public DisputeState State { get; init; } = DisputeState.ActionRequired;

    public DisputeReasonCode? ReasonCode { get; init; } = DisputeReasonCode.MerchantResponseRequired;

    public string? ReasonDescription { get; init; } = DisputeReasons.Describe(DisputeReasonCode.MerchantResponseRequired);

    public DisputeResolution? Resolution { get; init; }

    public IReadOnlyList<MerchantEvidence> MerchantEvidences { get; init; } = [];

    public required DateTimeOffset MerchantResponseDeadline { get; init; }

    public required DateTimeOffset FilingTimestamp { get; init; }

    public DateTimeOffset? ClosureTimestamp { get; init; }

    public string? ProviderDisputeId { get; init; }

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    public long Version { get; init; }

    public bool IsOpen => !DisputeReasons.IsFinal(State);

    /// <summary>Only an ActionRequired dispute changes with time: at its deadline.</summary>
    public DateTimeOffset? NextDueAt => State == DisputeState.ActionRequired ? MerchantResponseDeadline : null;

    /// <summary>
    /// What this dispute takes from the charge's refundable amount: its amount while open (the buyer may win it) and once
    /// the buyer won; nothing once the merchant won or nobody was at fault, nor when disputes are set to take nothing.
    /// </summary>
    public Money AmountHeld(Limits limits) => limits.DisputesReduceRefundable && (IsOpen || Resolution == DisputeResolution.BuyerWon)
        ? DisputeAmount
        : Money.Zero(DisputeAmount.Currency);

    /// <summary>A new dispute against a captured charge, ActionRequired unless the PSP reports UnderReview.</summary>
    public static Result<Transition<Dispute>> File(string disputeId, Charges.Charge charge, DisputeFiling filing, DateTimeOffset now)
    {
        var status = filing.Status ?? new DisputeStatusReport(DisputeState.ActionRequired, null, null, null);
        if (DisputeReasons.IsFinal(status.State))
        {
            return DomainError.InvalidValue("statusDetails.state", $"a new dispute is ActionRequired or UnderReview, not {status.State}.");
        }

        if (status.Resolution is not null)
        {
            return DomainError.InvalidValue("statusDetails.resolution", "only a Resolved or Closed dispute has a resolution.");
        }

        var reason = status.ReasonCode ?? (status.State == DisputeState.ActionRequired ? DisputeReasonCode.MerchantResponseRequired : null);
        var dispute = new Dispute
        {
            DisputeId = disputeId,
            ChargeId = charge.ChargeId,
            ChargePermissionId = charge.ChargePermissionId,
            MerchantId = charge.MerchantId,
            Environment = charge.Environment,
            DisputeAmount = filing.DisputeAmount,
            FilingReason = filing.FilingReason,
            State = status.State,
            ReasonCode = reason,
            ReasonDescription = status.ReasonDescription ?? (reason is { } r ? DisputeReasons.Describe(r) : null),
            MerchantResponseDeadline = filing.MerchantResponseDeadline,
            FilingTimestamp = filing.FilingTimestamp,
            ProviderDisputeId = filing.ProviderDisputeId,
            LastUpdatedTimestamp = now,
            CreationTimestamp = now,
        };
        return new Transition<Dispute>(dispute, [dispute.Event(null, now)]);
    }

    /// <summary>The dispute as it stands at <paramref name="now"/>: decided for the buyer if its deadline has passed.</summary>
    public Transition<Dispute> AsOf(DateTimeOffset now) =>
        NextDueAt is { } due && due <= now ? Expire() : new Transition<Dispute>(this, []);

    /// <summary>The merchant response deadline passed in ActionRequired: the buyer wins.</summary>
    public Transition<Dispute> Expire()
    {
        var at = NextDueAt ?? throw new InvalidOperationException("Only an ActionRequired dispute expires.");
        return Decided(DisputeState.Resolved, DisputeReasonCode.MerchantResponseDeadlineExpired, null, DisputeResolution.BuyerWon, at);
    }

    /// <summary>
    /// Whether a payment service provider reported this dispute (Create Dispute) and so reports its outcome (Update
    /// Dispute); otherwise Amazon Pay decides it.
    /// </summary>
    public bool ManagedByProvider => ProviderDisputeId is not null;

    /// <summary>
    /// Contest Dispute: the merchant's evidence before the deadline moves an ActionRequired dispute to UnderReview. A
    /// provider's dispute takes evidence in any other state too, and keeps its state: the provider, not Amazon, decides
    /// it (the SDKs' own tests contest after the provider reported the outcome).
    /// </summary>
    public Result<Transition<Dispute>> Contest(IReadOnlyList<MerchantEvidence> evidences, DateTimeOffset now)
    {
        if (State != DisputeState.ActionRequired && ManagedByProvider)
        {
            var recorded = this with { MerchantEvidences = [.. MerchantEvidences, .. evidences], LastUpdatedTimestamp = now };
            return new Transition<Dispute>(recorded, [recorded.Event(State, now)]);
        }

        if (State != DisputeState.ActionRequired)
        {
            return NotIn("contested");
        }

        if (now >= MerchantResponseDeadline)
        {
            return new DomainError(
                ErrorCode.InvalidDisputeStatus,
                $"The merchant response deadline {MerchantResponseDeadline:yyyy-MM-ddTHH:mm:ssZ} has passed; the dispute cannot be contested.");
        }

        var contested = this with
        {
            State = DisputeState.UnderReview,
            ReasonCode = null,
            ReasonDescription = "Amazon Pay is reviewing the merchant's evidence",
            MerchantEvidences = [.. MerchantEvidences, .. evidences],
            LastUpdatedTimestamp = now,
        };
        return new Transition<Dispute>(contested, [contested.Event(State, now)]);
    }

    /// <summary>The merchant accepts the buyer's claim: Resolved for the buyer.</summary>
    public Result<Transition<Dispute>> Accept(DateTimeOffset now) => State == DisputeState.ActionRequired
        ? Decided(DisputeState.Resolved, DisputeReasonCode.MerchantAcceptedDispute, null, DisputeResolution.BuyerWon, now)
        : NotIn("accepted");

    /// <summary>The investigator needs more from the merchant: ActionRequired again, with a new deadline.</summary>
    public Result<Transition<Dispute>> RequestEvidence(DateTimeOffset deadline, DateTimeOffset now)
    {
        if (State != DisputeState.UnderReview)
        {
            return NotIn("sent back to the merchant");
        }

        if (deadline <= now)
        {
            return DomainError.InvalidValue("merchantResponseDeadline", "it must be later than now.");
        }

        var asked = this with
        {
            State = DisputeState.ActionRequired,
            ReasonCode = DisputeReasonCode.MerchantAdditionalEvidencesRequired,
            ReasonDescription = DisputeReasons.Describe(DisputeReasonCode.MerchantAdditionalEvidencesRequired),
            MerchantResponseDeadline = deadline,
            LastUpdatedTimestamp = now,
        };
        return new Transition<Dispute>(asked, [asked.Event(State, now)]);
    }

    /// <summary>The investigator's decision on a dispute under review.</summary>
    public Result<Transition<Dispute>> Decide(DisputeResolution resolution, DateTimeOffset now) => State == DisputeState.UnderReview
        ? Decided(DisputeState.Resolved, DisputeReasonCode.InvestigatorResolved, null, resolution, now)
        : NotIn("decided");

    /// <summary>The buyer withdraws an open dispute: Closed, the merchant keeps the money.</summary>
    public Result<Transition<Dispute>> Withdraw(DateTimeOffset now) => IsOpen
        ? Decided(DisputeState.Closed, DisputeReasonCode.BuyerCancelled, null, DisputeResolution.MerchantWon, now)
        : NotIn("withdrawn");

    /// <summary>Update Dispute: a PSP reports a new status of a dispute it manages; a final one needs a resolution.</summary>
    public Result<Transition<Dispute>> Update(DisputeStatusReport status, DateTimeOffset? closureTimestamp, DateTimeOffset now)
    {
        if (!IsOpen)
        {
            return NotIn("updated");
        }

        var final = DisputeReasons.IsFinal(status.State);
        if (final && status.Resolution is null)
        {
            return DomainError.Missing("statusDetails.resolution");
        }

        if (!final && status.Resolution is not null)
        {
            return DomainError.InvalidValue("statusDetails.resolution", "only a Resolved or Closed dispute has a resolution.");
        }

        if (!final && closureTimestamp is not null)
        {
            return DomainError.InvalidValue("closureTimestamp", "only a Resolved or Closed dispute has a closure time.");
        }

        if (final)
        {
            return Decided(status.State, status.ReasonCode, status.ReasonDescription, status.Resolution, now, closureTimestamp ?? now);
        }

        var updated = this with
        {
            State = status.State,
            ReasonCode = status.ReasonCode,
            ReasonDescription = status.ReasonDescription ?? (status.ReasonCode is { } r ? DisputeReasons.Describe(r) : null),
            LastUpdatedTimestamp = now,
        };
        return new Transition<Dispute>(updated, [updated.Event(State, now)]);
    }

    private Transition<Dispute> Decided(
        DisputeState state, DisputeReasonCode? reason, string? description, DisputeResolution? resolution, DateTimeOffset at, DateTimeOffset? closedAt = null)
    {
        var decided = this with
        {
            State = state,
            ReasonCode = reason,
            ReasonDescription = description ?? (reason is { } r ? DisputeReasons.Describe(r) : null),
            Resolution = resolution,
            ClosureTimestamp = closedAt ?? at,
            LastUpdatedTimestamp = at,
        };
        return new Transition<Dispute>(decided, [decided.Event(State, at)]);
    }

    private DomainError NotIn(string action) =>
        new(ErrorCode.InvalidDisputeStatus, $"The Dispute is in {State} state and cannot be {action}.");

    /// <summary>Every event carries the amount and, once decided, the resolution: the ledger's record of what the dispute took.</summary>
    private DomainEvent Event(DisputeState? from, DateTimeOffset at) =>
        new(ObjectType.Dispute, DisputeId, ChargePermissionId, from?.ToString(), State.ToString(), ReasonCode?.ToString(), DisputeAmount, at,
            Resolution?.ToString());
}
