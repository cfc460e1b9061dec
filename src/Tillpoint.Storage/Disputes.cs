using Tillpoint.Domain;
using Tillpoint.Domain.Disputes;
using Tillpoint.Storage.Documents;

namespace Tillpoint.Storage;

/// <summary>
/// An evidence file (Upload File, spec §2.7): created with its type and purpose, then its bytes are put to the one-time
/// upload address named by <paramref name="UploadToken"/> before <paramref name="UrlExpiresAt"/>.
/// <paramref name="UploadedAt"/> and <paramref name="Size"/> are set once the bytes have arrived.
/// </summary>
public sealed record EvidenceFile(
    string MerchantId,
    ReleaseEnvironment Environment,
    string FileId,
    string Type,
    string Purpose,
    string UploadToken,
    DateTimeOffset CreatedAt,
    DateTimeOffset UrlExpiresAt,
    DateTimeOffset? UploadedAt,
    long Size);

/// <summary>
/// A dispute as its row's document holds it: a type of the store's own, so renaming a domain property never orphans
/// stored data. Read back into <see cref="Dispute"/> field by field.
/// </summary>
internal sealed record StoredDispute
{
    public required string DisputeId { get; init; }

    public required string ChargeId { get; init; }

    public required string ChargePermissionId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required StoredMoney DisputeAmount { get; init; }

    public required DisputeFilingReason FilingReason { get; init; }

    public required DisputeState State { get; init; }

    public DisputeReasonCode? ReasonCode { get; init; }

    public string? ReasonDescription { get; init; }

    public DisputeResolution? Resolution { get; init; }

    public IReadOnlyList<StoredEvidence> MerchantEvidences { get; init; } = [];

    public required DateTimeOffset MerchantResponseDeadline { get; init; }

    public required DateTimeOffset FilingTimestamp { get; init; }

    public DateTimeOffset? ClosureTimestamp { get; init; }

    public string? ProviderDisputeId { get; init; }

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    public long Version { get; init; }

    public static StoredDispute From(Dispute d) => new()
    {
        DisputeId = d.DisputeId,
        ChargeId = d.ChargeId,
        ChargePermissionId = d.ChargePermissionId,
        MerchantId = d.MerchantId,
        Environment = d.Environment,
        DisputeAmount = StoredMoney.From(d.DisputeAmount),
        FilingReason = d.FilingReason,
        State = d.State,
        ReasonCode = d.ReasonCode,
        ReasonDescription = d.ReasonDescription,
        Resolution = d.Resolution,
        MerchantEvidences = [.. d.MerchantEvidences.Select(e => new StoredEvidence(e.EvidenceType, e.FileId, e.EvidenceText))],
        MerchantResponseDeadline = d.MerchantResponseDeadline,
        FilingTimestamp = d.FilingTimestamp,
        ClosureTimestamp = d.ClosureTimestamp,
        ProviderDisputeId = d.ProviderDisputeId,
        LastUpdatedTimestamp = d.LastUpdatedTimestamp,
        CreationTimestamp = d.CreationTimestamp,
        Version = d.Version,
    };

    public Dispute ToDispute() => new()
    {
        DisputeId = DisputeId,
        ChargeId = ChargeId,
        ChargePermissionId = ChargePermissionId,
        MerchantId = MerchantId,
        Environment = Environment,
        DisputeAmount = DisputeAmount.ToDomain(),
        FilingReason = FilingReason,
        State = State,
        ReasonCode = ReasonCode,
        ReasonDescription = ReasonDescription,
        Resolution = Resolution,
        MerchantEvidences = [.. MerchantEvidences.Select(e => new MerchantEvidence(e.EvidenceType, e.FileId, e.EvidenceText))],
        MerchantResponseDeadline = MerchantResponseDeadline,
        FilingTimestamp = FilingTimestamp,
        ClosureTimestamp = ClosureTimestamp,
        ProviderDisputeId = ProviderDisputeId,
        LastUpdatedTimestamp = LastUpdatedTimestamp,
        CreationTimestamp = CreationTimestamp,
        Version = Version,
    };
}

/// <summary>One piece of a dispute's evidence as stored.</summary>
internal sealed record StoredEvidence(EvidenceType EvidenceType, string? FileId, string? EvidenceText);
