using System.Text.Json;

namespace Tillpoint.Protocol.Json;

/// <summary>The Charge object, in the official SDKs' key order.</summary>
public sealed class ChargeDto
{
    /// <summary>{chargePermissionId}-C{6 digits}.</summary>
    public string? ChargeId { get; set; }

    /// <summary>The authorized amount.</summary>
    public Price? ChargeAmount { get; set; }

    /// <summary>The permission this charge draws on.</summary>
    public string? ChargePermissionId { get; set; }

    /// <summary>Captured amount; null until captured.</summary>
    public Price? CaptureAmount { get; set; }

    /// <summary>Sum of completed refunds.</summary>
    public Price? RefundedAmount { get; set; }

    /// <summary>Statement text as the merchant gave it.</summary>
    public string? SoftDescriptor { get; set; }

    /// <summary>Payment-service-provider reference.</summary>
    public ProviderMetadataDto? ProviderMetadata { get; set; }

    /// <summary>Multi-currency: amount in the ledger currency.</summary>
    public string? ConvertedAmount { get; set; }

    /// <summary>Multi-currency: conversion rate.</summary>
    public string? ConversionRate { get; set; }

    /// <summary>Web, Phone, App… (saved-wallet charges).</summary>
    public string? Channel { get; set; }

    /// <summary>CITU, MITU, CITR, MITR (saved-wallet charges).</summary>
    public string? ChargeInitiator { get; set; }

    /// <summary>State of the charge.</summary>
    public StatusDetailsDto? StatusDetails { get; set; }

    /// <summary>yyyyMMddTHHmmssZ.</summary>
    public string? CreationTimestamp { get; set; }

    /// <summary>When the authorization lapses, yyyyMMddTHHmmssZ.</summary>
    public string? ExpirationTimestamp { get; set; }

    /// <summary>Sandbox or Live.</summary>
    public string? ReleaseEnvironment { get; set; }

    /// <summary>Merchant-owned text.</summary>
    public MerchantMetadataDto? MerchantMetadata { get; set; }

    /// <summary>Solution provider id.</summary>
    public string? PlatformId { get; set; }

    /// <summary>Buyer-present recovery URLs; null here.</summary>
    public JsonElement? WebCheckoutDetails { get; set; }
}

/// <summary>Capture Charge request body.</summary>
public sealed class CaptureChargeRequest
{
    /// <summary>Required: the amount to capture.</summary>
    public Price? CaptureAmount { get; set; }

    /// <summary>Statement text (at most 16 characters), shown as "AMZ* text".</summary>
    public string? SoftDescriptor { get; set; }
}

/// <summary>The Charge Permission object, in the real API's key order.</summary>
public sealed class ChargePermissionDto
{
    /// <summary>S01-1234567-1234567.</summary>
    public string? ChargePermissionId { get; set; }

    /// <summary>Opaque token.</summary>
    public string? AmazonPayToken { get; set; }

    /// <summary>Merchant reference; null here.</summary>
    public string? ChargePermissionReferenceId { get; set; }

    /// <summary>Solution provider id.</summary>
    public string? PlatformId { get; set; }

    /// <summary>The buyer (for 30 days).</summary>
    public BuyerDto? Buyer { get; set; }

    /// <summary>Shipping address (for 30 days).</summary>
    public AddressDto? ShippingAddress { get; set; }

    /// <summary>Billing address (for 30 days).</summary>
    public AddressDto? BillingAddress { get; set; }

    /// <summary>The instrument for display.</summary>
    public List<PaymentPreferenceDto>? PaymentPreferences { get; set; }

    /// <summary>State with a list of reasons.</summary>
    public ChargePermissionStatusDetailsDto? StatusDetails { get; set; }

    /// <summary>yyyyMMddTHHmmssZ.</summary>
    public string? CreationTimestamp { get; set; }

    /// <summary>yyyyMMddTHHmmssZ; null for a saved wallet (PaymentMethodOnFile), which never expires.</summary>
    public string? ExpirationTimestamp { get; set; }

    /// <summary>Saved-wallet permissions only (<c>{"setupOnly": …}</c>); absent, not null, on the others, as in the real API's samples.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? PaymentMethodOnFileMetadata { get; set; }

    /// <summary>Merchant-owned text.</summary>
    public MerchantMetadataDto? MerchantMetadata { get; set; }

    /// <summary>Sandbox or Live.</summary>
    public string? ReleaseEnvironment { get; set; }

    /// <summary>How much may be charged.</summary>
    public LimitsDto? Limits { get; set; }

    /// <summary>OneTime, Recurring or PaymentMethodOnFile.</summary>
    public string? ChargePermissionType { get; set; }

    /// <summary>Recurring flows only.</summary>
    public JsonElement? RecurringMetadata { get; set; }

    /// <summary>Currency shown to the buyer.</summary>
    public string? PresentmentCurrency { get; set; }
}

/// <summary>A charge permission's state; unlike other objects it carries a list of reasons.</summary>
public sealed class ChargePermissionStatusDetailsDto
{
    /// <summary>Chargeable, NonChargeable or Closed.</summary>
    public string? State { get; set; }

    /// <summary>Why; null when there is no reason.</summary>
    public List<ReasonDto>? Reasons { get; set; }

    /// <summary>yyyyMMddTHHmmssZ.</summary>
    public string? LastUpdatedTimestamp { get; set; }
}

/// <summary>One reason of a charge permission's state.</summary>
public sealed class ReasonDto
{
    /// <summary>E.g. MerchantClosed.</summary>
    public string? ReasonCode { get; set; }

    /// <summary>Human-readable reason.</summary>
    public string? ReasonDescription { get; set; }
}

/// <summary>What a charge permission allows.</summary>
public sealed class LimitsDto
{
    /// <summary>The most that may be charged in total.</summary>
    public Price? AmountLimit { get; set; }

    /// <summary>What may still be charged.</summary>
    public Price? AmountBalance { get; set; }
}
