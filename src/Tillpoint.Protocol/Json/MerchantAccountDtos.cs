using System.Text.Json.Serialization;

namespace Tillpoint.Protocol.Json;

/// <summary>
/// The body of <c>POST /merchantAccounts</c> and <c>PATCH /merchantAccounts/{id}</c>: both API generations (Register
/// Amazon Pay Account, Create Merchant Account, and their updates) share the paths and this shape.
/// </summary>
public sealed class MerchantAccountRequest
{
    /// <summary>The partner's own id for the merchant; required on create, echoed back.</summary>
    public string? UniqueReferenceId { get; set; }

    /// <summary>USD, EUR, GBP or JPY.</summary>
    public string? LedgerCurrency { get; set; }

    /// <summary>The business.</summary>
    public BusinessInfoDto? BusinessInfo { get; set; }

    /// <summary>Who the partner deals with.</summary>
    public PersonDto? PrimaryContactPerson { get; set; }

    /// <summary>Beneficial owners (Create Merchant Account).</summary>
    public List<PersonDto>? BeneficiaryOwners { get; set; }

    /// <summary>Where notifications go (Create Merchant Account).</summary>
    public IntegrationInfoDto? IntegrationInfo { get; set; }

    /// <summary>The merchant's stores (Create Merchant Account).</summary>
    public List<AccountStoreDto>? Stores { get; set; }

    /// <summary>The merchant's status at the partner (Create Merchant Account).</summary>
    public MerchantStatusDto? MerchantStatus { get; set; }
}

/// <summary>A business's details.</summary>
public sealed class BusinessInfoDto
{
    /// <summary>The merchant's e-mail address; required by Create Merchant Account.</summary>
    public string? Email { get; set; }

    /// <summary>CORPORATE or INDIVIDUAL.</summary>
    public string? BusinessType { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? CountryOfEstablishment { get; set; }

    /// <summary>The registered name.</summary>
    public string? BusinessLegalName { get; set; }

    /// <summary>A category such as Beauty.</summary>
    public string? BusinessCategory { get; set; }

    /// <summary>The name buyers see.</summary>
    public string? BusinessDisplayName { get; set; }

    /// <summary>Expected yearly sales.</summary>
    public Price? AnnualSalesVolume { get; set; }

    /// <summary>The business's address.</summary>
    public AccountAddressDto? BusinessAddress { get; set; }

    /// <summary>How buyers reach support.</summary>
    public CustomerSupportInformationDto? CustomerSupportInformation { get; set; }
}

/// <summary>An address of the account APIs: no name, and the phone number is an object.</summary>
public sealed class AccountAddressDto
{
    /// <summary>First line.</summary>
    public string? AddressLine1 { get; set; }

    /// <summary>Second line.</summary>
    public string? AddressLine2 { get; set; }

    /// <summary>City.</summary>
    public string? City { get; set; }

    /// <summary>State or region.</summary>
    public string? StateOrRegion { get; set; }

    /// <summary>Postal code.</summary>
    public string? PostalCode { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? CountryCode { get; set; }

    /// <summary>Phone number.</summary>
    public PhoneNumberDto? PhoneNumber { get; set; }
}

/// <summary>A phone number as the account APIs write it.</summary>
public sealed class PhoneNumberDto
{
    /// <summary>Country calling code, such as 81.</summary>
    public string? CountryCode { get; set; }

    /// <summary>The number.</summary>
    public string? Number { get; set; }

    /// <summary>Extension.</summary>
    public string? Extension { get; set; }
}

/// <summary>Support contact details.</summary>
public sealed class CustomerSupportInformationDto
{
    /// <summary>Support e-mail address.</summary>
    public string? CustomerSupportEmail { get; set; }

    /// <summary>Support phone number.</summary>
    public PhoneNumberDto? CustomerSupportPhoneNumber { get; set; }
}

/// <summary>A contact person or beneficial owner.</summary>
public sealed class PersonDto
{
    /// <summary>The partner's id of the person (beneficial owners).</summary>
    public string? PersonId { get; set; }

    /// <summary>Full name.</summary>
    public string? PersonFullName { get; set; }

    /// <summary>Home address.</summary>
    public AccountAddressDto? ResidentialAddress { get; set; }

