using System.Text.Json.Serialization;
using Tillpoint.Domain;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Storage.Documents;

/// <summary>
/// A checkout session as stored, version 3. Property names and order are the document's: renaming one here fails the
/// golden-document tests, while renaming one of <see cref="CheckoutSession"/> changes only its mapping, below.
/// Version 2 added the recurring and saved-wallet metadata, version 3 a multi-address checkout's chosen addresses and
/// their prices, and the Buy Now flag and cart; an older document is a newer one without them, so this type reads all
/// three.
/// </summary>
internal sealed class StoredCheckoutSession
{
    /// <summary>Written first, so an older Tillpoint refuses the document rather than drop what it does not know.</summary>
    [JsonPropertyOrder(-1)]
    public int DocumentVersion { get; set; }

    [JsonRequired]
    public string CheckoutSessionId { get; set; } = null!;

    [JsonRequired]
    public string MerchantId { get; set; } = null!;

    [JsonRequired]
    public ReleaseEnvironment Environment { get; set; }

    [JsonRequired]
    public string StoreId { get; set; } = null!;

    [JsonRequired]
    public StoredWebCheckoutDetails WebCheckoutDetails { get; set; } = null!;

    public ProductType ProductType { get; set; }

    [JsonRequired]
    public StoredPaymentDetails PaymentDetails { get; set; } = null!;

    public ChargePermissionType ChargePermissionType { get; set; }

    public StoredRecurringMetadata? RecurringMetadata { get; set; }

    public StoredPaymentMethodOnFileMetadata? PaymentMethodOnFileMetadata { get; set; }

    public StoredMerchantMetadata? MerchantMetadata { get; set; }

    public IReadOnlyList<string>? Scopes { get; set; }

    public string? PlatformId { get; set; }

    public string? ProviderReferenceId { get; set; }

    public string? SupplementaryData { get; set; }

    public StoredDeliverySpecifications? DeliverySpecifications { get; set; }

    public StoredAddress? AddressDetails { get; set; }

    public StoredBuyerSelection? Selection { get; set; }

    public IReadOnlyList<StoredMultiAddressesCheckoutMetadata>? MultiAddressesCheckoutMetadata { get; set; }

    public bool BuyNow { get; set; }

    public StoredShownCart? Cart { get; set; }

    public bool Processed { get; set; }

    public string? SoftDeclinedInstrumentId { get; set; }

    public CheckoutSessionReasonCode? SimulatedCancellation { get; set; }

    public CheckoutSessionState State { get; set; }

    public CheckoutSessionReasonCode? ReasonCode { get; set; }

    public string? ReasonDescription { get; set; }

    [JsonRequired]
    public DateTimeOffset LastUpdatedTimestamp { get; set; }

    public string? ChargePermissionId { get; set; }

    public string? ChargeId { get; set; }

    [JsonRequired]
    public DateTimeOffset CreationTimestamp { get; set; }

    [JsonRequired]
    public DateTimeOffset ExpirationTimestamp { get; set; }

    public long Version { get; set; }

    public static StoredCheckoutSession From(CheckoutSession session) => new()
    {
        DocumentVersion = StoredDocuments.CheckoutSessionVersion,
        CheckoutSessionId = session.CheckoutSessionId,
        MerchantId = session.MerchantId,
        Environment = session.Environment,
        StoreId = session.StoreId,
        WebCheckoutDetails = StoredWebCheckoutDetails.From(session.WebCheckoutDetails),
        ProductType = session.ProductType,
        PaymentDetails = StoredPaymentDetails.From(session.PaymentDetails),
        ChargePermissionType = session.ChargePermissionType,
        RecurringMetadata = StoredRecurringMetadata.From(session.RecurringMetadata),
        PaymentMethodOnFileMetadata = StoredPaymentMethodOnFileMetadata.From(session.PaymentMethodOnFileMetadata),
        MerchantMetadata = StoredMerchantMetadata.From(session.MerchantMetadata),
        Scopes = session.Scopes,
        PlatformId = session.PlatformId,
        ProviderReferenceId = session.ProviderReferenceId,
        SupplementaryData = session.SupplementaryData,
        DeliverySpecifications = StoredDeliverySpecifications.From(session.DeliverySpecifications),
        AddressDetails = StoredAddress.From(session.AddressDetails),
        Selection = StoredBuyerSelection.From(session.Selection),
        MultiAddressesCheckoutMetadata = session.MultiAddressesCheckoutMetadata?.Select(StoredMultiAddressesCheckoutMetadata.From).ToList(),
        BuyNow = session.BuyNow,
        Cart = StoredShownCart.From(session.Cart),
        Processed = session.Processed,
        SoftDeclinedInstrumentId = session.SoftDeclinedInstrumentId,
        SimulatedCancellation = session.SimulatedCancellation,
        State = session.State,
        ReasonCode = session.ReasonCode,
        ReasonDescription = session.ReasonDescription,
        LastUpdatedTimestamp = session.LastUpdatedTimestamp,
        ChargePermissionId = session.ChargePermissionId,
        ChargeId = session.ChargeId,
        CreationTimestamp = session.CreationTimestamp,
        ExpirationTimestamp = session.ExpirationTimestamp,
        Version = session.Version,
    };

