using Tillpoint.Domain.Reports;

namespace Tillpoint.Server.Commands.Reports;

/// <summary>
/// The reports' use cases: Create Report, the schedules' Create and Cancel, and the time-driven work the sweeper runs
/// (completing reports, deleting expired ones, creating scheduled ones).
/// </summary>
internal static class ReportCommands
{
    /// <summary>Due reports and schedules read per pass.</summary>
    private const int BatchSize = 100;

    public static Result<Report> Create(
        IWriteSession session, Owner owner, DateTimeOffset now, ReportSettings settings, string? reportType, DateTimeOffset startTime, DateTimeOffset endTime)
    {
        var report = Report.Request(
            ReportDocuments.NewReportId(settings.Random), owner.MerchantId, owner.Environment, reportType, startTime, endTime, now, settings.ProcessingTime,
            settings.SandboxReportTypes);
        if (report.IsSuccess)
        {
            session.SaveReport(report.Value);
        }

        return report;
    }

    /// <summary>A report the merchant can see: its own, in this environment, and still kept.</summary>
    public static Report? Current(IReportReader reader, Owner owner, string reportId, DateTimeOffset now) =>
        reader.GetReport(owner.MerchantId, owner.Environment, reportId) is { } report && !report.IsExpired(now) ? report : null;

    /// <summary>Creates a schedule, replacing the one of the same type when asked to (one schedule per type).</summary>
    public static Result<ReportSchedule> CreateSchedule(
        IWriteSession session,
        Owner owner,
        ReportSettings settings,
        string? reportType,
        string? scheduleFrequency,
        DateTimeOffset nextReportCreationTime,
        bool deleteExistingSchedule)
    {
        var existing = session.GetReportSchedules(owner.MerchantId, owner.Environment).FirstOrDefault(s => s.ReportType == reportType);
        var schedule = ReportSchedule.Create(
            ReportDocuments.NewReportScheduleId(settings.Random), owner.MerchantId, owner.Environment, reportType, scheduleFrequency, nextReportCreationTime,
            deleteExistingSchedule, existing, settings.SandboxReportTypes);
        if (schedule.IsSuccess)
        {
            if (existing is not null)
            {
                session.DeleteReportSchedule(owner.MerchantId, owner.Environment, existing.ReportScheduleId);
            }

            session.SaveReportSchedule(schedule.Value);
        }

        return schedule;
    }

    public static DomainError? CancelSchedule(IWriteSession session, Owner owner, string reportScheduleId) =>
        session.DeleteReportSchedule(owner.MerchantId, owner.Environment, reportScheduleId)
            ? null
            : DomainError.NotFound("Report Schedule", reportScheduleId);

    /// <summary>
    /// Does what fell due by <paramref name="now"/> in <paramref name="environment"/>; returns how many reports and
    /// schedules changed. A report's document is built from committed events outside any write, then saved only if the
    /// report is still in progress, so nodes that meet the same work do it once and a long report never holds the writer.
    /// </summary>
    public static async Task<int> SweepAsync(
        ITillpointStore store, ReleaseEnvironment environment, DateTimeOffset now, ReportSettings settings, CancellationToken cancellationToken)
    {
        var changed = 0;
        while (true)
        {
            var due = store.Read(reader => reader.FindDueReportWork(environment, now, BatchSize));
            var before = changed;
            foreach (var work in due)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var owner = new Owner(work.MerchantId, environment);
                changed += work.IsSchedule
                    ? await store.WriteAsync(session => RunSchedule(session, owner, work.Id, now, settings), cancellationToken)
                    : await ProcessReportAsync(store, owner, work.Id, now, settings.Random, cancellationToken);
            }

            // A short batch was all there was; a batch that changed nothing is work not really due (another node has it).
            if (due.Count < BatchSize || changed == before)
            {
                return changed;
            }
        }
    }

    private static async Task<int> ProcessReportAsync(
        ITillpointStore store, Owner owner, string reportId, DateTimeOffset now, RandomSource random, CancellationToken cancellationToken)
    {
        var report = store.Read(reader => reader.GetReport(owner.MerchantId, owner.Environment, reportId));
        if (report is null)
        {
            return 0;
        }

        if (report.IsExpired(now))
        {
            return await store.WriteAsync(session => session.DeleteReport(owner.MerchantId, owner.Environment, reportId) ? 1 : 0, cancellationToken);
        }

        if (report.ProcessingStatus != ProcessingStatus.InProgress || now < report.ReadyAt)
        {
            return 0;
        }

        var (document, rows) = ReportDocuments.Build(store, report);
        return await store.WriteAsync(
            session =>
            {
                var completed = session.GetReport(owner.MerchantId, owner.Environment, reportId)?.Complete(now, ReportDocuments.NewReportDocumentId(random), rows > 0);
                if (completed is not { IsSuccess: true } done)
                {
                    return 0;
                }

                session.SaveReport(done.Value, rows > 0 ? document : null);
                return 1;
            },
            cancellationToken);
    }

    /// <summary>Creates the report of the period just ended and moves the schedule to its next time.</summary>
    private static int RunSchedule(IWriteSession session, Owner owner, string reportScheduleId, DateTimeOffset now, ReportSettings settings)
    {
        if (session.GetReportSchedule(owner.MerchantId, owner.Environment, reportScheduleId)?.Occurrence(now) is not { } occurrence)
        {
            return 0;
        }

        session.SaveReportSchedule(occurrence.Next);
        var report = Report.Request(
            ReportDocuments.NewReportId(settings.Random), owner.MerchantId, owner.Environment, occurrence.Next.ReportType, occurrence.Start, occurrence.End, now,
            settings.ProcessingTime, settings.SandboxReportTypes, reportScheduleId);
        if (report.IsSuccess)
        {
            session.SaveReport(report.Value);
        }

        return 1;
    }
}

/// <summary>What the server's options say about reports: how long one takes, which types the sandbox offers, and where their ids come from.</summary>
internal readonly record struct ReportSettings(TimeSpan ProcessingTime, SandboxReportTypes SandboxReportTypes, RandomSource Random)
{
    public static ReportSettings Of(ServerOptions options) => new(options.ReportProcessingTime, options.Limits.SandboxReportTypes, options.Random);
}
