namespace Tillpoint.Domain.Reports;

/// <summary>Where a report is in its processing (spec §1.8); the wire names are the upper-case forms.</summary>
public enum ProcessingStatus
{
    /// <summary>Being built: it has no document yet.</summary>
    InProgress,

    /// <summary>Built; its document can be downloaded.</summary>
    Completed,

    /// <summary>Aborted on a fatal error.</summary>
    Failed,

    /// <summary>Cancelled before processing, or automatically when the period had no data to report.</summary>
    Cancelled,
}

/// <summary>
/// A report over [<see cref="StartTime"/>, <see cref="EndTime"/>): requested by the merchant or by its schedule, built
/// asynchronously from the ledger's events, and kept for <see cref="Retention"/> after its creation.
/// </summary>
public sealed record Report
{
    /// <summary>How long a report is kept, at most (spec §1.1).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    /// <summary>The longest period one report covers: its retention, so a report never covers more than is kept of reports.</summary>
    public static readonly TimeSpan MaxPeriod = Retention;

    public required string ReportId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required string ReportType { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required DateTimeOffset EndTime { get; init; }

    public required DateTimeOffset CreatedTime { get; init; }

    public ProcessingStatus ProcessingStatus { get; init; } = ProcessingStatus.InProgress;

    public DateTimeOffset? ProcessingStartTime { get; init; }

    public DateTimeOffset? ProcessingEndTime { get; init; }

    /// <summary>Set when the report completed with data; the id its document is downloaded by.</summary>
    public string? ReportDocumentId { get; init; }

    /// <summary>The schedule that created it; null for a report asked for by Create Report.</summary>
    public string? ReportScheduleId { get; init; }

    /// <summary>When its processing is done, for a report in progress.</summary>
    public required DateTimeOffset ReadyAt { get; init; }

    /// <summary>When it is no longer kept.</summary>
    public DateTimeOffset ExpiresAt => CreatedTime + Retention;

    /// <summary>The next time-driven change: completion while in progress, deletion after.</summary>
    public DateTimeOffset NextDueAt => ProcessingStatus == ProcessingStatus.InProgress ? ReadyAt : ExpiresAt;

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>
    /// A new report in progress, from its request at <paramref name="now"/>. Its period must be non-empty, at most
    /// <see cref="MaxPeriod"/> long and over (end not after <paramref name="now"/>): a report covers what happened.
    /// Processing starts at once and takes <paramref name="processingTime"/> of business time.
    /// </summary>
    public static Result<Report> Request(
        string reportId,
        string merchantId,
        ReleaseEnvironment environment,
        string? reportType,
        DateTimeOffset startTime,
        DateTimeOffset endTime,
        DateTimeOffset now,
        TimeSpan processingTime,
        SandboxReportTypes sandboxReportTypes,
        string? reportScheduleId = null)
    {
        if (ReportTypes.Check(reportType, "reportType", environment, sandboxReportTypes, scheduling: reportScheduleId is not null) is { } refused)
        {
            return refused;
        }

        if (endTime <= startTime)
        {
            return DomainError.InvalidValue("endTime", "it must be after startTime.");
        }

        if (endTime - startTime > MaxPeriod)
        {
            return DomainError.InvalidValue("endTime", $"a report covers at most {MaxPeriod.TotalDays} days.");
        }

        if (endTime > now)
        {
            return DomainError.InvalidValue("endTime", "it is in the future; a report covers a period that is over.");
        }

        return new Report
        {
            ReportId = reportId,
            MerchantId = merchantId,
            Environment = environment,
            ReportType = reportType!,
            StartTime = startTime,
            EndTime = endTime,
            CreatedTime = now,
            ProcessingStartTime = now,
            ReadyAt = now + processingTime,
            ReportScheduleId = reportScheduleId,
        };
    }

    /// <summary>
    /// Ends processing at <paramref name="now"/>: Completed with <paramref name="reportDocumentId"/> when the period had
    /// data, otherwise Cancelled, as Amazon cancels a report with nothing to return.
    /// </summary>
    public Result<Report> Complete(DateTimeOffset now, string reportDocumentId, bool hasData)
    {
        if (ProcessingStatus != ProcessingStatus.InProgress)
        {
            return new DomainError(ErrorCode.InvalidRequest, $"The report '{ReportId}' is {ProcessingStatus}; only a report in progress completes.");
        }

        if (now < ReadyAt)
        {
            return new DomainError(ErrorCode.InvalidRequest, $"The report '{ReportId}' is not ready before {ReadyAt:O}.");
        }

        return this with
        {
            ProcessingStatus = hasData ? ProcessingStatus.Completed : ProcessingStatus.Cancelled,
            ProcessingEndTime = now,
            ReportDocumentId = hasData ? reportDocumentId : null,
        };
    }
}
