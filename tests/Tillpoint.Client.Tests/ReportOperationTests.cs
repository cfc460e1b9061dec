using System.Net;
using System.Text;
using Tillpoint.Protocol.Json;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Client.Tests;

/// <summary>The report operations: method, path, query, body and signature, and the typed answers.</summary>
public sealed class ReportOperationTests
{
    private const string Type = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_";

    private static readonly DateTimeOffset Since = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetReports_WithoutFilters_SendsNoQuery_AndReadsThePage()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK,
            """{"reports":[{"createdTime":"20261127T120000Z","endTime":"20261126T000000Z","processingEndTime":null,"processingStartTime":"20261127T120000Z","processingStatus":"IN_PROGRESS","reportDocumentId":null,"reportId":"59007019641","reportType":"_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_","startTime":"20261125T000000Z"}],"nextToken":null}"""));

        var page = (await harness.Client.GetReportsAsync()).Value;

        Assert.Equal("GET", harness.Request.Method);
        Assert.Equal("/v2/reports", harness.Request.Path);
        Assert.Null(harness.Request.RawQuery);
        Assert.Equal("59007019641", Assert.Single(page.Reports!).ReportId);
        Assert.Null(page.NextToken);
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(harness.Request).Outcome);
    }

    [Fact]
    public async Task GetReports_SendsListsCommaSeparated_TimesInTheApiFormat_AndSignsTheQuery()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, """{"reports":[],"nextToken":null}"""));

        await harness.Client.GetReportsAsync([Type, "X"], ["COMPLETED"], Since, Since.AddDays(1), 5, "tok/en");

        Assert.Equal(
            $"createdSince=20261101T000000Z&createdUntil=20261102T000000Z&nextToken=tok%2Fen&pageSize=5&processingStatuses=COMPLETED&reportTypes={Type}%2CX",
            harness.Request.RawQuery);
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(harness.Request).Outcome);
    }

    [Fact]
    public async Task ReportById_Document_AndSchedules_UseTheirPaths()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, "{}"));

        await harness.Client.GetReportByIdAsync("59007019641");
        await harness.Client.GetReportDocumentAsync("amzn1.tortuga.0.x.1");
        await harness.Client.GetReportSchedulesAsync([Type]);
        await harness.Client.GetReportScheduleByIdAsync("50000019441");
        await harness.Client.CancelReportScheduleAsync("50000019441");
        await harness.Client.GetDisbursementsAsync(Since, Since.AddDays(7), pageSize: 10);

        Assert.Equal(
            [
                "GET /v2/reports/59007019641", "GET /v2/report-documents/amzn1.tortuga.0.x.1", $"GET /v2/report-schedules?reportTypes={Type}",
                "GET /v2/report-schedules/50000019441", "DELETE /v2/report-schedules/50000019441",
                "GET /v2/disbursements?endTime=20261108T000000Z&pageSize=10&startTime=20261101T000000Z",
            ],
            harness.Handler.Requests.Select(r => $"{r.Method} {r.Path}{(r.RawQuery is null ? "" : "?" + r.RawQuery)}"));
        Assert.All(harness.Handler.Requests, request => Assert.Empty(request.Body));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.GetReportByIdAsync(" "));
    }

    [Fact]
    public async Task CreateReport_AndCreateReportSchedule_PostTheirBodies_WithAnIdempotencyKey()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.Created, """{"reportId":"59007019641","reportScheduleId":"50000019441"}"""));

        var report = (await harness.Client.CreateReportAsync(
            new CreateReportRequest { ReportType = Type, StartTime = "20261101T000000Z", EndTime = "20261102T000000Z" })).Value;
        var schedule = (await harness.Client.CreateReportScheduleAsync(new CreateReportScheduleRequest
        {
            ReportType = Type, ScheduleFrequency = "P1D", NextReportCreationTime = "20261201T000000Z", DeleteExistingSchedule = true,
        })).Value;

        var requests = harness.Handler.Requests;
        Assert.Equal(["/v2/reports", "/v2/report-schedules"], requests.Select(r => r.Path));
        Assert.Equal(
            $$"""{"reportType":"{{Type}}","startTime":"20261101T000000Z","endTime":"20261102T000000Z"}""", Encoding.UTF8.GetString(requests[0].Body));
        Assert.Equal(
            $$"""{"reportType":"{{Type}}","scheduleFrequency":"P1D","nextReportCreationTime":"20261201T000000Z","deleteExistingSchedule":true}""",
            Encoding.UTF8.GetString(requests[1].Body));
        Assert.All(requests, r => Assert.False(string.IsNullOrEmpty(r.Header("x-amz-pay-idempotency-key"))));
        Assert.Equal("59007019641", report.ReportId);
        Assert.Equal("50000019441", schedule.ReportScheduleId);
    }

    [Fact]
    public async Task DownloadReportDocument_IsAPlainGetOfTheUrl_WithoutSigning()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, "a,b\r\n", contentType: "text/csv"));

        var bytes = await harness.Client.DownloadReportDocumentAsync(
            new ReportDocumentDto { ReportDocumentId = "d", Url = "https://127.0.0.1:8443/report-downloads/token", CompressionAlgorithm = "N/A" });

        Assert.Equal("a,b\r\n", Encoding.UTF8.GetString(bytes));
        Assert.Equal("/report-downloads/token", harness.Request.Path);
        Assert.Null(harness.Request.Header("authorization"));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.DownloadReportDocumentAsync(new ReportDocumentDto()));
    }
}
