using Tillpoint.Domain;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Storage.Documents;

/// <summary>
/// A checkout session as stored, version 1. Property names and order are the document's: a property renamed here, or
/// in <see cref="CheckoutSession"/> without its mapping, fails the golden-document tests.
/// </summary>
internal sealed class StoredCheckoutSession
{
    public required string CheckoutSessionId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required string StoreId { get; init; }

    public required StoredWebCheckoutDetails WebCheckoutDetails { get; init; }

    public ProductType ProductType { get; init; }

    public required StoredPaymentDetails PaymentDetails { get; init; }

    public ChargePermissionType ChargePermissionType { get; init; }

    public StoredMerchantMetadata? MerchantMetadata { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    public string? PlatformId { get; init; }

    public string? ProviderReferenceId { get; init; }

    public string? SupplementaryData { get; init; }

    public StoredDeliverySpecifications? DeliverySpecifications { get; init; }

    public StoredAddress? AddressDetails { get; init; }

    public StoredBuyerSelection? Selection { get; init; }

    public bool Processed { get; init; }

    public string? SoftDeclinedInstrumentId { get; init; }

    public CheckoutSessionReasonCode? SimulatedCancellation { get; init; }

    public CheckoutSessionState State { get; init; }

    public CheckoutSessionReasonCode? ReasonCode { get; init; }

    public string? ReasonDescription { get; init; }

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public string? ChargePermissionId { get; init; }

    public string? ChargeId { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    public required DateTimeOffset ExpirationTimestamp { get; init; }

    public long Version { get; init; }

    public static StoredCheckoutSession From(CheckoutSession session) => new()
    {
        CheckoutSessionId = session.CheckoutSessionId,
        MerchantId = session.MerchantId,
        Environment = session.Environment,
        StoreId = session.StoreId,
        WebCheckoutDetails = StoredWebCheckoutDetails.From(session.WebCheckoutDetails),
        ProductType = session.ProductType,
        PaymentDetails = StoredPaymentDetails.From(session.PaymentDetails),
        ChargePermissionType = session.ChargePermissionType,
        MerchantMetadata = StoredMerchantMetadata.From(session.MerchantMetadata),
        Scopes = session.Scopes,
        PlatformId = session.PlatformId,
        ProviderReferenceId = session.ProviderReferenceId,
        SupplementaryData = session.SupplementaryData,
        DeliverySpecifications = StoredDeliverySpecifications.From(session.DeliverySpecifications),
        AddressDetails = StoredAddress.From(session.AddressDetails),
        Selection = StoredBuyerSelection.From(session.Selection),
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
        MerchantMetadata = MerchantMetadata?.ToDomain() ?? Domain.MerchantMetadata.Empty,
        Scopes = Scopes,
        PlatformId = PlatformId,
        ProviderReferenceId = ProviderReferenceId,
        SupplementaryData = SupplementaryData,
        DeliverySpecifications = DeliverySpecifications?.ToDomain(),
        AddressDetails = AddressDetails?.ToDomain(),
        Selection = Selection?.ToDomain(),
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

internal sealed record StoredWebCheckoutDetails(
    string? CheckoutReviewReturnUrl,
    string? CheckoutResultReturnUrl,
    string? CheckoutCancelUrl,
    CheckoutMode? CheckoutMode)
{
    public static StoredWebCheckoutDetails From(WebCheckoutDetails details) =>
        new(details.CheckoutReviewReturnUrl, details.CheckoutResultReturnUrl, details.CheckoutCancelUrl, details.CheckoutMode);

    public WebCheckoutDetails ToDomain() => new(CheckoutReviewReturnUrl, CheckoutResultReturnUrl, CheckoutCancelUrl, CheckoutMode);
}

internal sealed record StoredPaymentDetails(
    PaymentIntent? PaymentIntent,
    bool CanHandlePendingAuthorization,
    StoredMoney? ChargeAmount,
    StoredMoney? TotalOrderAmount,
    string? SoftDescriptor,
    Currency? PresentmentCurrency,
    bool? AllowOvercharge,
    bool? ExtendExpiration)
{
    public static StoredPaymentDetails From(PaymentDetails details) => new(
        details.PaymentIntent,
        details.CanHandlePendingAuthorization,
        StoredMoney.From(details.ChargeAmount),
        StoredMoney.From(details.TotalOrderAmount),
        details.SoftDescriptor,
        details.PresentmentCurrency,
        details.AllowOvercharge,
        details.ExtendExpiration);

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

internal sealed record StoredAddressRestriction(IReadOnlyList<string> StatesOrRegions, IReadOnlyList<string> ZipCodes);

internal sealed record StoredDeliverySpecifications(
    IReadOnlyList<SpecialRestriction>? SpecialRestrictions,
    AddressRestrictionType? AddressRestrictionType,
    IReadOnlyDictionary<string, StoredAddressRestriction>? AddressRestrictions)
{
    public static StoredDeliverySpecifications? From(DeliverySpecifications? specifications) => specifications is null
        ? null
        : new(
            specifications.SpecialRestrictions,
            specifications.AddressRestrictionType,
            specifications.AddressRestrictions?.ToDictionary(
                country => country.Key,
                country => new StoredAddressRestriction(country.Value.StatesOrRegions, country.Value.ZipCodes),
                StringComparer.Ordinal));

    public DeliverySpecifications ToDomain() => new(
        SpecialRestrictions,
        AddressRestrictionType,
        AddressRestrictions?.ToDictionary(
            country => country.Key,
            country => new AddressRestriction(country.Value.StatesOrRegions, country.Value.ZipCodes),
            StringComparer.Ordinal));
}

internal sealed record StoredBuyerSelection(
    StoredBuyerDetails Buyer,
    StoredAddress? ShippingAddress,
    StoredAddress BillingAddress,
    string InstrumentId,
    string PaymentDescriptor,
    InstrumentBehavior Behavior)
{
    public static StoredBuyerSelection? From(BuyerSelection? selection) => selection is null
        ? null
        : new(
            StoredBuyerDetails.From(selection.Buyer),
            StoredAddress.From(selection.ShippingAddress),
            StoredAddress.From(selection.BillingAddress)!,
            selection.InstrumentId,
            selection.PaymentDescriptor,
            selection.Behavior);

    public BuyerSelection ToDomain() =>
        new(Buyer.ToDomain(), ShippingAddress?.ToDomain(), BillingAddress.ToDomain(), InstrumentId, PaymentDescriptor, Behavior);
}
