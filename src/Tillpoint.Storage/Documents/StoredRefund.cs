using System.Text.Json.Serialization;
using Tillpoint.Domain;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Storage.Documents;

/// <summary>
/// A refund as stored, version 1. Property names and order are the document's: renaming one here fails the
/// golden-document tests, while renaming one of <see cref="Refund"/> changes only its mapping, below.
/// </summary>
internal sealed class StoredRefund
{
    [JsonRequired]
    public string RefundId { get; set; } = null!;

    [JsonRequired]
    public string ChargeId { get; set; } = null!;

    [JsonRequired]
    public string ChargePermissionId { get; set; } = null!;

    [JsonRequired]
    public string MerchantId { get; set; } = null!;

    [JsonRequired]
    public ReleaseEnvironment Environment { get; set; }

    [JsonRequired]
    public StoredMoney RefundAmount { get; set; } = null!;

    public string? SoftDescriptor { get; set; }

    public RefundState State { get; set; }

    public RefundReasonCode? ReasonCode { get; set; }

    public string? ReasonDescription { get; set; }

    [JsonRequired]
    public DateTimeOffset LastUpdatedTimestamp { get; set; }

    [JsonRequired]
    public DateTimeOffset CreationTimestamp { get; set; }

    public DateTimeOffset? PendingUntil { get; set; }

    public RefundReasonCode? PendingDeclineReason { get; set; }

    public long Version { get; set; }

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
