using Tillpoint.Domain.Reports;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Docs;

/// <summary>The reports' examples: a sandbox settlement report of the week of the checkout, its schedule and a payout.</summary>
internal static partial class ApiExamples
{
    private const string ReportId = "59007019641";
    private const string ReportDocumentId = "amzn1.tortuga.0.5b4e3d2c-1a09-4f8e-b7d6-c5a4b3928170.00000000000001";
    private const string ReportScheduleId = "50000019441";

    private static readonly Dictionary<string, (object? Request, Dictionary<int, object> Responses)> ReportExamples = new()
    {
        ["GetReports"] = (null, new() { [200] = new ReportsDto { Reports = [Report()], NextToken = null } }),
        ["GetReportById"] = (null, new() { [200] = Report() }),
        ["CreateReport"] = (
            new CreateReportRequest { ReportType = ReportTypes.SandboxSettlement, StartTime = "20261207T000000Z", EndTime = "20261214T000000Z" },
            new() { [201] = new CreateReportResponse { ReportId = ReportId } }),
        ["GetReportDocument"] = (
            null,
            new()
            {
                [200] = new ReportDocumentDto
                {
                    ReportDocumentId = ReportDocumentId,
                    Url = "https://localhost:8443/report-downloads/CfDJ8Example",
                    CompressionAlgorithm = "N/A",
                },
            }),
        ["GetReportSchedules"] = (null, new() { [200] = new ReportSchedulesDto { ReportSchedules = [Schedule()] } }),
        ["GetReportScheduleById"] = (null, new() { [200] = Schedule() }),
        ["CreateReportSchedule"] = (
            new CreateReportScheduleRequest
            {
                ReportType = ReportTypes.SandboxSettlement,
                ScheduleFrequency = "P7D",
                NextReportCreationTime = "20261221T000000Z",
                DeleteExistingSchedule = false,
            },
            new() { [201] = new CreateReportScheduleResponse { ReportScheduleId = ReportScheduleId } }),
        ["CancelReportSchedule"] = (null, new() { [200] = new EmptyResponse() }),
        ["GetDisbursements"] = (
            null,
            new()
            {
                [200] = new DisbursementsDto
                {
                    Disbursements =
                    [
                        new DisbursementDto
                        {
                            SellerId = "A1B2C3D4E5F6G7",
                            SettlementId = "20261208840",
                            AmazonDisbursementReferenceId = "TILLPOINT-20261208-USD",
                            Amount = "14.00",
                            CurrencyCode = "USD",
                            TransactionTime = "2026-12-09T00:00:00.000Z",
                        },
                    ],
                    NextToken = null,
                },
            }),
    };

    private static ReportDto Report() => new()
    {
        CreatedTime = "20261214T101500Z",
        EndTime = "20261214T000000Z",
        ProcessingEndTime = "20261214T101510Z",
        ProcessingStartTime = "20261214T101500Z",
        ProcessingStatus = "COMPLETED",
        ReportDocumentId = ReportDocumentId,
        ReportId = ReportId,
        ReportType = ReportTypes.SandboxSettlement,
        StartTime = "20261207T000000Z",
    };

    private static ReportScheduleDto Schedule() => new()
    {
        NextReportCreationTime = "20261221T000000Z",
        ReportScheduleId = ReportScheduleId,
        ReportType = ReportTypes.SandboxSettlement,
        ScheduleFrequency = "P7D",
    };
}
