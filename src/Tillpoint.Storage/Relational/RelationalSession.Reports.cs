using System.Data.Common;
using Tillpoint.Domain;
using Tillpoint.Domain.Reports;

namespace Tillpoint.Storage.Relational;

/// <summary>Reports, their documents and their schedules: plain columns, one statement each, the same on every store.</summary>
internal sealed partial class RelationalSession
{
    private const string ReportColumns =
        """
        report_id, report_type, processing_status, start_time, end_time, created_at, processing_start_time,
               processing_end_time, ready_at, report_document_id, report_schedule_id, merchant_id, environment
        """;

    private const string ScheduleColumns =
        "report_schedule_id, report_type, schedule_frequency, next_report_creation_time, merchant_id, environment";

    private const string DueReportWorkSql =
        """
        SELECT 0, merchant_id, report_id, due_at FROM reports
        WHERE environment = @env AND due_at IS NOT NULL AND due_at <= @now
        UNION ALL
        SELECT 1, merchant_id, report_schedule_id, next_report_creation_time FROM report_schedules
        WHERE environment = @env AND next_report_creation_time <= @now
        ORDER BY 4
        LIMIT @limit
        """;

    public Report? GetReport(string merchantId, ReleaseEnvironment environment, string reportId) =>
        ReadReports($"SELECT {ReportColumns} FROM reports WHERE merchant_id = @m AND environment = @env AND report_id = @id", merchantId, environment, reportId)
            .FirstOrDefault();

    public Report? FindReportByDocument(string merchantId, ReleaseEnvironment environment, string reportDocumentId) =>
        ReadReports(
            $"SELECT {ReportColumns} FROM reports WHERE merchant_id = @m AND environment = @env AND report_document_id = @id",
            merchantId, environment, reportDocumentId).FirstOrDefault();

    public IReadOnlyList<Report> GetReportPage(ReportPageQuery query)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        if (!CanStore(query.MerchantId) || query.After is { } cursor && !CanStore(cursor.ReportId))
        {
            return [];
        }

