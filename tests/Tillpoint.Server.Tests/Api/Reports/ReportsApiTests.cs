using System.Globalization;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Domain.Reports;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api.Reports;

/// <summary>Reports, schedules, documents and disbursements over HTTP, against the real server and its sweeper.</summary>
public sealed class ReportsApiTests : IAsyncLifetime
{
    internal const string SandboxSettlement = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_";
    internal const string Capture = "_GET_FLAT_FILE_OFFAMAZONPAYMENTS_CAPTURE_DATA_";

    internal static readonly string[] ReportKeys =
    [
        "createdTime", "endTime", "processingEndTime", "processingStartTime", "processingStatus", "reportDocumentId", "reportId",
        "reportType", "startTime",
    ];

    private TillpointHost _host = null!;
    private TestMerchant _merchant = null!;
    private AmazonPayClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TillpointHost.StartAsync();
        _merchant = await _host.CreateMerchantAsync();
        _client = _host.Client(_merchant);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    internal static string Basic(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    internal static async Task<(int Status, JsonElement Body)> SendAsync(AmazonPayClient client, HttpMethod method, string path, string? body = null)
    {
        var response = await client.SendAsync(method, path, body is null ? null : Encoding.UTF8.GetBytes(body));
        return (response.StatusCode, JsonDocument.Parse(response.Body).RootElement.Clone());
    }

    private Task<(int Status, JsonElement Body)> Send(HttpMethod method, string path, string? body = null) => SendAsync(_client, method, path, body);

    private async Task<string> CreateReportAsync(DateTimeOffset start, DateTimeOffset end, string type = SandboxSettlement)
    {
        var (status, body) = await Send(
            HttpMethod.Post, "reports", $$"""{"reportType":"{{type}}","startTime":"{{Basic(start)}}","endTime":"{{Basic(end)}}"}""");
        Assert.Equal(201, status);
        return body.GetProperty("reportId").GetString()!;
    }

    private async Task<JsonElement> ReportAsync(string reportId)
    {
        var (status, body) = await Send(HttpMethod.Get, $"reports/{reportId}");
        Assert.Equal(200, status);
        return body;
    }

    private static string[] Ids(JsonElement page) =>
        [.. page.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("reportId").GetString()!)];

    private async Task<(string ChargeId, string Amount)> CapturedChargeAsync()
    {
        var completed = await Checkouts.AuthorizedAsync(_host, _client, _merchant, "14.00");
        var captured = (await Checkouts.CaptureAsync(_client, completed.ChargeId!)).Value;
        Assert.Equal("Captured", captured.StatusDetails!.State);
        return (completed.ChargeId!, captured.CaptureAmount!.Amount!);
    }

