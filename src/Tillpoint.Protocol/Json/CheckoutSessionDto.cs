using System.Text.Json;

namespace Tillpoint.Protocol.Json;

/// <summary>The Checkout Session object; properties are declared in the wire order the official SDKs check.</summary>
public sealed class CheckoutSessionDto
{
    /// <summary>UUID of the session.</summary>
    public string? CheckoutSessionId { get; set; }

    /// <summary>Return URLs and the processing redirect.</summary>
    public WebCheckoutDetailsDto? WebCheckoutDetails { get; set; }

    /// <summary>PayAndShip, PayOnly or PayAndShipMultiAddress.</summary>
    public string? ProductType { get; set; }

    /// <summary>Payment intent and amounts.</summary>
    public PaymentDetailsDto? PaymentDetails { get; set; }

    /// <summary>
    /// Only in Finalize responses (the JS flow), where the real API adds it; absent (not null) everywhere else, since
    /// the official SDKs compare key lists.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement CartDetails { get; set; }

    /// <summary>OneTime, Recurring or PaymentMethodOnFile.</summary>
    public string? ChargePermissionType { get; set; }

    /// <summary>Newer field; always null here.</summary>
    public JsonElement? OrderType { get; set; }

    /// <summary>Recurring flows only.</summary>
    public JsonElement? RecurringMetadata { get; set; }

    /// <summary>Saved-wallet flows only.</summary>
    public JsonElement? PaymentMethodOnFileMetadata { get; set; }

    /// <summary>
    /// PayAndShipMultiAddress only, once the merchant has split the order: the price of each chosen address. Absent (not
    /// null) everywhere else, since the official SDKs compare key lists; placed as the .NET SDK declares it, after the
    /// charge permission type's metadata.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public List<MultiAddressesCheckoutMetadataDto>? MultiAddressesCheckoutMetadata { get; set; }

    /// <summary>Newer field; always null here.</summary>
    public JsonElement? MerchantDetails { get; set; }

    /// <summary>Merchant-owned text.</summary>
    public MerchantMetadataDto? MerchantMetadata { get; set; }

    /// <summary>Opaque data.</summary>
    public string? SupplementaryData { get; set; }

    /// <summary>The buyer once signed in.</summary>
    public BuyerDto? Buyer { get; set; }

    /// <summary>Billing address once chosen.</summary>
    public AddressDto? BillingAddress { get; set; }

    /// <summary>The chosen instrument for display.</summary>
    public List<PaymentPreferenceDto>? PaymentPreferences { get; set; }

    /// <summary>State of the session.</summary>
    public StatusDetailsDto? StatusDetails { get; set; }

    /// <summary>Shipping address once chosen (PayAndShip).</summary>
    public AddressDto? ShippingAddress { get; set; }

    /// <summary>
    /// PayAndShipMultiAddress only, while the session is Open and once the buyer has chosen: each address the buyer chose
    /// as a JSON-encoded string of an <see cref="AddressWithIdDto"/>, the form the official SDKs parse. Absent (not null)
    /// everywhere else. <see cref="ShippingAddresses"/> parses it.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? ShippingAddressList { get; set; }

    /// <summary>Solution provider id.</summary>
    public string? PlatformId { get; set; }

    /// <summary>Set when the session completes.</summary>
    public string? ChargePermissionId { get; set; }

    /// <summary>Set when the session completes with Authorize or AuthorizeWithCapture.</summary>
    public string? ChargeId { get; set; }

    /// <summary>What still keeps the buyer from processing.</summary>
    public List<ConstraintDto>? Constraints { get; set; }

    /// <summary>yyyyMMddTHHmmssZ.</summary>
    public string? CreationTimestamp { get; set; }

    /// <summary>yyyyMMddTHHmmssZ.</summary>
    public string? ExpirationTimestamp { get; set; }

    /// <summary>The merchant's store id.</summary>
    public string? StoreId { get; set; }

    /// <summary>Payment-service-provider reference.</summary>
    public ProviderMetadataDto? ProviderMetadata { get; set; }

    /// <summary>Sandbox or Live.</summary>
    public string? ReleaseEnvironment { get; set; }

    /// <summary>Newer field; always null here.</summary>
    public string? CheckoutButtonText { get; set; }

    /// <summary>Echo of the request's delivery restrictions.</summary>
    public DeliverySpecificationsDto? DeliverySpecifications { get; set; }

