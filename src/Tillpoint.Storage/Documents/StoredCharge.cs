using System.Text.Json.Serialization;
using Tillpoint.Domain;
using Tillpoint.Domain.Charges;

namespace Tillpoint.Storage.Documents;

/// <summary>
/// A charge as stored, version 1. Property names and order are the document's: renaming one here fails the
/// golden-document tests, while renaming one of <see cref="Charge"/> changes only its mapping, below.
/// </summary>
internal sealed class StoredCharge
{
    [JsonRequired]
    public string ChargeId { get; set; } = null!;

    [JsonRequired]
    public string ChargePermissionId { get; set; } = null!;

    [JsonRequired]
    public string MerchantId { get; set; } = null!;

    [JsonRequired]
    public ReleaseEnvironment Environment { get; set; }

    [JsonRequired]
    public StoredMoney ChargeAmount { get; set; } = null!;

    public StoredMoney? CaptureAmount { get; set; }

    [JsonRequired]
    public StoredMoney RefundedAmount { get; set; } = null!;

    public string? SoftDescriptor { get; set; }

    public bool CaptureNow { get; set; }

    public bool CanHandlePendingAuthorization { get; set; }

    public string? ProviderReferenceId { get; set; }

    public StoredMerchantMetadata? MerchantMetadata { get; set; }

    public string? PlatformId { get; set; }

    public string? Channel { get; set; }

    public string? ChargeInitiator { get; set; }

    public ChargeState State { get; set; }

    public ChargeReasonCode? ReasonCode { get; set; }

    public string? ReasonDescription { get; set; }

    [JsonRequired]
    public DateTimeOffset LastUpdatedTimestamp { get; set; }

    [JsonRequired]
    public DateTimeOffset CreationTimestamp { get; set; }

    [JsonRequired]
    public DateTimeOffset ExpirationTimestamp { get; set; }

    public DateTimeOffset? AuthorizedAt { get; set; }

    public DateTimeOffset? PendingUntil { get; set; }

    public PendingOutcome? PendingOutcome { get; set; }

    public ChargeReasonCode? PendingDeclineReason { get; set; }

    public long Version { get; set; }

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
