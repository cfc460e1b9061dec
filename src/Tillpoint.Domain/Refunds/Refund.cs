namespace Tillpoint.Domain.Refunds;

public enum RefundState
{
    RefundInitiated,
    Refunded,
    Declined,
}

/// <summary>Why a refund was Declined. Each name is the reasonCode on the wire and in stored documents.</summary>
public enum RefundReasonCode
{
    AmazonRejected,
    ProcessingFailure,
}

public static class RefundReasons
{
    public static string Describe(RefundReasonCode reasonCode) => reasonCode switch
    {
        RefundReasonCode.AmazonRejected => "Amazon rejected the refund.",
        RefundReasonCode.ProcessingFailure => "The refund could not be processed.",
    };
}

/// <summary>Money returned to the buyer from a captured charge. Every refund is asynchronous (RefundInitiated first).</summary>
public sealed record Refund
{
    public required string RefundId { get; init; }

    public required string ChargeId { get; init; }

    public required string ChargePermissionId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required Money RefundAmount { get; init; }

    public string? SoftDescriptor { get; init; }

    public RefundState State { get; init; } = RefundState.RefundInitiated;

    public RefundReasonCode? ReasonCode { get; init; }

    public string? ReasonDescription { get; init; }

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    /// <summary>When the pending refund settles; null once it has.</summary>
    public DateTimeOffset? PendingUntil { get; init; }

    /// <summary>The reason it will be declined with, or null when it will be refunded.</summary>
    public RefundReasonCode? PendingDeclineReason { get; init; }

    public long Version { get; init; }

    /// <summary>How much of the charge's refundable amount this refund takes: all of it unless declined.</summary>
    public Money AmountHeld => State == RefundState.Declined ? Money.Zero(RefundAmount.Currency) : RefundAmount;

    public DateTimeOffset? NextDueAt => PendingUntil;

    public static Transition<Refund> Initiate(
        string refundId, Charges.Charge charge, Money amount, string? softDescriptor, RefundReasonCode? declineReason, DateTimeOffset now, Limits limits)
    {
        var refund = new Refund
        {
            RefundId = refundId,
            ChargeId = charge.ChargeId,
            ChargePermissionId = charge.ChargePermissionId,
            MerchantId = charge.MerchantId,
            Environment = charge.Environment,
            RefundAmount = amount,
            SoftDescriptor = softDescriptor,
            LastUpdatedTimestamp = now,
            CreationTimestamp = now,
            PendingUntil = now + limits.SandboxAsyncDelay,
            PendingDeclineReason = declineReason,
        };
        return new Transition<Refund>(refund, [refund.Event(null, now)]);
    }

    /// <summary>Settles the refund at its due time.</summary>
    public Transition<Refund> Settle()
    {
        var at = PendingUntil ?? throw new InvalidOperationException("Only a pending refund settles.");
        var settled = PendingDeclineReason is { } reason
            ? this with
            {
                State = RefundState.Declined,
                ReasonCode = reason,
                ReasonDescription = RefundReasons.Describe(reason),
            }
            : this with { State = RefundState.Refunded };
        settled = settled with { PendingUntil = null, PendingDeclineReason = null, LastUpdatedTimestamp = at };
        return new Transition<Refund>(settled, [settled.Event(State, at)]);
    }

    private DomainEvent Event(RefundState? from, DateTimeOffset at) =>
        new(ObjectType.Refund, RefundId, ChargePermissionId, from?.ToString(), State.ToString(), ReasonCode?.ToString(), RefundAmount, at);
}
