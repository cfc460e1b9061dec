using Tillpoint.Domain;
using Tillpoint.Domain.Reports;

namespace Tillpoint.Storage.Tests;

public abstract class ReportStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected ReportStoreTests(StoreHarness harness)
    {
        _harness = harness;
        _store = harness.Open();
    }

    public void Dispose()
    {
        _store.Dispose();
        _harness.Dispose();
        GC.SuppressFinalize(this);
    }

    private static Report NewReport(string id, DateTimeOffset created, string merchant = "M1", ReleaseEnvironment environment = ReleaseEnvironment.Sandbox) =>
        Report.Request(
            id, merchant, environment, environment == ReleaseEnvironment.Sandbox ? ReportTypes.SandboxSettlement : ReportTypes.Capture,
            created.AddDays(-2), created.AddDays(-1), created, TimeSpan.FromSeconds(10), SandboxReportTypes.Every).Value!;

    private static ReportSchedule NewSchedule(string id, DateTimeOffset next, string merchant = "M1") =>
        ReportSchedule.Create(id, merchant, ReleaseEnvironment.Sandbox, ReportTypes.SandboxSettlement, "P1D", next, false, null, SandboxReportTypes.Every).Value!;

    private Task Write(Action<IWriteSession> write) => _store.WriteAsync(w =>
    {
        write(w);
        return 0;
    });

    [SkippableFact]
    public async Task SaveReport_InProgress_ReadsBackEveryField()
    {
        var report = NewReport("10000000001", T0) with { ReportScheduleId = "50000000001" };
        await Write(w => w.SaveReport(report));

        var read = _store.Read(r => r.GetReport("M1", ReleaseEnvironment.Sandbox, "10000000001"));

        Assert.Equal(report, read);
        Assert.Null(_store.Read(r => r.GetReport("M2", ReleaseEnvironment.Sandbox, "10000000001")));
        Assert.Null(_store.Read(r => r.GetReport("M1", ReleaseEnvironment.Live, "10000000001")));
    }

    [SkippableFact]
    public async Task SaveReport_Completed_KeepsItsDocument_FoundByDocumentId()
    {
        var report = NewReport("10000000001", T0);
        await Write(w => w.SaveReport(report));
        var done = report.Complete(T0.AddMinutes(1), "amzn1.tortuga.0.d.1", hasData: true).Value!;
        await Write(w => w.SaveReport(done, [1, 2, 3]));

        Assert.Equal(done, _store.Read(r => r.GetReport("M1", ReleaseEnvironment.Sandbox, "10000000001")));
        Assert.Equal(done, _store.Read(r => r.FindReportByDocument("M1", ReleaseEnvironment.Sandbox, "amzn1.tortuga.0.d.1")));
        Assert.Equal([1, 2, 3], _store.Read(r => r.GetReportDocument("M1", ReleaseEnvironment.Sandbox, "amzn1.tortuga.0.d.1")));
        Assert.Null(_store.Read(r => r.GetReportDocument("M2", ReleaseEnvironment.Sandbox, "amzn1.tortuga.0.d.1")));
        Assert.Null(_store.Read(r => r.GetReportDocument("M1", ReleaseEnvironment.Sandbox, "amzn1.tortuga.0.d.2")));
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM reports"));
    }

    [SkippableFact]
    public async Task GetReportPage_NewestFirst_InTheCreationRange_ContinuingAfterTheCursor()
    {
        await Write(w =>
        {
            for (var i = 1; i <= 5; i++)
            {
                w.SaveReport(NewReport($"1000000000{i}", T0.AddHours(i)));
            }

            // Same creation time: the id breaks the tie.
            w.SaveReport(NewReport("10000000009", T0.AddHours(3)));
            w.SaveReport(NewReport("10000000008", T0.AddHours(3), merchant: "M2"));
            w.SaveReport(NewReport("10000000007", T0.AddHours(3), environment: ReleaseEnvironment.Live));
        });
        IReadOnlyList<Report> Page(ReportCursor? after, int limit) => _store.Read(r => r.GetReportPage(
            new ReportPageQuery("M1", ReleaseEnvironment.Sandbox, T0.AddHours(2), T0.AddHours(4), after, limit)));

        var first = Page(null, 2);
        var second = Page(new ReportCursor(first[^1].CreatedTime, first[^1].ReportId), 2);

        Assert.Equal(["10000000004", "10000000009"], first.Select(r => r.ReportId));
        Assert.Equal(["10000000003", "10000000002"], second.Select(r => r.ReportId));
        Assert.Empty(Page(new ReportCursor(second[^1].CreatedTime, second[^1].ReportId), 2));
    }

    [SkippableFact]
    public async Task DeleteReport_RemovesItAndItsDocument()
    {
        await Write(w => w.SaveReport(NewReport("10000000001", T0).Complete(T0.AddMinutes(1), "d1", true).Value!, [9]));

        Assert.True(await _store.WriteAsync(w => w.DeleteReport("M1", ReleaseEnvironment.Sandbox, "10000000001")));
        Assert.False(await _store.WriteAsync(w => w.DeleteReport("M1", ReleaseEnvironment.Sandbox, "10000000001")));
        Assert.Null(_store.Read(r => r.GetReportDocument("M1", ReleaseEnvironment.Sandbox, "d1")));
    }

    [SkippableFact]
    public async Task Schedules_SaveReadReplaceDelete()
    {
        var schedule = NewSchedule("50000000001", T0);
        await Write(w => w.SaveReportSchedule(schedule));
        await Write(w => w.SaveReportSchedule(schedule with { NextReportCreationTime = T0.AddDays(1) }));

        Assert.Equal(schedule with { NextReportCreationTime = T0.AddDays(1) }, _store.Read(r => r.GetReportSchedule("M1", ReleaseEnvironment.Sandbox, "50000000001")));
        Assert.Single(_store.Read(r => r.GetReportSchedules("M1", ReleaseEnvironment.Sandbox)));
        Assert.Empty(_store.Read(r => r.GetReportSchedules("M2", ReleaseEnvironment.Sandbox)));
        Assert.False(await _store.WriteAsync(w => w.DeleteReportSchedule("M2", ReleaseEnvironment.Sandbox, "50000000001")));
        Assert.True(await _store.WriteAsync(w => w.DeleteReportSchedule("M1", ReleaseEnvironment.Sandbox, "50000000001")));
        Assert.Null(_store.Read(r => r.GetReportSchedule("M1", ReleaseEnvironment.Sandbox, "50000000001")));
    }

    [SkippableFact]
    public async Task Schedules_ASecondOfTheSameType_IsRefusedByTheStore()
    {
        await Write(w => w.SaveReportSchedule(NewSchedule("50000000001", T0)));

        await Assert.ThrowsAnyAsync<Exception>(() => Write(w => w.SaveReportSchedule(NewSchedule("50000000002", T0))));
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM report_schedules"));
    }

    [SkippableFact]
    public async Task DueReportWork_ReportsAndSchedules_EarliestFirst_OnlyWhatIsDue()
    {
        var report = NewReport("10000000001", T0);
        await Write(w =>
        {
            w.SaveReport(report);
            w.SaveReportSchedule(NewSchedule("50000000001", T0.AddSeconds(5)));
            w.SaveReportSchedule(NewSchedule("50000000002", T0.AddDays(2), merchant: "M2"));
        });

        var found = _store.Read(r => r.FindDueReportWork(ReleaseEnvironment.Sandbox, T0.AddSeconds(10), 10));

        Assert.Equal([(true, "50000000001"), (false, "10000000001")], found.Select(w => (w.IsSchedule, w.Id)));
        Assert.Equal(report.ReadyAt, found[1].DueAt);
        Assert.Single(_store.Read(r => r.FindDueReportWork(ReleaseEnvironment.Sandbox, T0.AddSeconds(10), 1)));
        Assert.Empty(_store.Read(r => r.FindDueReportWork(ReleaseEnvironment.Live, T0.AddDays(3), 10)));
        Assert.Empty(_store.Read(r => r.FindDueReportWork(ReleaseEnvironment.Sandbox, T0.AddSeconds(4), 10)));
    }
}

public sealed class SqliteReportStoreTests() : ReportStoreTests(new SqliteHarness());

public sealed class PostgresReportStoreTests(PostgresDatabaseFixture database) : ReportStoreTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
