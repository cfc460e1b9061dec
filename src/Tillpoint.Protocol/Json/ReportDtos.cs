namespace Tillpoint.Protocol.Json;

/// <summary>
/// The Report object. Its keys are in alphabetical order, the order the official Node SDK's tests compare; every key
/// is written, null included, and every time is <c>yyyyMMddTHHmmssZ</c> (the .NET SDK parses nothing else).
/// </summary>
public sealed class ReportDto
{
    /// <summary>When the report was asked for, yyyyMMddTHHmmssZ.</summary>
    public string? CreatedTime { get; set; }

    /// <summary>The end of the period covered, exclusive.</summary>
    public string? EndTime { get; set; }

    /// <summary>Null while the report is in progress.</summary>
    public string? ProcessingEndTime { get; set; }

    /// <summary>When processing started.</summary>
    public string? ProcessingStartTime { get; set; }

    /// <summary>IN_PROGRESS, COMPLETED, FAILED or CANCELLED.</summary>
    public string? ProcessingStatus { get; set; }

    /// <summary>Set once the report completed.</summary>
    public string? ReportDocumentId { get; set; }

    /// <summary>The report's id, numeric.</summary>
    public string? ReportId { get; set; }

    /// <summary>One of the report types.</summary>
    public string? ReportType { get; set; }

    /// <summary>The start of the period covered.</summary>
    public string? StartTime { get; set; }
}

/// <summary>Get Reports: a page of reports, newest first, and the token of the next page (null on the last).</summary>
public sealed class ReportsDto
{
    /// <summary>The page's reports, newest first.</summary>
    public List<ReportDto>? Reports { get; set; }

    /// <summary>The token of the next page; null on the last.</summary>
    public string? NextToken { get; set; }
}

/// <summary>Create Report request body.</summary>
public sealed class CreateReportRequest
{
    /// <summary>Required: one of the report types.</summary>
    public string? ReportType { get; set; }

    /// <summary>Required: the period's start, yyyyMMddTHHmmssZ or ISO 8601.</summary>
    public string? StartTime { get; set; }

    /// <summary>Required: the period's end, exclusive.</summary>
    public string? EndTime { get; set; }
}

/// <summary>Create Report's answer.</summary>
public sealed class CreateReportResponse
{
    /// <summary>The report's id, numeric.</summary>
    public string? ReportId { get; set; }
}

/// <summary>Get Report Document: where to download the report, for a short time.</summary>
public sealed class ReportDocumentDto
{
    /// <summary>The document's id.</summary>
    public string? ReportDocumentId { get; set; }

    /// <summary>A signed download URL, valid for 30 seconds; fetched with a plain GET.</summary>
    public string? Url { get; set; }

    /// <summary>Always N/A: documents are not compressed.</summary>
    public string? CompressionAlgorithm { get; set; }
}

/// <summary>The ReportSchedule object, in the key order the official Node SDK's tests compare.</summary>
public sealed class ReportScheduleDto
{
    /// <summary>When the next report is created, yyyyMMddTHHmmssZ.</summary>
    public string? NextReportCreationTime { get; set; }

    /// <summary>The schedule's id, numeric.</summary>
    public string? ReportScheduleId { get; set; }

    /// <summary>One of the report types.</summary>
    public string? ReportType { get; set; }

    /// <summary>An ISO 8601 duration of the SDKs' list (PT84H, P1D, …).</summary>
    public string? ScheduleFrequency { get; set; }
}

/// <summary>Get Report Schedules.</summary>
public sealed class ReportSchedulesDto
{
    /// <summary>The schedules, one per report type.</summary>
    public List<ReportScheduleDto>? ReportSchedules { get; set; }
}

/// <summary>Create Report Schedule request body.</summary>
public sealed class CreateReportScheduleRequest
{
    /// <summary>One of the report types.</summary>
    public string? ReportType { get; set; }

    /// <summary>An ISO 8601 duration of the SDKs' list (PT84H, P1D, …).</summary>
    public string? ScheduleFrequency { get; set; }

    /// <summary>When the next report is created, yyyyMMddTHHmmssZ.</summary>
    public string? NextReportCreationTime { get; set; }

    /// <summary>Replace the schedule of the same type, if there is one.</summary>
    public bool? DeleteExistingSchedule { get; set; }
}

/// <summary>Create Report Schedule's answer.</summary>
public sealed class CreateReportScheduleResponse
{
    /// <summary>The schedule's id, numeric.</summary>
    public string? ReportScheduleId { get; set; }
}

/// <summary>An answer with nothing to say: <c>{}</c>.</summary>
public sealed class EmptyResponse;

/// <summary>One payout to the merchant's bank account. The amount is flat, and the time extended ISO 8601, as documented.</summary>
public sealed class DisbursementDto
{
    /// <summary>The merchant's id.</summary>
    public string? SellerId { get; set; }

    /// <summary>The settlement paid out.</summary>
    public string? SettlementId { get; set; }

    /// <summary>The reference shown on the bank statement.</summary>
    public string? AmazonDisbursementReferenceId { get; set; }

    /// <summary>The amount paid, as text.</summary>
    public string? Amount { get; set; }

    /// <summary>The amount's currency.</summary>
    public string? CurrencyCode { get; set; }

    /// <summary>When it was paid, extended ISO 8601 with milliseconds.</summary>
    public string? TransactionTime { get; set; }
}

/// <summary>Get Disbursements: a page of payouts and the token of the next page (null on the last).</summary>
public sealed class DisbursementsDto
{
    /// <summary>The page's payouts, oldest first.</summary>
    public List<DisbursementDto>? Disbursements { get; set; }

    /// <summary>The token of the next page; null on the last.</summary>
    public string? NextToken { get; set; }
}
