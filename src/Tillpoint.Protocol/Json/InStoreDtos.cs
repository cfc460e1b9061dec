using System.Text.Json.Serialization;

namespace Tillpoint.Protocol.Json;

/// <summary>Merchant Scan request body (the in-store API).</summary>
public sealed class MerchantScanRequest
{
    /// <summary>Required: the content of the buyer's code.</summary>
    public string? ScanData { get; set; }

    /// <summary>Required: the merchant's id of this scan.</summary>
    public string? ScanReferenceId { get; set; }

    /// <summary>Required: the merchant's country of establishment.</summary>
    [JsonPropertyName("merchantCOE")]
    public string? MerchantCOE { get; set; }

    /// <summary>Required: the currency the merchant is paid in.</summary>
    public string? LedgerCurrency { get; set; }

    /// <summary>The purchase's total, when known at the scan.</summary>
    public Price? ChargeTotal { get; set; }

    /// <summary>Where the store is.</summary>
    public StoreLocationDto? StoreLocation { get; set; }

    /// <summary>The merchant's notes.</summary>
    public InStoreMetadataDto? Metadata { get; set; }
}

/// <summary>In-store Charge request body.</summary>
public sealed class InStoreChargeRequest
{
    /// <summary>Required: the permission Merchant Scan returned.</summary>
    public string? ChargePermissionId { get; set; }

    /// <summary>Required: the merchant's id of this charge.</summary>
    public string? ChargeReferenceId { get; set; }

    /// <summary>Required: the amount.</summary>
    public Price? ChargeTotal { get; set; }

    /// <summary>Statement text.</summary>
    public string? SoftDescriptor { get; set; }

    /// <summary>The merchant's notes.</summary>
    public InStoreMetadataDto? Metadata { get; set; }
}

/// <summary>In-store Refund request body.</summary>
public sealed class InStoreRefundRequest
{
    /// <summary>Required: the in-store charge to refund.</summary>
    public string? ChargeId { get; set; }

    /// <summary>Required: the merchant's id of this refund.</summary>
    public string? RefundReferenceId { get; set; }

    /// <summary>Required: the amount.</summary>
    public Price? RefundTotal { get; set; }

    /// <summary>Statement text.</summary>
    public string? SoftDescriptor { get; set; }

    /// <summary>The merchant's notes.</summary>
    public InStoreMetadataDto? Metadata { get; set; }
}

/// <summary>Where an in-store purchase happens.</summary>
public sealed class StoreLocationDto
{
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? CountryCode { get; set; }
}

/// <summary>The merchant's notes on an in-store purchase.</summary>
public sealed class InStoreMetadataDto
{
    /// <summary>A note.</summary>
    public string? MerchantNote { get; set; }

    /// <summary>Free text.</summary>
    public string? CustomInformation { get; set; }

    /// <summary>Shown to the buyer.</summary>
    public CommunicationContextDto? CommunicationContext { get; set; }
}

/// <summary>What the buyer is told about the purchase.</summary>
public sealed class CommunicationContextDto
{
    /// <summary>The store's name.</summary>
    public string? MerchantStoreName { get; set; }

    /// <summary>The merchant's order id.</summary>
    public string? MerchantOrderId { get; set; }
}

/// <summary>Merchant Scan's answer: exactly the permission's id.</summary>
public sealed class MerchantScanDto
{
    /// <summary>The charge permission the scan made.</summary>
    public string? ChargePermissionId { get; set; }
}

/// <summary>An in-store state (<c>chargeStatus</c>, <c>refundStatus</c>).</summary>
public sealed class InStoreStatusDto
{
    /// <summary>Completed, Pending or Declined.</summary>
    public string? State { get; set; }
}

/// <summary>In-store Charge's answer.</summary>
public sealed class InStoreChargeDto
{
    /// <summary>The charge.</summary>
    public string? ChargeId { get; set; }

    /// <summary>Completed once captured.</summary>
    public InStoreStatusDto? ChargeStatus { get; set; }
}

/// <summary>In-store Refund's answer.</summary>
public sealed class InStoreRefundDto
{
    /// <summary>The refund.</summary>
    public string? RefundId { get; set; }

    /// <summary>Pending until the refund settles.</summary>
    public InStoreStatusDto? RefundStatus { get; set; }
}
