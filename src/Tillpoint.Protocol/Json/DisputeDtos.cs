namespace Tillpoint.Protocol.Json;

/// <summary>The Dispute object (spec §2.2), its keys in the order the reference lists them.</summary>
public sealed class DisputeDto
{
    /// <summary>{chargePermissionId}-B{6 digits}.</summary>
    public string? DisputeId { get; set; }

    /// <summary>Sandbox or Live.</summary>
    public string? ReleaseEnvironment { get; set; }

    /// <summary>The disputed charge.</summary>
    public string? ChargeId { get; set; }

    /// <summary>Chargeback.</summary>
    public string? DisputeType { get; set; }

    /// <summary>The amount the buyer disputes.</summary>
    public Price? DisputeAmount { get; set; }

    /// <summary>Why the buyer disputes the charge.</summary>
    public string? FilingReason { get; set; }

    /// <summary>ActionRequired, UnderReview, Resolved or Closed, with the resolution once final.</summary>
    public DisputeStatusDetailsDto? StatusDetails { get; set; }

    /// <summary>What the merchant sent to contest the dispute.</summary>
    public List<MerchantEvidenceDto>? MerchantEvidences { get; set; }

    /// <summary>yyyyMMddTHHmmssZ: contest before this, or the buyer wins.</summary>
    public string? MerchantResponseDeadline { get; set; }

    /// <summary>Who decides the dispute: AmazonPay.</summary>
    public string? ResolutionAuthority { get; set; }

    /// <summary>yyyyMMddTHHmmssZ.</summary>
    public string? CreationTimestamp { get; set; }
}

/// <summary>A dispute's status: a resolution only once Resolved or Closed.</summary>
public sealed class DisputeStatusDetailsDto
{
    /// <summary>ActionRequired, UnderReview, Resolved or Closed.</summary>
    public string? State { get; set; }

    /// <summary>Why the dispute is in its state.</summary>
    public string? ReasonCode { get; set; }

    /// <summary>Human-readable reason.</summary>
    public string? ReasonDescription { get; set; }

    /// <summary>BuyerWon, MerchantWon or NoFault.</summary>
    public string? Resolution { get; set; }

    /// <summary>yyyyMMddTHHmmssZ.</summary>
    public string? LastUpdatedTimestamp { get; set; }
}

/// <summary>One piece of evidence: a type and a file id, a text, or both.</summary>
public sealed class MerchantEvidenceDto
{
    /// <summary>Required: what the evidence is (TrackingNumber, Receipt, …).</summary>
    public string? EvidenceType { get; set; }

    /// <summary>The id of a file uploaded with Upload File.</summary>
    public string? FileId { get; set; }

    /// <summary>The evidence as text.</summary>
    public string? EvidenceText { get; set; }
}

/// <summary>The PSP's own reference of a dispute.</summary>
public sealed class DisputeProviderMetadataDto
{
    /// <summary>The PSP's dispute id.</summary>
    public string? ProviderDisputeId { get; set; }
}

/// <summary>Create Dispute request body (PSP). Times are epoch numbers: seconds, or milliseconds from 10^12 on.</summary>
public sealed class CreateDisputeRequest
{
    /// <summary>Required: the captured charge.</summary>
    public string? ChargeId { get; set; }

    /// <summary>Required: the PSP's reference.</summary>
    public DisputeProviderMetadataDto? ProviderMetadata { get; set; }

    /// <summary>Chargeback, the only type.</summary>
    public string? DisputeType { get; set; }

    /// <summary>Required: the disputed amount.</summary>
    public Price? DisputeAmount { get; set; }

    /// <summary>Required: why the buyer disputes.</summary>
    public string? FilingReason { get; set; }

    /// <summary>When the buyer filed, as an epoch number.</summary>
    public long? FilingTimestamp { get; set; }

    /// <summary>The name one SDK's sample gives <see cref="FilingTimestamp"/>.</summary>
    public long? CreationTimestamp { get; set; }

    /// <summary>The status the PSP reports: ActionRequired or UnderReview.</summary>
    public DisputeStatusRequest? StatusDetails { get; set; }

    /// <summary>Required: the merchant's deadline, as an epoch number.</summary>
    public long? MerchantResponseDeadline { get; set; }
}

/// <summary>A status reported by a PSP.</summary>
public sealed class DisputeStatusRequest
{
    /// <summary>Required: the state.</summary>
    public string? State { get; set; }

    /// <summary>Why.</summary>
    public string? ReasonCode { get; set; }

    /// <summary>Human-readable reason.</summary>
    public string? ReasonDescription { get; set; }

    /// <summary>For Resolved and Closed: BuyerWon, MerchantWon or NoFault.</summary>
    public string? Resolution { get; set; }
}

/// <summary>Update Dispute request body (PSP).</summary>
public sealed class UpdateDisputeRequest
{
    /// <summary>Required: the new status.</summary>
    public DisputeStatusRequest? StatusDetails { get; set; }

    /// <summary>When the dispute closed, as an epoch number.</summary>
    public long? ClosureTimestamp { get; set; }
}

/// <summary>Contest Dispute request body.</summary>
public sealed class ContestDisputeRequest
{
    /// <summary>Required: at least one piece of evidence.</summary>
    public List<MerchantEvidenceDto>? MerchantEvidences { get; set; }
}

/// <summary>Upload File request body: the file's type and purpose; the bytes go to the answer's url.</summary>
public sealed class UploadFileRequest
{
    /// <summary>Required: csv, pdf, xls, xlsx, doc, docx, ods, jpg or png.</summary>
    public string? Type { get; set; }

    /// <summary>Required: disputeEvidence.</summary>
    public string? Purpose { get; set; }
}

/// <summary>The File object (spec §2.7).</summary>
public sealed class FileDto
{
    /// <summary>The id to cite as fileId in Contest Dispute.</summary>
    public string? Id { get; set; }

    /// <summary>The file type.</summary>
    public string? Type { get; set; }

    /// <summary>disputeEvidence.</summary>
    public string? Purpose { get; set; }

    /// <summary>Where to PUT the bytes, once, before urlExpirationTimestamp.</summary>
    public string? Url { get; set; }

    /// <summary>Bytes received so far: 0 until the upload.</summary>
    public long Size { get; set; }

    /// <summary>yyyyMMddTHHmmssZ: when the bytes arrived, or null.</summary>
    public string? UploadTimestamp { get; set; }

    /// <summary>yyyyMMddTHHmmssZ.</summary>
    public string? UrlExpirationTimestamp { get; set; }
}
