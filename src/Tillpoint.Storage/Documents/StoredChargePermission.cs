using Tillpoint.Domain;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Storage.Documents;

/// <summary>
/// A charge permission as stored, version 1. Property names and order are the document's: a property renamed here, or
/// in <see cref="ChargePermission"/> without its mapping, fails the golden-document tests.
/// </summary>
internal sealed class StoredChargePermission
{
    public required string ChargePermissionId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required string CheckoutSessionId { get; init; }

    public required string StoreId { get; init; }

    public required StoredBuyerDetails Buyer { get; init; }

    public StoredAddress? ShippingAddress { get; init; }

    public StoredAddress? BillingAddress { get; init; }

    public required string PaymentDescriptor { get; init; }

    public required string InstrumentId { get; init; }

    public InstrumentBehavior InstrumentBehavior { get; init; }

    public ChargePermissionState State { get; init; }

    public IReadOnlyList<StoredChargePermissionReason>? Reasons { get; init; }

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    public required DateTimeOffset ExpirationTimestamp { get; init; }

    public StoredMerchantMetadata? MerchantMetadata { get; init; }

    public ChargePermissionReasonCode? PaymentMethodProblem { get; init; }

    public string? ClosureReason { get; init; }

    public string? PlatformId { get; init; }

    public ChargePermissionType ChargePermissionType { get; init; }

    public required Currency PresentmentCurrency { get; init; }

    public required StoredMoney AmountLimit { get; init; }

    public long Version { get; init; }

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

internal sealed record StoredChargePermissionReason(ChargePermissionReasonCode ReasonCode, string? ReasonDescription)
{
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
            stored[i] = new StoredChargePermissionReason(reasons[i].ReasonCode, reasons[i].ReasonDescription);
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