        // Newest first by (created_at, report_id); the cursor continues strictly after the last row given.
        using var command = Command(
            $"""
            SELECT {ReportColumns} FROM reports
            WHERE merchant_id = @m AND environment = @env AND created_at >= @since AND created_at <= @until
              AND (@first = 1 OR created_at < @afterat OR (created_at = @afterat AND report_id < @afterid))
            ORDER BY created_at DESC, report_id DESC
            LIMIT @limit
            """);
        command.Text("m", query.MerchantId);
        command.Text("env", query.Environment.ToString());
        command.Time("since", query.CreatedSince);
        command.Time("until", query.CreatedUntil);
        // Without a cursor the page starts at the range's newest report.
        command.Int32("first", query.After is null ? 1 : 0);
        command.Time("afterat", query.After?.CreatedTime ?? query.CreatedUntil);
        command.Text("afterid", query.After?.ReportId ?? string.Empty);
        command.Int32("limit", query.Limit);
        return command.ReadAll(ReadReport);
    }

    public byte[]? GetReportDocument(string merchantId, ReleaseEnvironment environment, string reportDocumentId)
    {
        if (!CanStore(merchantId) || !CanStore(reportDocumentId))
        {
            return null;
        }

        using var command = Command("SELECT document FROM reports WHERE merchant_id = @m AND environment = @env AND report_document_id = @id");
        command.Text("m", merchantId);
        command.Text("env", environment.ToString());
        command.Text("id", reportDocumentId);
        using var reader = command.Read();
        return reader.Read() && !reader.IsDBNull(0) ? reader.GetFieldValue<byte[]>(0) : null;
    }

    public IReadOnlyList<ReportSchedule> GetReportSchedules(string merchantId, ReleaseEnvironment environment) =>
        ReadSchedules($"SELECT {ScheduleColumns} FROM report_schedules WHERE merchant_id = @m AND environment = @env ORDER BY report_type", merchantId, environment, null);

    public ReportSchedule? GetReportSchedule(string merchantId, ReleaseEnvironment environment, string reportScheduleId) =>
        ReadSchedules(
            $"SELECT {ScheduleColumns} FROM report_schedules WHERE merchant_id = @m AND environment = @env AND report_schedule_id = @id{(Writes ? Dialect.ForUpdate : string.Empty)}",
            merchantId, environment, reportScheduleId).FirstOrDefault();

    public IReadOnlyList<DueReportWork> FindDueReportWork(ReleaseEnvironment environment, DateTimeOffset now, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var command = Command(DueReportWorkSql);
        command.Text("env", environment.ToString());
        command.Time("now", now);
        command.Int32("limit", limit);
        return command.ReadAll(reader => new DueReportWork(
            Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) == 1,
            reader.GetString(1),
            reader.GetString(2),
            Dialect.GetTime(reader, 3)));
    }

    public void SaveReport(Report report, byte[]? document = null)
    {
        using var command = Command(
            """
            INSERT INTO reports (merchant_id, environment, report_id, report_type, processing_status, start_time, end_time, created_at,
                processing_start_time, processing_end_time, ready_at, report_document_id, report_schedule_id, due_at, document)
            VALUES (@m, @env, @id, @type, @status, @start, @end, @created, @pstart, @pend, @ready, @doc, @schedule, @due, @content)
            ON CONFLICT (merchant_id, environment, report_id) DO UPDATE SET
                processing_status = excluded.processing_status, processing_start_time = excluded.processing_start_time,
                processing_end_time = excluded.processing_end_time, report_document_id = excluded.report_document_id,
                due_at = excluded.due_at, document = coalesce(excluded.document, reports.document)
            """);
        command.Text("m", report.MerchantId);
        command.Text("env", report.Environment.ToString());
        command.Text("id", report.ReportId);
        command.Text("type", report.ReportType);
        command.Text("status", report.ProcessingStatus.ToString());
        command.Time("start", report.StartTime);
        command.Time("end", report.EndTime);
        command.Time("created", report.CreatedTime);
        command.Time("pstart", report.ProcessingStartTime?.ToUnixTimeMilliseconds());
        command.Time("pend", report.ProcessingEndTime?.ToUnixTimeMilliseconds());
        command.Time("ready", CeilingUnixMilliseconds(report.ReadyAt));
        command.Text("doc", report.ReportDocumentId);
        command.Text("schedule", report.ReportScheduleId);
        command.Time("due", CeilingUnixMilliseconds(report.NextDueAt));
        command.Bytes("content", document);
        command.Execute();
    }

    public bool DeleteReport(string merchantId, ReleaseEnvironment environment, string reportId)
    {
        using var command = Command("DELETE FROM reports WHERE merchant_id = @m AND environment = @env AND report_id = @id");
        command.Text("m", merchantId);
        command.Text("env", environment.ToString());
        command.Text("id", reportId);
        return command.Execute() == 1;
    }

    public void SaveReportSchedule(ReportSchedule schedule)
    {
        using var command = Command(
            """
            INSERT INTO report_schedules (merchant_id, environment, report_schedule_id, report_type, schedule_frequency, next_report_creation_time)
            VALUES (@m, @env, @id, @type, @frequency, @next)
            ON CONFLICT (merchant_id, environment, report_schedule_id) DO UPDATE SET
                schedule_frequency = excluded.schedule_frequency, next_report_creation_time = excluded.next_report_creation_time
            """);
        command.Text("m", schedule.MerchantId);
        command.Text("env", schedule.Environment.ToString());
        command.Text("id", schedule.ReportScheduleId);
        command.Text("type", schedule.ReportType);
        command.Text("frequency", schedule.ScheduleFrequency);
        command.Time("next", CeilingUnixMilliseconds(schedule.NextReportCreationTime));
        command.Execute();
    }

    public bool DeleteReportSchedule(string merchantId, ReleaseEnvironment environment, string reportScheduleId)
    {
        if (!CanStore(merchantId) || !CanStore(reportScheduleId))
        {
            return false;
        }

        using var command = Command("DELETE FROM report_schedules WHERE merchant_id = @m AND environment = @env AND report_schedule_id = @id");
        command.Text("m", merchantId);
        command.Text("env", environment.ToString());
        command.Text("id", reportScheduleId);
        return command.Execute() == 1;
    }

    private List<Report> ReadReports(string sql, string merchantId, ReleaseEnvironment environment, string id)
    {
        if (!CanStore(merchantId) || !CanStore(id))
        {
            return [];
        }

        using var command = Command(sql);
        command.Text("m", merchantId);
        command.Text("env", environment.ToString());
        command.Text("id", id);
        return command.ReadAll(ReadReport);
    }

    /// <summary>A row selected as <see cref="ReportColumns"/>.</summary>
    private Report ReadReport(DbDataReader reader) => new()
    {
        ReportId = reader.GetString(0),
        ReportType = reader.GetString(1),
        ProcessingStatus = Enum.Parse<ProcessingStatus>(reader.GetString(2)),
        StartTime = Dialect.GetTime(reader, 3),
        EndTime = Dialect.GetTime(reader, 4),
        CreatedTime = Dialect.GetTime(reader, 5),
        ProcessingStartTime = reader.IsDBNull(6) ? null : Dialect.GetTime(reader, 6),
        ProcessingEndTime = reader.IsDBNull(7) ? null : Dialect.GetTime(reader, 7),
        ReadyAt = Dialect.GetTime(reader, 8),
        ReportDocumentId = reader.IsDBNull(9) ? null : reader.GetString(9),
        ReportScheduleId = reader.IsDBNull(10) ? null : reader.GetString(10),
        MerchantId = reader.GetString(11),
        Environment = Enum.Parse<ReleaseEnvironment>(reader.GetString(12)),
    };

    private List<ReportSchedule> ReadSchedules(string sql, string merchantId, ReleaseEnvironment environment, string? id)
    {
        if (!CanStore(merchantId) || id is not null && !CanStore(id))
        {
            return [];
        }

        using var command = Command(sql);
        command.Text("m", merchantId);
        command.Text("env", environment.ToString());
        if (id is not null)
        {
            command.Text("id", id);
        }

        return command.ReadAll(reader => new ReportSchedule
        {
            ReportScheduleId = reader.GetString(0),
            ReportType = reader.GetString(1),
            ScheduleFrequency = reader.GetString(2),
            NextReportCreationTime = Dialect.GetTime(reader, 3),
            MerchantId = reader.GetString(4),
            Environment = Enum.Parse<ReleaseEnvironment>(reader.GetString(5)),
        });
    }
}
