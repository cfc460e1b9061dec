using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Domain;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Api.Reports;

/// <summary>Every refusal of the reports' operations: a clear error, the right status, no state change, never a 5xx.</summary>
public sealed class ReportBadInputTests : IAsyncLifetime
{
    private const string SandboxSettlement = ReportsApiTests.SandboxSettlement;

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

    public static TheoryData<string, string, string, int, string> Refusals()
    {
        var past = "\"startTime\":\"20261101T000000Z\",\"endTime\":\"20261102T000000Z\"";
        return new()
        {
            { "GET", "reports?reportType=" + SandboxSettlement, "", 400, "InvalidParameterValue" },
            { "GET", "reports?reportTypes=_GET_NOTHING_", "", 400, "InvalidParameterValue" },
            { "GET", "reports?processingStatuses=DONE", "", 400, "InvalidParameterValue" },
            { "GET", "reports?processingStatuses=in_progress", "", 400, "InvalidParameterValue" },
            { "GET", "reports?pageSize=0", "", 400, "InvalidParameterValue" },
            { "GET", "reports?pageSize=101", "", 400, "InvalidParameterValue" },
            { "GET", "reports?pageSize=ten", "", 400, "InvalidParameterValue" },
            { "GET", "reports?pageSize=5&pageSize=6", "", 400, "InvalidParameterValue" },
            { "GET", "reports?createdSince=yesterday", "", 400, "InvalidParameterValue" },
            { "GET", "reports?createdSince=20261127T000000Z&createdUntil=20261126T000000Z", "", 400, "InvalidParameterValue" },
            { "GET", "reports?nextToken=not-a-token", "", 400, "InvalidParameterValue" },
            { "GET", "reports?createdUntil=99991231T235959Z", "", 400, "InvalidParameterValue" },
            { "GET", "disbursements?startTime=00010101T000000Z&endTime=00010102T000000Z", "", 400, "InvalidParameterValue" },
            { "GET", "disbursements?startTime=99991231T000000Z&endTime=99991231T120000Z", "", 400, "InvalidParameterValue" },
            { "GET", "reports?nextToken=" + Convert.ToBase64String("1|2|3"u8.ToArray()), "", 400, "InvalidParameterValue" },
            { "GET", "reports/59007019641", "", 404, "ResourceNotFound" },
            { "GET", "report-documents/amzn1.tortuga.0.00000000-0000-0000-0000-000000000000.00000000000000", "", 404, "ResourceNotFound" },
            { "GET", "report-schedules?reportTypes=x", "", 400, "InvalidParameterValue" },
            { "GET", "report-schedules?pageSize=1", "", 400, "InvalidParameterValue" },
            { "GET", "report-schedules/50000019441", "", 404, "ResourceNotFound" },
            { "DELETE", "report-schedules/50000019441", "", 404, "ResourceNotFound" },
            { "GET", "disbursements", "", 400, "MissingParameterValue" },
            { "GET", "disbursements?startTime=20261101T000000Z", "", 400, "MissingParameterValue" },
            { "GET", "disbursements?startTime=20261102T000000Z&endTime=20261101T000000Z", "", 400, "InvalidParameterValue" },
            { "GET", "disbursements?startTime=20260101T000000Z&endTime=20261101T000000Z", "", 400, "InvalidParameterValue" },
            { "GET", "disbursements?startTime=20261101T000000Z&endTime=20261102T000000Z&nextToken=x", "", 400, "InvalidParameterValue" },
            { "POST", "reports", "{}", 400, "MissingParameterValue" },
            { "POST", "reports", "{\"reportType\":\"" + SandboxSettlement + "\",\"startTime\":\"20261101T000000Z\"}", 400, "MissingParameterValue" },
            { "POST", "reports", "{\"reportType\":\"" + SandboxSettlement + "\",\"startTime\":\"1 Nov\",\"endTime\":\"20261102T000000Z\"}", 400, "InvalidParameterValue" },
            { "POST", "reports", "{\"reportType\":7," + past + "}", 400, "InvalidParameterValue" },
            { "POST", "reports", "{\"reportType\":\"" + SandboxSettlement + "\"," + past + ",\"extra\":1}", 400, "UnrecognizedField" },
            { "POST", "reports", "{\"reportType\":\"_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SETTLEMENT_DATA_\"," + past + "}", 400, "InvalidParameterValue" },
            { "POST", "reports", "{\"reportType\":\"" + SandboxSettlement + "\",\"startTime\":\"20261102T000000Z\",\"endTime\":\"20261101T000000Z\"}", 400, "InvalidParameterValue" },
            { "POST", "reports", "{\"reportType\":\"" + SandboxSettlement + "\",\"startTime\":\"20261101T000000Z\",\"endTime\":\"20271101T000000Z\"}", 400, "InvalidParameterValue" },
            { "POST", "reports", "{\"reportType\":\"" + SandboxSettlement + "\",\"startTime\":\"20261126T000000Z\",\"endTime\":\"20261128T000000Z\"}", 400, "InvalidParameterValue" },
            { "POST", "reports", "[", 400, "InvalidRequestFormat" },
            { "POST", "report-schedules", "{\"reportType\":\"" + SandboxSettlement + "\",\"scheduleFrequency\":\"PT1M\",\"nextReportCreationTime\":\"20261101T000000Z\"}", 400, "InvalidParameterValue" },
            { "POST", "report-schedules", "{\"reportType\":\"" + SandboxSettlement + "\",\"scheduleFrequency\":\"P1D\"}", 400, "MissingParameterValue" },
            { "POST", "report-schedules", "{\"reportType\":\"" + SandboxSettlement + "\",\"scheduleFrequency\":\"P1D\",\"nextReportCreationTime\":\"20261101T000000Z\",\"deleteExistingSchedule\":\"yes\"}", 400, "InvalidParameterValue" },
            { "POST", "report-schedules", "{\"reportType\":\"_GET_CSV_CUSTOM_OFFAMAZONPAYMENTS_MULTI_CURRENCY_PAYMENTS_DATA_\",\"scheduleFrequency\":\"P1D\",\"nextReportCreationTime\":\"20261101T000000Z\"}", 400, "InvalidParameterValue" },
            { "PUT", "reports", "{}", 405, "RequestNotSupported" },
        };
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_WithAClearError_AndNothingStored(string method, string path, string body, int status, string reasonCode)
    {
        var response = await _client.SendAsync(new HttpMethod(method), path, body.Length == 0 ? null : Encoding.UTF8.GetBytes(body));
        var error = JsonDocument.Parse(response.Body).RootElement;

        Assert.True(response.StatusCode == status, $"{method} {path}: {response.StatusCode} {error}");
        Assert.Equal(reasonCode, error.GetProperty("reasonCode").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(0L, _host.Store.Read(reader => reader.GetReportPage(
            new ReportPageQuery(_merchant.MerchantId, ReleaseEnvironment.Sandbox, DateTimeOffset.MinValue, DateTimeOffset.MaxValue.AddDays(-1), null, 10)).Count));
        Assert.Empty(_host.Store.Read(reader => reader.GetReportSchedules(_merchant.MerchantId, ReleaseEnvironment.Sandbox)));
    }
}
