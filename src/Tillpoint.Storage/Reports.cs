using Tillpoint.Domain;
using Tillpoint.Domain.Reports;

namespace Tillpoint.Storage;

/// <summary>
/// A page of a merchant's reports in one environment, newest first: created in [<paramref name="CreatedSince"/>,
/// <paramref name="CreatedUntil"/>], continuing after <paramref name="After"/> (from the newest when null).
/// </summary>
public sealed record ReportPageQuery(
    string MerchantId,
    ReleaseEnvironment Environment,
    DateTimeOffset CreatedSince,
    DateTimeOffset CreatedUntil,
    ReportCursor? After,
    int Limit);

/// <summary>Where a page of reports ended: the next page continues with older reports (keyset paging).</summary>
public readonly record struct ReportCursor(DateTimeOffset CreatedTime, string ReportId);

/// <summary>Reports and schedules with a time-driven change due: <paramref name="IsSchedule"/> tells which.</summary>
public sealed record DueReportWork(bool IsSchedule, string MerchantId, string Id, DateTimeOffset DueAt);

/// <summary>Reads of reports, their documents and their schedules. Every read is scoped to a merchant and environment.</summary>
public interface IReportReader
{
    Report? GetReport(string merchantId, ReleaseEnvironment environment, string reportId);

    /// <summary>The report whose document has this id.</summary>
    Report? FindReportByDocument(string merchantId, ReleaseEnvironment environment, string reportDocumentId);

    IReadOnlyList<Report> GetReportPage(ReportPageQuery query);

    /// <summary>The document's bytes, or null when no such document is kept.</summary>
    byte[]? GetReportDocument(string merchantId, ReleaseEnvironment environment, string reportDocumentId);

    /// <summary>In report type order.</summary>
    IReadOnlyList<ReportSchedule> GetReportSchedules(string merchantId, ReleaseEnvironment environment);

    ReportSchedule? GetReportSchedule(string merchantId, ReleaseEnvironment environment, string reportScheduleId);

    /// <summary>Reports to complete or delete and schedules to run in <paramref name="environment"/> by <paramref name="now"/>, earliest first.</summary>
    IReadOnlyList<DueReportWork> FindDueReportWork(ReleaseEnvironment environment, DateTimeOffset now, int limit);
}

/// <summary>Writes of reports and schedules, inside a command's transaction.</summary>
public interface IReportWriter
{
    /// <summary>Inserts or replaces the report; <paramref name="document"/> is stored with a completed one.</summary>
    void SaveReport(Report report, byte[]? document = null);

    bool DeleteReport(string merchantId, ReleaseEnvironment environment, string reportId);

    /// <summary>
    /// Inserts or replaces the schedule by its id. A merchant has one schedule per report type in an environment: saving
    /// another of a type already scheduled is a conflict, so replacing one is delete then save.
    /// </summary>
    void SaveReportSchedule(ReportSchedule schedule);

    bool DeleteReportSchedule(string merchantId, ReleaseEnvironment environment, string reportScheduleId);
}
