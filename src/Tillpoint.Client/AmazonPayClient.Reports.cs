using System.Globalization;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Client;

/// <summary>Reports, report schedules and disbursements, one typed method each.</summary>
public sealed partial class AmazonPayClient
{
    /// <summary>
    /// Get Reports: <c>GET reports</c> (200), newest first. Lists are sent comma-separated; with
    /// <paramref name="nextToken"/> the token alone chooses the page.
    /// </summary>
    /// <param name="reportTypes">Only these report types, or <see langword="null"/> for all.</param>
    /// <param name="processingStatuses">Only these statuses (IN_PROGRESS, COMPLETED, FAILED, CANCELLED), or <see langword="null"/>.</param>
    /// <param name="createdSince">Created at or after; the server's default is 90 days ago.</param>
    /// <param name="createdUntil">Created at or before; the server's default is now.</param>
    /// <param name="pageSize">Reports a page (1–100; the server's default is 10).</param>
    /// <param name="nextToken">The previous page's <c>nextToken</c>.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A page of reports and the token of the next.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ReportsDto>> GetReportsAsync(
        IEnumerable<string>? reportTypes = null,
        IEnumerable<string>? processingStatuses = null,
        DateTimeOffset? createdSince = null,
        DateTimeOffset? createdUntil = null,
        int? pageSize = null,
        string? nextToken = null,
        RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(
            HttpMethod.Get,
            "reports" + Query(
                ("createdSince", Time(createdSince)), ("createdUntil", Time(createdUntil)), ("nextToken", nextToken),
                ("pageSize", pageSize?.ToString(CultureInfo.InvariantCulture)), ("processingStatuses", List(processingStatuses)),
                ("reportTypes", List(reportTypes))),
            null, ApiJsonContext.Default.ReportsDto, options, ct);

    /// <summary>Get Report By Id: <c>GET reports/{id}</c> (200).</summary>
    /// <param name="reportId">The report id.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ReportDto>> GetReportByIdAsync(string reportId, RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Get, "reports/" + Segment(reportId), null, ApiJsonContext.Default.ReportDto, options, ct);

    /// <summary>Create Report: <c>POST reports</c> (201). Sends an idempotency key, generated when none is given.</summary>
    /// <param name="request">The report type and its period.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The new report's id; poll <see cref="GetReportByIdAsync"/> until it is COMPLETED.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<CreateReportResponse>> CreateReportAsync(CreateReportRequest request, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "reports", request, ApiRequestJsonContext.Default.CreateReportRequest,
            ApiJsonContext.Default.CreateReportResponse, options, ct);

    /// <summary>Get Report Document: <c>GET report-documents/{id}</c> (200): a download URL valid for 30 seconds.</summary>
    /// <param name="reportDocumentId">The completed report's <c>reportDocumentId</c>.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The document's id and URL; fetch it with <see cref="DownloadReportDocumentAsync"/>.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ReportDocumentDto>> GetReportDocumentAsync(string reportDocumentId, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Get, "report-documents/" + Segment(reportDocumentId), null, ApiJsonContext.Default.ReportDocumentDto, options, ct);

    /// <summary>Downloads a report's document from the URL Get Report Document gave, with a plain unsigned GET.</summary>
    /// <param name="document">Get Report Document's answer.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The document's bytes.</returns>
    /// <exception cref="ArgumentException">The answer has no URL.</exception>
    /// <exception cref="HttpRequestException">The download failed, e.g. its 30 seconds are over (403).</exception>
    public async Task<byte[]> DownloadReportDocumentAsync(ReportDocumentDto document, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(document);
        if (!Uri.TryCreate(document.Url, UriKind.Absolute, out var url))
        {
            throw new ArgumentException("The report document has no URL.", nameof(document));
        }

        return await _httpClient.GetByteArrayAsync(url, ct).ConfigureAwait(false);
    }

    /// <summary>Get Report Schedules: <c>GET report-schedules</c> (200).</summary>
    /// <param name="reportTypes">Only the schedules of these types, or <see langword="null"/> for all.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The schedules.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ReportSchedulesDto>> GetReportSchedulesAsync(IEnumerable<string>? reportTypes = null,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Get, "report-schedules" + Query(("reportTypes", List(reportTypes))), null,
            ApiJsonContext.Default.ReportSchedulesDto, options, ct);

    /// <summary>Get Report Schedule By Id: <c>GET report-schedules/{id}</c> (200).</summary>
    /// <param name="reportScheduleId">The schedule id.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ReportScheduleDto>> GetReportScheduleByIdAsync(string reportScheduleId, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Get, "report-schedules/" + Segment(reportScheduleId), null, ApiJsonContext.Default.ReportScheduleDto, options, ct);

    /// <summary>Create Report Schedule: <c>POST report-schedules</c> (201). Sends an idempotency key, generated when none is given.</summary>
    /// <param name="request">The type, frequency, first creation time and whether to replace the type's schedule.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The new schedule's id.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<CreateReportScheduleResponse>> CreateReportScheduleAsync(CreateReportScheduleRequest request,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "report-schedules", request, ApiRequestJsonContext.Default.CreateReportScheduleRequest,
            ApiJsonContext.Default.CreateReportScheduleResponse, options, ct);

    /// <summary>Cancel Report Schedule: <c>DELETE report-schedules/{id}</c> (200), without a body.</summary>
    /// <param name="reportScheduleId">The schedule id.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>An empty answer.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<EmptyResponse>> CancelReportScheduleAsync(string reportScheduleId, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Delete, "report-schedules/" + Segment(reportScheduleId), null, ApiJsonContext.Default.EmptyResponse, options, ct);

    /// <summary>Get Disbursements: <c>GET disbursements</c> (200): payouts whose time is in [start, end).</summary>
    /// <param name="startTime">The period's start.</param>
    /// <param name="endTime">The period's end, exclusive.</param>
    /// <param name="pageSize">Payouts a page (1–100; the server's default is 100).</param>
    /// <param name="nextToken">The previous page's <c>nextToken</c>.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A page of disbursements and the token of the next.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<DisbursementsDto>> GetDisbursementsAsync(DateTimeOffset startTime, DateTimeOffset endTime, int? pageSize = null,
        string? nextToken = null, RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(
            HttpMethod.Get,
            "disbursements" + Query(
                ("endTime", Time(endTime)), ("nextToken", nextToken), ("pageSize", pageSize?.ToString(CultureInfo.InvariantCulture)),
                ("startTime", Time(startTime))),
            null, ApiJsonContext.Default.DisbursementsDto, options, ct);

    /// <summary>A query string of the parameters that have a value, escaped, in the order given; empty when none has.</summary>
    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? string.Empty : "?" + string.Join('&', given);
    }

    private static string? List(IEnumerable<string>? values) => values is null ? null : string.Join(',', values);

    private static string? Time(DateTimeOffset? time) => time is { } t ? ApiTimestamp.ToText(t) : null;
}
