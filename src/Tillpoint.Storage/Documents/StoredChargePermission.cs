using System.Text.Json.Serialization;
using Tillpoint.Domain;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Storage.Documents;

/// <summary>
/// A charge permission as stored, version 2. Property names and order are the document's: renaming one here fails the
/// golden-document tests, while renaming one of <see cref="ChargePermission"/> changes only its mapping, below.
/// Version 2 added the recurring and saved-wallet metadata and lets a saved wallet have no expirationTimestamp; every
/// version-1 document is a version-2 document without them, so this type reads both.
/// </summary>
internal sealed class StoredChargePermission
{
    /// <summary>Written first, so an older Tillpoint refuses the document rather than drop what it does not know.</summary>
    [JsonPropertyOrder(-1)]
    public int DocumentVersion { get; set; }

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

    /// <summary>Always set in version 1; absent for a saved wallet (PaymentMethodOnFile) from version 2.</summary>
    public DateTimeOffset? ExpirationTimestamp { get; set; }

    public StoredMerchantMetadata? MerchantMetadata { get; set; }

    public ChargePermissionReasonCode? PaymentMethodProblem { get; set; }

    public string? ClosureReason { get; set; }

    public string? PlatformId { get; set; }

    public ChargePermissionType ChargePermissionType { get; set; }

    public StoredRecurringMetadata? RecurringMetadata { get; set; }

    public StoredPaymentMethodOnFileMetadata? PaymentMethodOnFileMetadata { get; set; }

    [JsonRequired]
    public Currency PresentmentCurrency { get; set; }

    [JsonRequired]
    public StoredMoney AmountLimit { get; set; } = null!;

    public long Version { get; set; }

    public static StoredChargePermission From(ChargePermission permission) => new()
    {
        DocumentVersion = StoredDocuments.ChargePermissionVersion,
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
        RecurringMetadata = StoredRecurringMetadata.From(permission.RecurringMetadata),
        PaymentMethodOnFileMetadata = StoredPaymentMethodOnFileMetadata.From(permission.PaymentMethodOnFileMetadata),
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
        RecurringMetadata = RecurringMetadata?.ToDomain(),
        PaymentMethodOnFileMetadata = PaymentMethodOnFileMetadata?.ToDomain(),
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

/// <summary>A Recurring permission's or session's subscription terms.</summary>
internal sealed class StoredRecurringMetadata
{
    public FrequencyUnit Unit { get; set; }

    public int? Value { get; set; }

    public StoredMoney? Amount { get; set; }

    public static StoredRecurringMetadata? From(RecurringMetadata? recurring) => recurring is null
        ? null
        : new StoredRecurringMetadata
        {
            Unit = recurring.Frequency.Unit,
            Value = recurring.Frequency.Value,
            Amount = recurring.Amount is { } amount ? StoredMoney.From(amount) : null,
        };

    public RecurringMetadata ToDomain() => new(new Frequency(Unit, Value), Amount?.ToDomain());
}

/// <summary>A saved wallet's setup.</summary>
internal sealed class StoredPaymentMethodOnFileMetadata
{
    public bool SetupOnly { get; set; }

    public static StoredPaymentMethodOnFileMetadata? From(PaymentMethodOnFileMetadata? metadata) =>
        metadata is null ? null : new StoredPaymentMethodOnFileMetadata { SetupOnly = metadata.SetupOnly };

    public PaymentMethodOnFileMetadata ToDomain() => new(SetupOnly);
}
