using Tillpoint.Domain;
using Tillpoint.Domain.Charges;

namespace Tillpoint.Storage.Documents;

/// <summary>
/// A charge as stored, version 1. Property names and order are the document's: a property renamed here, or in
/// <see cref="Charge"/> without its mapping, fails the golden-document tests.
/// </summary>
internal sealed class StoredCharge
{
    public required string ChargeId { get; init; }

    public required string ChargePermissionId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required StoredMoney ChargeAmount { get; init; }

    public StoredMoney? CaptureAmount { get; init; }

    public required StoredMoney RefundedAmount { get; init; }

    public string? SoftDescriptor { get; init; }

    public bool CaptureNow { get; init; }

    public bool CanHandlePendingAuthorization { get; init; }

    public string? ProviderReferenceId { get; init; }

    public StoredMerchantMetadata? MerchantMetadata { get; init; }

    public string? PlatformId { get; init; }

    public string? Channel { get; init; }

    public string? ChargeInitiator { get; init; }

    public ChargeState State { get; init; }

    public ChargeReasonCode? ReasonCode { get; init; }

    public string? ReasonDescription { get; init; }

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    public required DateTimeOffset ExpirationTimestamp { get; init; }

    public DateTimeOffset? AuthorizedAt { get; init; }

    public DateTimeOffset? PendingUntil { get; init; }

    public PendingOutcome? PendingOutcome { get; init; }

    public ChargeReasonCode? PendingDeclineReason { get; init; }

    public long Version { get; init; }

    public static StoredCharge From(Charge charge) => new()
    {
        ChargeId = charge.ChargeId,
        ChargePermissionId = charge.ChargePermissionId,
        MerchantId = charge.MerchantId,
        Environment = charge.Environment,
        ChargeAmount = StoredMoney.From(charge.ChargeAmount),
        CaptureAmount = StoredMoney.From(charge.CaptureAmount),
        RefundedAmount = StoredMoney.From(charge.RefundedAmount),
        SoftDescriptor = charge.SoftDescriptor,
        CaptureNow = charge.CaptureNow,
        CanHandlePendingAuthorization = charge.CanHandlePendingAuthorization,
        ProviderReferenceId = charge.ProviderReferenceId,
        MerchantMetadata = StoredMerchantMetadata.From(charge.MerchantMetadata),
        PlatformId = charge.PlatformId,
        Channel = charge.Channel,
        ChargeInitiator = charge.ChargeInitiator,
        State = charge.State,
        ReasonCode = charge.ReasonCode,
        ReasonDescription = charge.ReasonDescription,
        LastUpdatedTimestamp = charge.LastUpdatedTimestamp,
        CreationTimestamp = charge.CreationTimestamp,
        ExpirationTimestamp = charge.ExpirationTimestamp,
        AuthorizedAt = charge.AuthorizedAt,
        PendingUntil = charge.PendingUntil,
        PendingOutcome = charge.PendingOutcome,
        PendingDeclineReason = charge.PendingDeclineReason,
        Version = charge.Version,
    };

    public Charge ToDomain() => new()
    {
        ChargeId = ChargeId,
        ChargePermissionId = ChargePermissionId,
        MerchantId = MerchantId,
        Environment = Environment,
        ChargeAmount = ChargeAmount.ToDomain(),
        CaptureAmount = CaptureAmount?.ToDomain(),
        RefundedAmount = RefundedAmount.ToDomain(),
        SoftDescriptor = SoftDescriptor,
        CaptureNow = CaptureNow,
        CanHandlePendingAuthorization = CanHandlePendingAuthorization,
        ProviderReferenceId = ProviderReferenceId,
        MerchantMetadata = MerchantMetadata?.ToDomain(),
        PlatformId = PlatformId,
        Channel = Channel,
        ChargeInitiator = ChargeInitiator,
        State = State,
        ReasonCode = ReasonCode,
        ReasonDescription = ReasonDescription,
        LastUpdatedTimestamp = LastUpdatedTimestamp,
        CreationTimestamp = CreationTimestamp,
        ExpirationTimestamp = ExpirationTimestamp,
        AuthorizedAt = AuthorizedAt,
        PendingUntil = PendingUntil,
        PendingOutcome = PendingOutcome,
        PendingDeclineReason = PendingDeclineReason,
        Version = Version,
    };
}
