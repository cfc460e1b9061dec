using Tillpoint.Domain;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Storage.Documents;

/// <summary>
/// A refund as stored, version 1. Property names and order are the document's: a property renamed here, or in
/// <see cref="Refund"/> without its mapping, fails the golden-document tests.
/// </summary>
internal sealed class StoredRefund
{
    public required string RefundId { get; init; }

    public required string ChargeId { get; init; }

    public required string ChargePermissionId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required StoredMoney RefundAmount { get; init; }

    public string? SoftDescriptor { get; init; }

    public RefundState State { get; init; }

    public RefundReasonCode? ReasonCode { get; init; }

    public string? ReasonDescription { get; init; }

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    public DateTimeOffset? PendingUntil { get; init; }

    public RefundReasonCode? PendingDeclineReason { get; init; }

    public long Version { get; init; }

    public static StoredRefund From(Refund refund) => new()
    {
        RefundId = refund.RefundId,
        ChargeId = refund.ChargeId,
        ChargePermissionId = refund.ChargePermissionId,
        MerchantId = refund.MerchantId,
        Environment = refund.Environment,
        RefundAmount = StoredMoney.From(refund.RefundAmount),
        SoftDescriptor = refund.SoftDescriptor,
        State = refund.State,
        ReasonCode = refund.ReasonCode,
        ReasonDescription = refund.ReasonDescription,
        LastUpdatedTimestamp = refund.LastUpdatedTimestamp,
        CreationTimestamp = refund.CreationTimestamp,
        PendingUntil = refund.PendingUntil,
        PendingDeclineReason = refund.PendingDeclineReason,
        Version = refund.Version,
    };

    public Refund ToDomain() => new()
    {
        RefundId = RefundId,
        ChargeId = ChargeId,
        ChargePermissionId = ChargePermissionId,
        MerchantId = MerchantId,
        Environment = Environment,
        RefundAmount = RefundAmount.ToDomain(),
        SoftDescriptor = SoftDescriptor,
        State = State,
        ReasonCode = ReasonCode,
        ReasonDescription = ReasonDescription,
        LastUpdatedTimestamp = LastUpdatedTimestamp,
        CreationTimestamp = CreationTimestamp,
        PendingUntil = PendingUntil,
        PendingDeclineReason = PendingDeclineReason,
        Version = Version,
    };
}