    /// <summary>Newer field; always null here.</summary>
    public JsonElement? Tokens { get; set; }

    /// <summary>The addresses of <see cref="ShippingAddressList"/>, each parsed from its JSON text; null when there is none.</summary>
    /// <exception cref="JsonException">An element is not the JSON text of an address.</exception>
    public IReadOnlyList<AddressWithIdDto>? ShippingAddresses() =>
        ShippingAddressList?.Select(text => JsonSerializer.Deserialize(text, ApiJsonContext.Default.AddressWithIdDto)
            ?? throw new JsonException("An element of shippingAddressList is null.")).ToList();
}

/// <summary>An address a buyer chose in a PayAndShipMultiAddress checkout, with the id the merchant prices it by.</summary>
public sealed class AddressWithIdDto
{
    /// <summary>The id <see cref="MultiAddressesCheckoutMetadataDto.AddressId"/> names.</summary>
    public string? AddressId { get; set; }

    /// <summary>Recipient name.</summary>
    public string? Name { get; set; }

    /// <summary>First address line.</summary>
    public string? AddressLine1 { get; set; }

    /// <summary>Second address line.</summary>
    public string? AddressLine2 { get; set; }

    /// <summary>Third address line.</summary>
    public string? AddressLine3 { get; set; }

    /// <summary>City.</summary>
    public string? City { get; set; }

    /// <summary>County.</summary>
    public string? County { get; set; }

    /// <summary>District.</summary>
    public string? District { get; set; }

    /// <summary>State or region.</summary>
    public string? StateOrRegion { get; set; }

    /// <summary>Postal code.</summary>
    public string? PostalCode { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public string? CountryCode { get; set; }

    /// <summary>Phone number.</summary>
    public string? PhoneNumber { get; set; }
}

/// <summary>The part of a PayAndShipMultiAddress order that ships to one of the buyer's addresses.</summary>
public sealed class MultiAddressesCheckoutMetadataDto
{
    /// <summary>The <see cref="AddressWithIdDto.AddressId"/> of one of the buyer's chosen addresses.</summary>
    public string? AddressId { get; set; }

    /// <summary>What ships to that address; the prices of all entries add up to the session's chargeAmount.</summary>
    public Price? Price { get; set; }
}

/// <summary>A constraint on a checkout session.</summary>
public sealed class ConstraintDto
{
    /// <summary>E.g. BuyerNotAssociated.</summary>
    public string? ConstraintId { get; set; }

    /// <summary>What the merchant must do.</summary>
    public string? Description { get; set; }
}

/// <summary>Return URLs of a checkout.</summary>
public sealed class WebCheckoutDetailsDto
{
    /// <summary>Where the buyer returns after sign-in.</summary>
    public string? CheckoutReviewReturnUrl { get; set; }

    /// <summary>Where the buyer returns after processing.</summary>
    public string? CheckoutResultReturnUrl { get; set; }

    /// <summary>Where the buyer goes on cancel.</summary>
    public string? CheckoutCancelUrl { get; set; }

    /// <summary>Response only: the hosted processing page, once no constraint remains.</summary>
    public string? AmazonPayRedirectUrl { get; set; }

    /// <summary>ProcessOrder for the Additional Payment Button flow.</summary>
    public string? CheckoutMode { get; set; }
}

/// <summary>Payment intent and amounts.</summary>
public sealed class PaymentDetailsDto
{
    /// <summary>Confirm, Authorize or AuthorizeWithCapture.</summary>
    public string? PaymentIntent { get; set; }

    /// <summary>Whether the authorization may stay pending.</summary>
    public bool? CanHandlePendingAuthorization { get; set; }

    /// <summary>Amount processed at checkout.</summary>
    public Price? ChargeAmount { get; set; }

    /// <summary>Full order total when charging in parts.</summary>
    public Price? TotalOrderAmount { get; set; }

    /// <summary>Statement text (at most 16 characters), AuthorizeWithCapture only.</summary>
    public string? SoftDescriptor { get; set; }

    /// <summary>Currency shown to the buyer.</summary>
    public string? PresentmentCurrency { get; set; }

    /// <summary>Creation only: raises the permission's limit.</summary>
    public bool? AllowOvercharge { get; set; }