    public CheckoutSession ToDomain() => new()
    {
        CheckoutSessionId = CheckoutSessionId,
        MerchantId = MerchantId,
        Environment = Environment,
        StoreId = StoreId,
        WebCheckoutDetails = WebCheckoutDetails.ToDomain(),
        ProductType = ProductType,
        PaymentDetails = PaymentDetails.ToDomain(),
        ChargePermissionType = ChargePermissionType,
        RecurringMetadata = RecurringMetadata?.ToDomain(),
        PaymentMethodOnFileMetadata = PaymentMethodOnFileMetadata?.ToDomain(),
        MerchantMetadata = MerchantMetadata?.ToDomain() ?? Domain.MerchantMetadata.Empty,
        Scopes = Scopes,
        PlatformId = PlatformId,
        ProviderReferenceId = ProviderReferenceId,
        SupplementaryData = SupplementaryData,
        DeliverySpecifications = DeliverySpecifications?.ToDomain(),
        AddressDetails = AddressDetails?.ToDomain(),
        Selection = Selection?.ToDomain(),
        MultiAddressesCheckoutMetadata = MultiAddressesCheckoutMetadata?.Select(entry => entry.ToDomain()).ToList(),
        BuyNow = BuyNow,
        Cart = Cart?.ToDomain(),
        Processed = Processed,
        SoftDeclinedInstrumentId = SoftDeclinedInstrumentId,
        SimulatedCancellation = SimulatedCancellation,
        State = State,
        ReasonCode = ReasonCode,
        ReasonDescription = ReasonDescription,
        LastUpdatedTimestamp = LastUpdatedTimestamp,
        ChargePermissionId = ChargePermissionId,
        ChargeId = ChargeId,
        CreationTimestamp = CreationTimestamp,
        ExpirationTimestamp = ExpirationTimestamp,
        Version = Version,
    };
}

/// <summary>A Buy Now cart as the buyer saw it; <c>details</c> is Tillpoint's cartDetails JSON, kept as text.</summary>
internal sealed class StoredShownCart
{
    [JsonRequired]
    public StoredMoney ChargeAmount { get; set; } = null!;

    public StoredMoney? TotalOrderAmount { get; set; }

    public string? DeliveryOptionId { get; set; }

    [JsonRequired]
    public string Details { get; set; } = null!;

    public static StoredShownCart? From(ShownCart? cart) => cart is null
        ? null
        : new()
        {
            ChargeAmount = StoredMoney.From(cart.ChargeAmount),
            TotalOrderAmount = StoredMoney.From(cart.TotalOrderAmount),
            DeliveryOptionId = cart.DeliveryOptionId,
            Details = cart.Details,
        };

    public ShownCart ToDomain() => new(ChargeAmount.ToDomain(), TotalOrderAmount?.ToDomain(), DeliveryOptionId, Details);
}

internal sealed class StoredWebCheckoutDetails
{
    public string? CheckoutReviewReturnUrl { get; set; }

    public string? CheckoutResultReturnUrl { get; set; }

    public string? CheckoutCancelUrl { get; set; }

    public CheckoutMode? CheckoutMode { get; set; }

    public static StoredWebCheckoutDetails From(WebCheckoutDetails details) => new()
    {
        CheckoutReviewReturnUrl = details.CheckoutReviewReturnUrl,
        CheckoutResultReturnUrl = details.CheckoutResultReturnUrl,
        CheckoutCancelUrl = details.CheckoutCancelUrl,
        CheckoutMode = details.CheckoutMode,
    };

    public WebCheckoutDetails ToDomain() => new(CheckoutReviewReturnUrl, CheckoutResultReturnUrl, CheckoutCancelUrl, CheckoutMode);
}

internal sealed class StoredPaymentDetails
{
    public PaymentIntent? PaymentIntent { get; set; }

    public bool CanHandlePendingAuthorization { get; set; }

    public StoredMoney? ChargeAmount { get; set; }

    public StoredMoney? TotalOrderAmount { get; set; }

    public string? SoftDescriptor { get; set; }

    public Currency? PresentmentCurrency { get; set; }

