using System.Text.Json.Serialization;
using Tillpoint.Domain;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Storage.Documents;

/// <summary>
/// A charge permission as stored, version 1. Property names and order are the document's: renaming one here fails the
/// golden-document tests, while renaming one of <see cref="ChargePermission"/> changes only its mapping, below.
/// </summary>
internal sealed class StoredChargePermission
{
    [JsonRequired]
    public string ChargePermissionId { get; set; } = null!;

    [JsonRequired]
    public string MerchantId { get; set; } = null!;

    [JsonRequired]
    public ReleaseEnvironment Environment { get; set; }

    [JsonRequired]
    public string CheckoutSessionId { get; set; } = null!;

    [JsonRequired]
    public string StoreId { get; set; } = null!;

    [JsonRequired]
    public StoredBuyerDetails Buyer { get; set; } = null!;

    public StoredAddress? ShippingAddress { get; set; }

    public StoredAddress? BillingAddress { get; set; }

    [JsonRequired]
    public string PaymentDescriptor { get; set; } = null!;

    [JsonRequired]
    public string InstrumentId { get; set; } = null!;

    public InstrumentBehavior InstrumentBehavior { get; set; }

    public ChargePermissionState State { get; set; }

    public IReadOnlyList<StoredChargePermissionReason>? Reasons { get; set; }

    [JsonRequired]
    public DateTimeOffset LastUpdatedTimestamp { get; set; }

    [JsonRequired]
    public DateTimeOffset CreationTimestamp { get; set; }

    [JsonRequired]
    public DateTimeOffset ExpirationTimestamp { get; set; }

    public StoredMerchantMetadata? MerchantMetadata { get; set; }

    public ChargePermissionReasonCode? PaymentMethodProblem { get; set; }

    public string? ClosureReason { get; set; }

    public string? PlatformId { get; set; }

    public ChargePermissionType ChargePermissionType { get; set; }

    [JsonRequired]
    public Currency PresentmentCurrency { get; set; }

    [JsonRequired]
    public StoredMoney AmountLimit { get; set; } = null!;

    public long Version { get; set; }

    public static StoredChargePermission From(ChargePermission permission) => new()
    {
        ChargePermissionId = permission.ChargePermissionId,
        MerchantId = permission.MerchantId,
        Environment = permission.Environment,
        CheckoutSessionId = permission.CheckoutSessionId,
        StoreId = permission.StoreId,
        Buyer = StoredBuyerDetails.From(permission.Buyer),
        ShippingAddress = StoredAddress.From(permission.ShippingAddress),
        BillingAddress = StoredAddress.From(permission.BillingAddress),
        PaymentDescriptor = permission.PaymentDescriptor,
        InstrumentId = permission.InstrumentId,
        InstrumentBehavior = permission.InstrumentBehavior,
        State = permission.State,
        Reasons = StoredChargePermissionReason.From(permission.Reasons),
        LastUpdatedTimestamp = permission.LastUpdatedTimestamp,
        CreationTimestamp = permission.CreationTimestamp,
        ExpirationTimestamp = permission.ExpirationTimestamp,
        MerchantMetadata = StoredMerchantMetadata.From(permission.MerchantMetadata),
        PaymentMethodProblem = permission.PaymentMethodProblem,
        ClosureReason = permission.ClosureReason,
        PlatformId = permission.PlatformId,
        ChargePermissionType = permission.ChargePermissionType,
        PresentmentCurrency = permission.PresentmentCurrency,
        AmountLimit = StoredMoney.From(permission.AmountLimit),
        Version = permission.Version,
    };

    public ChargePermission ToDomain() => new()
    {
        ChargePermissionId = ChargePermissionId,
        MerchantId = MerchantId,
        Environment = Environment,
        CheckoutSessionId = CheckoutSessionId,
        StoreId = StoreId,
        Buyer = Buyer.ToDomain(),
        ShippingAddress = ShippingAddress?.ToDomain(),
        BillingAddress = BillingAddress?.ToDomain(),
        PaymentDescriptor = PaymentDescriptor,
        InstrumentId = InstrumentId,
        InstrumentBehavior = InstrumentBehavior,
        State = State,
        Reasons = StoredChargePermissionReason.ToDomain(Reasons),
        LastUpdatedTimestamp = LastUpdatedTimestamp,
        CreationTimestamp = CreationTimestamp,
        ExpirationTimestamp = ExpirationTimestamp,
        MerchantMetadata = MerchantMetadata?.ToDomain() ?? Domain.MerchantMetadata.Empty,
        PaymentMethodProblem = PaymentMethodProblem,
        ClosureReason = ClosureReason,
        PlatformId = PlatformId,
        ChargePermissionType = ChargePermissionType,
        PresentmentCurrency = PresentmentCurrency,
        AmountLimit = AmountLimit.ToDomain(),
        Version = Version,
    };
}

internal sealed class StoredChargePermissionReason
{
    public ChargePermissionReasonCode ReasonCode { get; set; }

    public string? ReasonDescription { get; set; }

    public static StoredChargePermissionReason[] From(IReadOnlyList<ChargePermissionReason> reasons)
    {
        // Most permissions have no reason (Chargeable) or one: no list to grow.
        if (reasons.Count == 0)
        {
            return [];
        }

        var stored = new StoredChargePermissionReason[reasons.Count];
        for (var i = 0; i < stored.Length; i++)
        {
            stored[i] = new StoredChargePermissionReason { ReasonCode = reasons[i].ReasonCode, ReasonDescription = reasons[i].ReasonDescription };
        }

        return stored;
    }

    public static ChargePermissionReason[] ToDomain(IReadOnlyList<StoredChargePermissionReason>? reasons)
    {
        if (reasons is null || reasons.Count == 0)
        {
            return [];
        }

        var domain = new ChargePermissionReason[reasons.Count];
        for (var i = 0; i < domain.Length; i++)
        {
            domain[i] = new ChargePermissionReason(reasons[i].ReasonCode, reasons[i].ReasonDescription);
        }

        return domain;
    }
}