    /// <summary>Creation only: extends the permission's lifetime to 13 months.</summary>
    public bool? ExtendExpiration { get; set; }
}

/// <summary>Where the merchant ships.</summary>
public sealed class DeliverySpecificationsDto
{
    /// <summary>RestrictPOBoxes, RestrictPackstations.</summary>
    public List<string>? SpecialRestrictions { get; set; }

    /// <summary>Allowed or not allowed regions.</summary>
    public AddressRestrictionsDto? AddressRestrictions { get; set; }
}

/// <summary>Allowed or not allowed regions by country.</summary>
public sealed class AddressRestrictionsDto
{
    /// <summary>Allowed or NotAllowed.</summary>
    public string? Type { get; set; }

    /// <summary>Per ISO country code.</summary>
    public Dictionary<string, RestrictionDto>? Restrictions { get; set; }
}

/// <summary>States and zip codes of one country.</summary>
public sealed class RestrictionDto
{
    /// <summary>States or regions.</summary>
    public List<string>? StatesOrRegions { get; set; }

    /// <summary>Postal codes.</summary>
    public List<string>? ZipCodes { get; set; }
}

/// <summary>Create Checkout Session request body.</summary>
public sealed class CreateCheckoutSessionRequest
{
    /// <summary>Required: return URLs.</summary>
    public WebCheckoutDetailsDto? WebCheckoutDetails { get; set; }

    /// <summary>Required: the merchant's store id.</summary>
    public string? StoreId { get; set; }

    /// <summary>Buyer data to share.</summary>
    public List<string>? Scopes { get; set; }

    /// <summary>OneTime (default).</summary>
    public string? ChargePermissionType { get; set; }

    /// <summary>Recurring flows.</summary>
    public JsonElement? RecurringMetadata { get; set; }

    /// <summary>Saved-wallet flows.</summary>
    public JsonElement? PaymentMethodOnFileMetadata { get; set; }

    /// <summary>Payment details (APB flow, or allowOvercharge/extendExpiration).</summary>
    public PaymentDetailsDto? PaymentDetails { get; set; }

    /// <summary>Merchant-collected address (APB flow).</summary>
    public AddressDetailsDto? AddressDetails { get; set; }

    /// <summary>Merchant-owned text.</summary>
    public MerchantMetadataDto? MerchantMetadata { get; set; }

    /// <summary>Where the merchant ships.</summary>
    public DeliverySpecificationsDto? DeliverySpecifications { get; set; }

    /// <summary>Solution provider id.</summary>
    public string? PlatformId { get; set; }

    /// <summary>Payment-service-provider reference.</summary>
    public ProviderMetadataDto? ProviderMetadata { get; set; }

    /// <summary>Re-use of an existing permission (recurring flows).</summary>
    public string? ChargePermissionId { get; set; }
}

/// <summary>Update Checkout Session request body; absent fields stay unchanged.</summary>
public sealed class UpdateCheckoutSessionRequest
{
    /// <summary>Return URLs.</summary>
    public WebCheckoutDetailsDto? WebCheckoutDetails { get; set; }

    /// <summary>Payment intent and amounts.</summary>
    public PaymentDetailsDto? PaymentDetails { get; set; }

    /// <summary>Merchant-owned text.</summary>
    public MerchantMetadataDto? MerchantMetadata { get; set; }

    /// <summary>Solution provider id.</summary>
    public string? PlatformId { get; set; }

    /// <summary>Payment-service-provider reference.</summary>
    public ProviderMetadataDto? ProviderMetadata { get; set; }

    /// <summary>Opaque data.</summary>
    public string? SupplementaryData { get; set; }

    /// <summary>Recurring flows.</summary>
    public string? ChargePermissionType { get; set; }

    /// <summary>Recurring flows.</summary>
    public JsonElement? RecurringMetadata { get; set; }

    /// <summary>PayAndShipMultiAddress: the price of each of the buyer's chosen addresses, adding up to chargeAmount.</summary>
    public List<MultiAddressesCheckoutMetadataDto>? MultiAddressesCheckoutMetadata { get; set; }
}

/// <summary>Complete Checkout Session request body.</summary>
public sealed class CompleteCheckoutSessionRequest
{
    /// <summary>Required: must equal the session's chargeAmount.</summary>
    public Price? ChargeAmount { get; set; }

    /// <summary>Must equal the session's totalOrderAmount when that is set.</summary>
    public Price? TotalOrderAmount { get; set; }
}