    public bool? AllowOvercharge { get; set; }

    public bool? ExtendExpiration { get; set; }

    public static StoredPaymentDetails From(PaymentDetails details) => new()
    {
        PaymentIntent = details.PaymentIntent,
        CanHandlePendingAuthorization = details.CanHandlePendingAuthorization,
        ChargeAmount = StoredMoney.From(details.ChargeAmount),
        TotalOrderAmount = StoredMoney.From(details.TotalOrderAmount),
        SoftDescriptor = details.SoftDescriptor,
        PresentmentCurrency = details.PresentmentCurrency,
        AllowOvercharge = details.AllowOvercharge,
        ExtendExpiration = details.ExtendExpiration,
    };

    public PaymentDetails ToDomain() => new(
        PaymentIntent,
        CanHandlePendingAuthorization,
        ChargeAmount?.ToDomain(),
        TotalOrderAmount?.ToDomain(),
        SoftDescriptor,
        PresentmentCurrency,
        AllowOvercharge,
        ExtendExpiration);
}

internal sealed class StoredAddressRestriction
{
    public IReadOnlyList<string> StatesOrRegions { get; set; } = [];

    public IReadOnlyList<string> ZipCodes { get; set; } = [];
}

internal sealed class StoredDeliverySpecifications
{
    public IReadOnlyList<SpecialRestriction>? SpecialRestrictions { get; set; }

    public AddressRestrictionType? AddressRestrictionType { get; set; }

    public IReadOnlyDictionary<string, StoredAddressRestriction>? AddressRestrictions { get; set; }

    public static StoredDeliverySpecifications? From(DeliverySpecifications? specifications) => specifications is null
        ? null
        : new()
        {
            SpecialRestrictions = specifications.SpecialRestrictions,
            AddressRestrictionType = specifications.AddressRestrictionType,
            AddressRestrictions = specifications.AddressRestrictions?.ToDictionary(
                country => country.Key,
                country => new StoredAddressRestriction { StatesOrRegions = country.Value.StatesOrRegions, ZipCodes = country.Value.ZipCodes },
                StringComparer.Ordinal),
        };

    public DeliverySpecifications ToDomain() => new(
        SpecialRestrictions,
        AddressRestrictionType,
        AddressRestrictions?.ToDictionary(
            country => country.Key,
            country => new AddressRestriction(country.Value.StatesOrRegions, country.Value.ZipCodes),
            StringComparer.Ordinal));
}

internal sealed class StoredBuyerSelection
{
    public StoredBuyerDetails Buyer { get; set; } = null!;

    public StoredAddress? ShippingAddress { get; set; }

    public StoredAddress BillingAddress { get; set; } = null!;

    public string InstrumentId { get; set; } = null!;

    public string PaymentDescriptor { get; set; } = null!;

    public InstrumentBehavior Behavior { get; set; }

    public IReadOnlyList<StoredAddressWithId>? ShippingAddressList { get; set; }

    public static StoredBuyerSelection? From(BuyerSelection? selection) => selection is null
        ? null
        : new()
        {
            Buyer = StoredBuyerDetails.From(selection.Buyer),
            ShippingAddress = StoredAddress.From(selection.ShippingAddress),
            BillingAddress = StoredAddress.From(selection.BillingAddress)!,
            InstrumentId = selection.InstrumentId,
            PaymentDescriptor = selection.PaymentDescriptor,
            Behavior = selection.Behavior,
            ShippingAddressList = selection.ShippingAddressList?.Select(StoredAddressWithId.From).ToList(),
        };

    public BuyerSelection ToDomain() =>
        new(Buyer.ToDomain(), ShippingAddress?.ToDomain(), BillingAddress.ToDomain(), InstrumentId, PaymentDescriptor, Behavior,
            ShippingAddressList?.Select(address => address.ToDomain()).ToList());
}

internal sealed class StoredAddressWithId
{
    public string AddressId { get; set; } = null!;

    public StoredAddress Address { get; set; } = null!;

    public static StoredAddressWithId From(AddressWithId address) =>
        new() { AddressId = address.AddressId, Address = StoredAddress.From(address.Address)! };

    public AddressWithId ToDomain() => new(AddressId, Address.ToDomain());
}

internal sealed class StoredMultiAddressesCheckoutMetadata
{
    public string AddressId { get; set; } = null!;

    public StoredMoney Price { get; set; } = null!;

    public static StoredMultiAddressesCheckoutMetadata From(MultiAddressesCheckoutMetadata entry) =>
        new() { AddressId = entry.AddressId, Price = StoredMoney.From(entry.Price) };

    public MultiAddressesCheckoutMetadata ToDomain() => new(AddressId, Price.ToDomain());
}