    /// <summary>Date of birth.</summary>
    public string? DateOfBirth { get; set; }
}

/// <summary>Integration settings.</summary>
public sealed class IntegrationInfoDto
{
    /// <summary>IPN endpoints.</summary>
    public List<string>? IpnEndpointUrls { get; set; }
}

/// <summary>One of the merchant's stores.</summary>
public sealed class AccountStoreDto
{
    /// <summary>The store's web addresses.</summary>
    public List<string>? DomainUrls { get; set; }

    /// <summary>The store's name.</summary>
    public string? StoreName { get; set; }

    /// <summary>Privacy policy address.</summary>
    public string? PrivacyPolicyUrl { get; set; }

    /// <summary>The store's status.</summary>
    public AccountStatusDto? StoreStatus { get; set; }
}

/// <summary>The merchant's status at the partner.</summary>
public sealed class MerchantStatusDto
{
    /// <summary>Who reports the status.</summary>
    public string? StatusProvider { get; set; }

    /// <summary>Such as ACTIVE.</summary>
    public string? State { get; set; }

    /// <summary>Why, when not active.</summary>
    public string? ReasonCode { get; set; }
}

/// <summary>A state and its reason.</summary>
public sealed class AccountStatusDto
{
    /// <summary>Such as Active (any case).</summary>
    public string? State { get; set; }

    /// <summary>Why, when not active.</summary>
    public string? ReasonCode { get; set; }
}

/// <summary>Merchant Account Claim request body.</summary>
public sealed class ClaimMerchantAccountRequest
{
    /// <summary>Required: the uniqueReferenceId the account was created with.</summary>
    public string? UniqueReferenceId { get; set; }
}

/// <summary>An account's ids: the answer of Register, Update Merchant Account, Delete and Claim (exactly these keys, in this order).</summary>
public sealed class MerchantAccountIdsDto
{
    /// <summary>The partner's id for the merchant.</summary>
    public string? UniqueReferenceId { get; set; }

    /// <summary>The account's merchant id.</summary>
    public string? MerchantAccountId { get; set; }
}

/// <summary>Create Merchant Account's answer: the ids and the token the partner updates the account with.</summary>
public sealed class CreatedMerchantAccountDto
{
    /// <summary>The partner's id for the merchant.</summary>
    public string? UniqueReferenceId { get; set; }

    /// <summary>The account's merchant id.</summary>
    public string? MerchantAccountId { get; set; }

    /// <summary>Sent as <c>x-amz-pay-authtoken</c> on Update Merchant Account (Register Amazon Pay Account answers without it).</summary>
    public string? AuthorizationToken { get; set; }
}

/// <summary>
/// The body of Create Store (<c>POST /merchantAccounts/{id}/stores</c>) and Update Store (<c>PATCH
/// /merchantAccounts/{id}/stores/{storeId}</c>): every field on create but the optional URLs, only those to change on update.
/// </summary>
public sealed class StoreRequest
{
    /// <summary>The origins the checkout button is shown on, such as https://shop.example.</summary>
    public List<string>? AllowedOriginDomains { get; set; }

    /// <summary>The pages buyers may be sent back to.</summary>
    [JsonPropertyName("allowedRedirectURLs")]
    public List<string>? AllowedRedirectUrls { get; set; }

    /// <summary>The store's name.</summary>
    public string? StoreName { get; set; }

    /// <summary>The store's privacy policy.</summary>
    public string? PrivacyPolicyUrl { get; set; }

    /// <summary>The logo buyers see (https).</summary>
    public string? MerchantLogoUrl { get; set; }
}

/// <summary>Create Store's and Update Store's answer: the store as it now is, its id first.</summary>
public sealed class StoreDto
{
    /// <summary>The store id, usable as the merchant's checkout <c>storeId</c>.</summary>
    public string? StoreId { get; set; }

    /// <summary>The account the store belongs to.</summary>
    public string? MerchantAccountId { get; set; }

    /// <summary>The store's name.</summary>
    public string? StoreName { get; set; }

    /// <summary>The origins the checkout button is shown on.</summary>
    public List<string>? AllowedOriginDomains { get; set; }

    /// <summary>The pages buyers may be sent back to.</summary>
    [JsonPropertyName("allowedRedirectURLs")]
    public List<string>? AllowedRedirectUrls { get; set; }

    /// <summary>The store's privacy policy.</summary>
    public string? PrivacyPolicyUrl { get; set; }

    /// <summary>The logo buyers see.</summary>
    public string? MerchantLogoUrl { get; set; }
}
