using System.Text.Json.Serialization;

namespace Tillpoint.Protocol.Json;

/// <summary>An amount with its currency. The amount is decimal text; requests may send it as a JSON number.</summary>
public sealed class Price
{
    /// <summary>Decimal text such as "14.00" (JPY: "100").</summary>
    [JsonConverter(typeof(AmountTextConverter))]
    public string? Amount { get; set; }

    /// <summary>ISO 4217 code such as "USD".</summary>
    public string? CurrencyCode { get; set; }
}

/// <summary>A postal address as responses carry it.</summary>
public sealed class AddressDto
{
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

/// <summary>The address a merchant supplies itself (Additional Payment Button flow).</summary>
public sealed class AddressDetailsDto
{
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

    /// <summary>District or county.</summary>
    public string? DistrictOrCounty { get; set; }

    /// <summary>State or region.</summary>
    public string? StateOrRegion { get; set; }

    /// <summary>Postal code.</summary>
    public string? PostalCode { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public string? CountryCode { get; set; }

    /// <summary>Phone number.</summary>
    public string? PhoneNumber { get; set; }
}

/// <summary>Merchant-owned free text.</summary>
public sealed class MerchantMetadataDto
{
    /// <summary>The merchant's order id (at most 256 characters).</summary>
    public string? MerchantReferenceId { get; set; }

    /// <summary>Store name shown to the buyer (at most 50 characters).</summary>
    public string? MerchantStoreName { get; set; }

    /// <summary>Note shown in buyer emails (at most 255 characters).</summary>
    public string? NoteToBuyer { get; set; }

    /// <summary>Not shown to the buyer (at most 4096 characters).</summary>
    public string? CustomInformation { get; set; }
}

/// <summary>State of a checkout session, charge or refund.</summary>
public sealed class StatusDetailsDto
{
    /// <summary>The state name.</summary>
    public string? State { get; set; }

    /// <summary>Why the object is in this state, where that matters.</summary>
    public string? ReasonCode { get; set; }

    /// <summary>Human-readable reason.</summary>
    public string? ReasonDescription { get; set; }

    /// <summary>yyyyMMddTHHmmssZ.</summary>
    public string? LastUpdatedTimestamp { get; set; }
}

/// <summary>Payment-service-provider reference.</summary>
public sealed class ProviderMetadataDto
{
    /// <summary>The provider's reference id.</summary>
    public string? ProviderReferenceId { get; set; }
}

/// <summary>The buyer, filtered by the session's scopes.</summary>
public sealed class BuyerDto
{
    /// <summary>Buyer name.</summary>
    public string? Name { get; set; }

    /// <summary>Buyer email.</summary>
    public string? Email { get; set; }

    /// <summary>Stable buyer id (amzn1.account.…).</summary>
    public string? BuyerId { get; set; }

    /// <summary>Prime membership types; null unless the merchant is allow-listed.</summary>
    public List<string>? PrimeMembershipTypes { get; set; }

    /// <summary>Phone number.</summary>
    public string? PhoneNumber { get; set; }
}

/// <summary>How the buyer pays, for display.</summary>
public sealed class PaymentPreferenceDto
{
    /// <summary>E.g. "Visa ****1111".</summary>
    public string? PaymentDescriptor { get; set; }
}

/// <summary>The error body of every failed request.</summary>
public sealed class ErrorResponse
{
    /// <summary>The machine-readable reason.</summary>
    public string? ReasonCode { get; set; }

    /// <summary>A sentence for developers.</summary>
    public string? Message { get; set; }
}
