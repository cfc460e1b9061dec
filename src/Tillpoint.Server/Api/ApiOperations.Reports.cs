using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>Reports, report schedules and disbursements (spec §1 of the supplementary reference).</summary>
internal sealed partial class ApiOperations
{
    private const string Reports = "Reports";

    private static ApiOperation[] ReportOperations =>
    [
        Read(
            "GetReports", "reports", Reports, "Get Reports",
            "The merchant's reports, newest first, filtered by type, status and creation time; a page at a time with nextToken.",
            typeof(ReportsDto), ReportsApi.GetReportsAsync),
        Read(
            "GetReportById", "reports/{reportId}", Reports, "Get Report By Id",
            "One report: its period, its processing status and, once completed, its document's id.",
            typeof(ReportDto), ReportsApi.GetReportByIdAsync),
        Command(
            "CreateReport", "POST", "reports", Reports, "Create Report",
            "Asks for a report of a period that is over; it is processed asynchronously (IN_PROGRESS, then COMPLETED or CANCELLED).",
            Bodies.CreateReportRequest, typeof(CreateReportResponse), [201], IdempotencyKeyUse.Optional, null, CreateErrors,
            ReportsApi.CreateReportAsync),
        Read(
            "GetReportDocument", "report-documents/{reportDocumentId}", Reports, "Get Report Document",
            "Where to download a completed report: a signed URL, valid for 30 seconds, fetched with a plain GET.",
            typeof(ReportDocumentDto), ReportsApi.GetReportDocumentAsync),
        Read(
            "GetReportSchedules", "report-schedules", Reports, "Get Report Schedules",
            "The merchant's report schedules, optionally of some report types only.",
            typeof(ReportSchedulesDto), ReportsApi.GetReportSchedulesAsync),
        Read(
            "GetReportScheduleById", "report-schedules/{reportScheduleId}", Reports, "Get Report Schedule By Id",
            "One report schedule.",
            typeof(ReportScheduleDto), ReportsApi.GetReportScheduleByIdAsync),
        Command(
            "CreateReportSchedule", "POST", "report-schedules", Reports, "Create Report Schedule",
            "Makes a report of a type every period; one schedule per type, replaced only with deleteExistingSchedule.",
            Bodies.CreateReportScheduleRequest, typeof(CreateReportScheduleResponse), [201], IdempotencyKeyUse.Optional, null, CreateErrors,
            ReportsApi.CreateReportScheduleAsync),
        // No body: Node, PHP and Java send none and .NET sends {}, which is read as nothing.
        new(
            "CancelReportSchedule", "DELETE", "report-schedules/{reportScheduleId}", Reports, "Cancel Report Schedule",
            "Stops a schedule; reports it already made are kept.",
            null, false, typeof(EmptyResponse), [200], IdempotencyKeyUse.None, null, WriteErrors, ReportsApi.CancelReportScheduleAsync),
        Read(
            "GetDisbursements", "disbursements", Reports, "Get Disbursements",
            "Payouts to the merchant whose settlement time falls in [startTime, endTime): one per day and currency with money moved.",
            typeof(DisbursementsDto), ReportsApi.GetDisbursementsAsync),
    ];
}
