using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Domain.Reports;
using Tillpoint.Server.Api;
using Tillpoint.Server.Checkout;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Commands.Reports;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// A merchant's reports on the merchants page: the latest of each environment with their documents to download, and a
/// form that asks for one, made as Create Report makes it (processed by the sweeper, from the ledger).
/// </summary>
internal static partial class DashboardEndpoints
{
    /// <summary>Reports listed per merchant and environment, newest first.</summary>
    private const int ReportsShown = 10;

    private static void MapReports(RouteGroupBuilder pages)
    {
        pages.MapPost("/merchants/{merchantId}/reports", RequestReportAsync);
        pages.MapGet("/merchants/{merchantId}/reports/{environment}/{reportDocumentId}", DownloadReport);
    }

    private static string ReportsSection(MerchantView view)
    {
        var merchantId = view.Merchant.MerchantId;
        var reports = Enum.GetValues<ReleaseEnvironment>().SelectMany(environment => view.Reader.GetReportPage(
            new ReportPageQuery(merchantId, environment, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddYears(-1), null, ReportsShown)));
        var table = Table(
            $"Reports of {view.Merchant.Name}",
            ["Environment", "Type", "Period", "Created", "Status", ""],
            reports.Select(report => (IReadOnlyList<string>)
            [
                E(report.Environment.ToString()),
                $"<span class=\"id\">{E(report.ReportType)}</span>",
                $"{E(Time(report.StartTime))} – {E(Time(report.EndTime))}",
                E(Time(report.CreatedTime)),
                StateBadge(WireMapper.WireName(report.ProcessingStatus)),
                report.ReportDocumentId is { } document
                    ? $"<a href=\"/dashboard/merchants/{Url(merchantId)}/reports/{Url(report.Environment.ToString())}/{Url(document)}\">Download CSV</a>"
                    : string.Empty,
            ]),
            $"reports-{merchantId}",
            "No reports.");
        var types = string.Concat(ReportTypes.All.Where(ReportTypes.CanCreate).Select(type => $"<option>{E(type)}</option>"));
        return $"""
            <h3>Reports</h3>
            {table}
            <form method="post" action="/dashboard/merchants/{Url(merchantId)}/reports" class="filters" id="request-report-{E(merchantId)}" aria-label="Request a report">
              {TokenField(view.Tokens)}
              <div><label for="report-environment-{E(merchantId)}">Environment</label><select id="report-environment-{E(merchantId)}" name="environment"><option>Sandbox</option><option>Live</option></select></div>
              <div><label for="report-type-{E(merchantId)}">Type</label><select id="report-type-{E(merchantId)}" name="reportType">{types}</select></div>
              <div><label for="report-from-{E(merchantId)}">From (UTC)</label><input id="report-from-{E(merchantId)}" name="from" type="date" required></div>
              <div><label for="report-to-{E(merchantId)}">To, exclusive</label><input id="report-to-{E(merchantId)}" name="to" type="date" required></div>
              <div class="actions"><button type="submit">Request report</button></div>
            </form>
            """;
    }

    private static async Task<IResult> RequestReportAsync(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, ServerOptions options, IAntiforgery antiforgery, string merchantId)
    {
        if (store.Read(reader => reader.GetMerchant(merchantId)) is null)
        {
            return NotFound(context, $"There is no merchant '{merchantId}'.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string? refusal;
        if (ParseEnvironmentName(form["environment"].ToString()) is not { } environment
            || !TryParseDay(form["from"].ToString(), out var from)
            || !TryParseDay(form["to"].ToString(), out var to))
        {
            refusal = "Not requested: choose the environment and both dates.";
        }
        else
        {
            var created = await store.WriteAsync(
                session => ReportCommands.Create(
                    session, new Owner(merchantId, environment), clocks.Now(environment), ReportSettings.Of(options), form["reportType"].ToString(), from, to),
                context.RequestAborted);
            refusal = created.IsSuccess ? null : $"Not requested: {created.Error.Message}";
        }

        return refusal is null
            ? HostedPage.SeeOther($"/dashboard/merchants?done=report-requested#merchant-{Url(merchantId)}")
            : MerchantsPage(context, store, antiforgery, refusal, StatusCodes.Status400BadRequest);
    }

    private static IResult DownloadReport(HttpContext context, ITillpointStore store, string merchantId, string environment, string reportDocumentId)
    {
        var document = ParseEnvironmentName(environment) is { } env
            ? store.Read(reader => reader.GetReportDocument(merchantId, env, reportDocumentId))
            : null;
        return document is null
            ? NotFound(context, $"There is no report document '{reportDocumentId}'.")
            : Results.File(document, "text/csv; charset=utf-8", $"{reportDocumentId}.csv");
    }

    private static bool TryParseDay(string text, out DateTimeOffset day) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out day);
}