    [Fact]
    public async Task CreateReport_IsInProgress_ThenCancelledWhenThePeriodHadNoData()
    {
        var id = await CreateReportAsync(TillpointHost.Start.AddDays(-7), TillpointHost.Start.AddDays(-1));

        var pending = await ReportAsync(id);
        await _host.AdvanceSandboxAsync(TimeSpan.FromSeconds(10));
        var done = await ReportAsync(id);

        Assert.Matches("^[1-9][0-9]{10}$", id);
        Assert.Equal(ReportKeys, pending.EnumerateObject().Select(p => p.Name));
        Assert.Equal("IN_PROGRESS", pending.GetProperty("processingStatus").GetString());
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("processingEndTime").ValueKind);
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("reportDocumentId").ValueKind);
        Assert.Equal(Basic(TillpointHost.Start), pending.GetProperty("createdTime").GetString());
        Assert.Equal(Basic(TillpointHost.Start), pending.GetProperty("processingStartTime").GetString());
        Assert.Equal(Basic(TillpointHost.Start.AddDays(-7)), pending.GetProperty("startTime").GetString());
        Assert.Equal("CANCELLED", done.GetProperty("processingStatus").GetString());
        Assert.Equal(ReportKeys, done.EnumerateObject().Select(p => p.Name));
        Assert.Matches("^\\d{8}T\\d{6}Z$", done.GetProperty("processingEndTime").GetString()!);
    }

    [Fact]
    public async Task Report_OfAPeriodWithACapture_CompletesWithADocument_DownloadedUnsignedWithin30Seconds()
    {
        var (chargeId, amount) = await CapturedChargeAsync();
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var id = await CreateReportAsync(TillpointHost.Start.AddHours(-1), _host.Clock.GetUtcNow());
        await _host.AdvanceSandboxAsync(TimeSpan.FromSeconds(10));
        var report = await ReportAsync(id);
        var documentId = report.GetProperty("reportDocumentId").GetString()!;

        var (status, document) = await Send(HttpMethod.Get, $"report-documents/{documentId}");
        using var http = RawRequests.Http(_host);
        var csv = await http.GetStringAsync(document.GetProperty("url").GetString());
        _host.Clock.Advance(TimeSpan.FromSeconds(30));
        var expired = await http.GetAsync(document.GetProperty("url").GetString());

        Assert.Equal("COMPLETED", report.GetProperty("processingStatus").GetString());
        Assert.Matches(@"^amzn1\.tortuga\.0\.[0-9a-f-]{36}\.\d{14}$", documentId);
        Assert.Equal(200, status);
        Assert.Equal(["reportDocumentId", "url", "compressionAlgorithm"], document.EnumerateObject().Select(p => p.Name));
        Assert.Equal("N/A", document.GetProperty("compressionAlgorithm").GetString());
        Assert.StartsWith(_host.HttpsBase.ToString().TrimEnd('/') + "/report-downloads/", document.GetProperty("url").GetString(), StringComparison.Ordinal);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("TransactionPostedDate,Environment,TransactionType,", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.Contains(",Capture,", StringComparison.Ordinal) && line.Contains(chargeId, StringComparison.Ordinal)
            && line.Contains($",{amount},USD,", StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, expired.StatusCode);
    }

    [Fact]
    public async Task Download_WithATamperedToken_IsNotFound()
    {
        using var http = RawRequests.Http(_host);

        var response = await http.GetAsync(new Uri(_host.HttpsBase, "/report-downloads/CfDJ8not-a-token"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetReports_EverySdksQueryForm_FiltersAlike()
    {
        var first = await CreateReportAsync(TillpointHost.Start.AddDays(-3), TillpointHost.Start.AddDays(-2));
        _host.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await CreateReportAsync(TillpointHost.Start.AddDays(-2), TillpointHost.Start.AddDays(-1));
        var both = new[] { second, first };
        var since = Basic(TillpointHost.Start.AddDays(-1));
        var until = Basic(_host.Clock.GetUtcNow());

        string[] forms =
        [
            // Node: no query at all, and comma lists, encoded.
            "reports",
            $"reports?processingStatuses=IN_PROGRESS%2CCOMPLETED&reportTypes={SandboxSettlement}%2C{Capture}",
            // PHP: name.N members; .NET: the default range and page size always sent, basic format.
            $"reports?reportTypes.1={SandboxSettlement}&reportTypes.2={Capture}",
            $"reports?createdSince={since}&createdUntil={until}&pageSize=10&reportTypes={SandboxSettlement}",
            // Java: a trailing slash, repeated keys; extended ISO 8601 accepted too.
            $"reports/?reportTypes={SandboxSettlement}&reportTypes={Capture}&processingStatuses=IN_PROGRESS",
            $"reports?createdSince={Uri.EscapeDataString("2026-11-26T12:00:00Z")}",
        ];
        foreach (var form in forms)
        {
            var (status, page) = await Send(HttpMethod.Get, form);
            Assert.True(status == 200, $"{form}: {status} {page}");
            Assert.Equal(both, Ids(page));
            Assert.Equal(JsonValueKind.Null, page.GetProperty("nextToken").ValueKind);
        }

        Assert.Empty(Ids((await Send(HttpMethod.Get, "reports?processingStatuses=COMPLETED")).Body));
        Assert.Empty(Ids((await Send(HttpMethod.Get, $"reports?reportTypes={Capture}")).Body));
        Assert.Equal([second], Ids((await Send(HttpMethod.Get, $"reports?createdSince={Basic(_host.Clock.GetUtcNow())}")).Body));
    }

    [Fact]
    public async Task GetReports_PagesWithNextToken_AsTheOnlyParameter_OrBesideDotNetsFilters()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Insert(0, await CreateReportAsync(TillpointHost.Start.AddDays(-2), TillpointHost.Start.AddDays(-1)));
            _host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var (_, first) = await Send(HttpMethod.Get, $"reports?pageSize=1&reportTypes={SandboxSettlement}");
        var token = first.GetProperty("nextToken").GetString()!;
        var (_, second) = await Send(HttpMethod.Get, $"reports?nextToken={Uri.EscapeDataString(token)}");
        var (_, third) = await Send(
            HttpMethod.Get,
            $"reports?nextToken={Uri.EscapeDataString(second.GetProperty("nextToken").GetString()!)}&reportTypes={SandboxSettlement}");

        Assert.Equal([ids[0]], Ids(first));
        Assert.Equal([ids[1]], Ids(second));
        Assert.Equal([ids[2]], Ids(third));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("nextToken").ValueKind);
    }

    [Fact]
    public async Task Reports_AreEachMerchantsAndEnvironmentsOwn()
    {
        var id = await CreateReportAsync(TillpointHost.Start.AddDays(-2), TillpointHost.Start.AddDays(-1));
        var other = await _host.CreateMerchantAsync();
        using var otherClient = _host.Client(other);
        using var live = _host.Client(_merchant, _merchant.LiveKeyId, sandbox: false);

        Assert.Equal(404, (await SendAsync(otherClient, HttpMethod.Get, $"reports/{id}")).Status);
        Assert.Empty(Ids((await SendAsync(otherClient, HttpMethod.Get, "reports")).Body));
        Assert.Equal(404, (await SendAsync(live, HttpMethod.Get, $"reports/{id}")).Status);
    }

    [Fact]
    public async Task Sandbox_OffersTheTypesTheSdksAskFor_OrTheSettlementReportAlone_WhenStartedSo()
    {
        await using var documented = await TillpointHost.StartAsync(
            options => options with { Limits = options.Limits with { SandboxReportTypes = SandboxReportTypes.Settlement } });
        var merchant = await documented.CreateMerchantAsync();
        using var strict = documented.Client(merchant);
        using var sandbox = _host.Client(_merchant);
        var body = $"{{\"reportType\":\"{Capture}\",\"startTime\":\"{Basic(TillpointHost.Start.AddDays(-2))}\",\"endTime\":\"{Basic(TillpointHost.Start.AddDays(-1))}\"}}";

        var accepted = await SendAsync(sandbox, HttpMethod.Post, "reports", body);
        var refused = await SendAsync(strict, HttpMethod.Post, "reports", body);

        Assert.Equal(201, accepted.Status);
        Assert.Equal(400, refused.Status);
        Assert.Equal("InvalidParameterValue", refused.Body.GetProperty("reasonCode").GetString());
        Assert.Equal(0, (await SendAsync(strict, HttpMethod.Get, "reports")).Body.GetProperty("reports").GetArrayLength());
    }

    [Fact]
    public async Task Live_OffersTransactionReports_AndNotTheSandboxSettlement()
    {
        using var live = _host.Client(_merchant, _merchant.LiveKeyId, sandbox: false);
        var period = $"\"startTime\":\"{Basic(TillpointHost.Start.AddDays(-2))}\",\"endTime\":\"{Basic(TillpointHost.Start.AddDays(-1))}\"";

        var capture = await SendAsync(live, HttpMethod.Post, "reports", $"{{\"reportType\":\"{Capture}\",{period}}}");
        var sandbox = await SendAsync(live, HttpMethod.Post, "reports", $"{{\"reportType\":\"{SandboxSettlement}\",{period}}}");

        Assert.Equal(201, capture.Status);
        Assert.Equal(400, sandbox.Status);
        Assert.Equal("InvalidParameterValue", sandbox.Body.GetProperty("reasonCode").GetString());
    }

    [Fact]
    public async Task Schedules_CreateListGetReplaceCancel()
    {
        var body = $"{{\"reportType\":\"{SandboxSettlement}\",\"scheduleFrequency\":\"PT84H\",\"nextReportCreationTime\":\"{Basic(TillpointHost.Start.AddDays(1))}\"}}";
        var (created, first) = await Send(HttpMethod.Post, "report-schedules", body);
        var id = first.GetProperty("reportScheduleId").GetString()!;
        var (duplicateStatus, duplicate) = await Send(HttpMethod.Post, "report-schedules", body);
        var (_, list) = await Send(HttpMethod.Get, "report-schedules?");
        var (_, byId) = await Send(HttpMethod.Get, $"report-schedules/{id}");
        var (replacedStatus, replaced) = await Send(HttpMethod.Post, "report-schedules/", body.Replace("}", ",\"deleteExistingSchedule\":true}", StringComparison.Ordinal));
        var newId = replaced.GetProperty("reportScheduleId").GetString()!;

        Assert.Equal(201, created);
        Assert.Equal(400, duplicateStatus);
        Assert.Equal("InvalidRequest", duplicate.GetProperty("reasonCode").GetString());
        Assert.Equal([id], list.GetProperty("reportSchedules").EnumerateArray().Select(s => s.GetProperty("reportScheduleId").GetString()));
        Assert.Equal(["nextReportCreationTime", "reportScheduleId", "reportType", "scheduleFrequency"], byId.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Basic(TillpointHost.Start.AddDays(1)), byId.GetProperty("nextReportCreationTime").GetString());
        Assert.Equal("PT84H", byId.GetProperty("scheduleFrequency").GetString());
        Assert.Equal(201, replacedStatus);
        Assert.NotEqual(id, newId);
        Assert.Equal(404, (await Send(HttpMethod.Get, $"report-schedules/{id}")).Status);
        Assert.Equal(1, (await Send(HttpMethod.Get, $"report-schedules?reportTypes={SandboxSettlement}")).Body.GetProperty("reportSchedules").GetArrayLength());
        Assert.Equal(0, (await Send(HttpMethod.Get, $"report-schedules?reportTypes.1={Capture}")).Body.GetProperty("reportSchedules").GetArrayLength());

        var (cancelled, empty) = await Send(HttpMethod.Delete, $"report-schedules/{newId}", "{}");
        Assert.Equal(200, cancelled);
        Assert.Equal("{}", empty.GetRawText());
        Assert.Equal(404, (await Send(HttpMethod.Delete, $"report-schedules/{newId}")).Status);
        Assert.Equal(0, (await Send(HttpMethod.Get, "report-schedules")).Body.GetProperty("reportSchedules").GetArrayLength());
    }

    [Fact]
    public async Task Schedule_WithAPastCreationTime_IsAccepted_AndMakesTheReportOfItsLatestPeriod()
    {
        var (status, created) = await Send(
            HttpMethod.Post, "report-schedules",
            $"{{\"reportType\":\"{SandboxSettlement}\",\"scheduleFrequency\":\"P1D\",\"nextReportCreationTime\":\"20230618T150630Z\",\"deleteExistingSchedule\":false}}");
        var id = created.GetProperty("reportScheduleId").GetString()!;

        await _host.AdvanceSandboxAsync(TimeSpan.FromSeconds(1));
        var (_, page) = await Send(HttpMethod.Get, "reports");
        var schedule = (await Send(HttpMethod.Get, $"report-schedules/{id}")).Body;

        Assert.Equal(201, status);
        var report = Assert.Single(page.GetProperty("reports").EnumerateArray());
        Assert.Equal(SandboxSettlement, report.GetProperty("reportType").GetString());
        // Due daily at 15:06:30 since 2023; at 2026-11-27 12:00 the latest whole day ended on the 26th at 15:06:30.
        Assert.Equal("20261125T150630Z", report.GetProperty("startTime").GetString());
        Assert.Equal("20261126T150630Z", report.GetProperty("endTime").GetString());
        Assert.Equal("20261127T150630Z", schedule.GetProperty("nextReportCreationTime").GetString());
    }

    [Fact]
    public async Task Disbursements_AreEachDaysCapturesLessRefunds_PaidTheNextDay()
    {
        var (_, amount) = await CapturedChargeAsync();
        var day = new DateTimeOffset(TillpointHost.Start.UtcDateTime.Date, TimeSpan.Zero);
        var query = $"disbursements?startTime={Basic(day)}&endTime={Basic(day.AddDays(3))}&pageSize=5&nextToken=";

        var (before, none) = await Send(HttpMethod.Get, query);
        await _host.AdvanceSandboxAsync(TimeSpan.FromDays(1));
        var (status, paid) = await Send(HttpMethod.Get, query);

        Assert.Equal(200, before);
        Assert.Equal(0, none.GetProperty("disbursements").GetArrayLength());
        Assert.Equal(200, status);
        var disbursement = Assert.Single(paid.GetProperty("disbursements").EnumerateArray());
        Assert.Equal(
            ["sellerId", "settlementId", "amazonDisbursementReferenceId", "amount", "currencyCode", "transactionTime"],
            disbursement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(_merchant.MerchantId, disbursement.GetProperty("sellerId").GetString());
        Assert.Equal(amount, disbursement.GetProperty("amount").GetString());
        Assert.Equal("USD", disbursement.GetProperty("currencyCode").GetString());
        Assert.Equal("2026-11-28T00:00:00.000Z", disbursement.GetProperty("transactionTime").GetString());
        Assert.Equal(JsonValueKind.Null, paid.GetProperty("nextToken").ValueKind);
    }
}
