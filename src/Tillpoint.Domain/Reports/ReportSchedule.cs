namespace Tillpoint.Domain.Reports;

/// <summary>
/// A report made every <see cref="Period"/> (spec §1.6): one schedule per report type and merchant. When
/// <see cref="NextReportCreationTime"/> comes, a report of the period that just ended is created and the next time moves
/// one period on. A time already past when the schedule is created (the SDKs' own tests send one) is accepted: the
/// first report covers the latest whole period, and occurrences missed before it are not made one by one.
/// </summary>
public sealed record ReportSchedule
{
    public required string ReportScheduleId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required string ReportType { get; init; }

    /// <summary>The ISO 8601 duration as given (PT84H, P1D, …): one of <see cref="Frequencies"/>.</summary>
    public required string ScheduleFrequency { get; init; }

    public required DateTimeOffset NextReportCreationTime { get; init; }

    public TimeSpan Period => Frequencies[ScheduleFrequency];

    /// <summary>The frequencies the API takes (the .NET SDK's enum; any other value breaks its clients).</summary>
    public static IReadOnlyDictionary<string, TimeSpan> Frequencies { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["PT5M"] = TimeSpan.FromMinutes(5),
        ["PT15M"] = TimeSpan.FromMinutes(15),
        ["PT30M"] = TimeSpan.FromMinutes(30),
        ["PT1H"] = TimeSpan.FromHours(1),
        ["PT2H"] = TimeSpan.FromHours(2),
        ["PT4H"] = TimeSpan.FromHours(4),
        ["PT8H"] = TimeSpan.FromHours(8),
        ["PT12H"] = TimeSpan.FromHours(12),
        ["PT24H"] = TimeSpan.FromHours(24),
        ["PT84H"] = TimeSpan.FromHours(84),
        ["P1D"] = TimeSpan.FromDays(1),
        ["P2D"] = TimeSpan.FromDays(2),
        ["P3D"] = TimeSpan.FromDays(3),
        ["P7D"] = TimeSpan.FromDays(7),
        ["P14D"] = TimeSpan.FromDays(14),
        ["P15D"] = TimeSpan.FromDays(15),
        ["P18D"] = TimeSpan.FromDays(18),
        ["P30D"] = TimeSpan.FromDays(30),
    };

    /// <summary>
    /// A new schedule. <paramref name="existing"/> is the merchant's schedule of the same type, if any: it is replaced
    /// only with <paramref name="deleteExistingSchedule"/>, otherwise the request is refused.
    /// </summary>
    public static Result<ReportSchedule> Create(
        string reportScheduleId,
        string merchantId,
        ReleaseEnvironment environment,
        string? reportType,
        string? scheduleFrequency,
        DateTimeOffset nextReportCreationTime,
        bool deleteExistingSchedule,
        ReportSchedule? existing,
        SandboxReportTypes sandboxReportTypes)
    {
        if (ReportTypes.Check(reportType, "reportType", environment, sandboxReportTypes, scheduling: true) is { } refused)
        {
            return refused;
        }

        if (scheduleFrequency is null)
        {
            return DomainError.Missing("scheduleFrequency");
        }

        if (!Frequencies.ContainsKey(scheduleFrequency))
        {
            return DomainError.InvalidValue("scheduleFrequency", $"'{scheduleFrequency}' is not one of {string.Join(", ", Frequencies.Keys)}.");
        }

        if (existing is not null && !deleteExistingSchedule)
        {
            return new DomainError(
                ErrorCode.InvalidRequest,
                $"A schedule for {reportType} already exists ('{existing.ReportScheduleId}'); set deleteExistingSchedule to true to replace it.");
        }

        return new ReportSchedule
        {
            ReportScheduleId = reportScheduleId,
            MerchantId = merchantId,
            Environment = environment,
            ReportType = reportType!,
            ScheduleFrequency = scheduleFrequency,
            NextReportCreationTime = nextReportCreationTime,
        };
    }

    public bool IsDue(DateTimeOffset now) => now >= NextReportCreationTime;

    /// <summary>
    /// The occurrence due at <paramref name="now"/>: the period of the report to create (the whole period ending at the
    /// latest creation time not after <paramref name="now"/>) and the schedule moved to the first creation time after it.
    /// Null when nothing is due.
    /// </summary>
    public (DateTimeOffset Start, DateTimeOffset End, ReportSchedule Next)? Occurrence(DateTimeOffset now)
    {
        if (!IsDue(now))
        {
            return null;
        }

        var period = Period;
        var elapsed = (now - NextReportCreationTime).Ticks / period.Ticks;
        var end = NextReportCreationTime + TimeSpan.FromTicks(elapsed * period.Ticks);
        return (end - period, end, this with { NextReportCreationTime = end + period });
    }
}
