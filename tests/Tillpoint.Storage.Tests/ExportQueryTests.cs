using Tillpoint.Domain;

namespace Tillpoint.Storage.Tests;

/// <summary>The export reads: a merchant's events by time, a keyset page at a time, and how many a range holds.</summary>
public abstract class ExportQueryTests : IDisposable
{
    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected ExportQueryTests(StoreHarness harness)
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

    private static EventRange Range(ReleaseEnvironment? environment = null, int fromMinute = 0, int toMinute = 60) =>
        new(Objects.MerchantA, environment, Times.T0.AddMinutes(fromMinute), Times.T0.AddMinutes(toMinute));

    private Task AppendAsync(string merchantId, ReleaseEnvironment environment, params DomainEvent[] events) =>
        _store.WriteAsync(w =>
        {
            w.Append(merchantId, environment, events);
            return 0;
        });

    /// <summary>Every page until a short one, the way an export reads.</summary>
    private List<StoredEvent> ReadAll(EventRange range, int pageSize)
    {
        var all = new List<StoredEvent>();
        EventCursor? after = null;
        while (true)
        {
            var page = _store.Read(r => r.GetEventPage(range, after, pageSize));
            all.AddRange(page);
            if (page.Count < pageSize)
            {
                return all;
            }

            after = new EventCursor(page[^1].Event.At, page[^1].EventId);
        }
    }

    [SkippableFact]
    public async Task GetEventPage_ReturnsTheRangeInTimeOrder_FromInclusiveToExclusive()
    {
        // Appended out of time order: the export is in time order, the append order breaking ties.
        await AppendAsync(
            Objects.MerchantA,
            ReleaseEnvironment.Sandbox,
            Objects.Event("C1", "P1", null, "Authorized", Objects.Usd(14m), 30),
            Objects.Event("C0", "P0", null, "Authorized", Objects.Usd(1m), -1),
            Objects.Event("C2", "P2", null, "Authorized", Objects.Usd(2m), 0),
            Objects.Event("C3", "P3", null, "Authorized", Objects.Usd(3m), 0),
            Objects.Event("C4", "P4", null, "Authorized", Objects.Usd(4m), 60));

        var events = _store.Read(r => r.GetEventPage(Range(), null, 100));

        Assert.Equal(["C2", "C3", "C1"], events.Select(e => e.Event.ObjectId));
        Assert.Equal([Times.T0, Times.T0, Times.T0.AddMinutes(30)], events.Select(e => e.Event.At));
        Assert.Equal("14.00", events[2].Event.Amount!.Value.ToAmountString());
        Assert.All(events, e => Assert.Equal(Objects.MerchantA, e.MerchantId));
        Assert.Equal(3, _store.Read(r => r.CountEvents(Range())));
    }

    [SkippableFact]
    public async Task GetEventPage_InPagesOfOne_ReturnsEveryEventOnceAcrossTiesInOneMillisecond()
    {
        for (var i = 0; i < 7; i++)
        {
            await AppendAsync(Objects.MerchantA, ReleaseEnvironment.Sandbox, Objects.Event($"C{i}", "P1", null, "Authorized", null, i / 3));
        }

        var paged = ReadAll(Range(), pageSize: 1);
        var byThree = ReadAll(Range(), pageSize: 3);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"C{i}"), paged.Select(e => e.Event.ObjectId));
        Assert.Equal(paged.Select(e => e.EventId), byThree.Select(e => e.EventId));
    }

    [SkippableFact]
    public async Task GetEventPage_WithAnEnvironment_KeepsToIt_AndWithoutOne_TakesBoth()
    {
        await AppendAsync(Objects.MerchantA, ReleaseEnvironment.Sandbox, Objects.Event("S1", null, null, "Authorized", null, 1));
        await AppendAsync(Objects.MerchantA, ReleaseEnvironment.Live, Objects.Event("L1", null, null, "Authorized", null, 2));

        Assert.Equal(["S1"], _store.Read(r => r.GetEventPage(Range(ReleaseEnvironment.Sandbox), null, 10)).Select(e => e.Event.ObjectId));
        Assert.Equal(["L1"], _store.Read(r => r.GetEventPage(Range(ReleaseEnvironment.Live), null, 10)).Select(e => e.Event.ObjectId));
        var both = _store.Read(r => r.GetEventPage(Range(), null, 10));
        Assert.Equal([ReleaseEnvironment.Sandbox, ReleaseEnvironment.Live], both.Select(e => e.Environment));
        Assert.Equal(1, _store.Read(r => r.CountEvents(Range(ReleaseEnvironment.Live))));
    }

    [SkippableFact]
    public async Task GetEventPage_OfAnotherMerchant_AndOfAnEmptyRange_IsEmpty()
    {
        await AppendAsync(Objects.MerchantB, ReleaseEnvironment.Sandbox, Objects.Event("B1", null, null, "Authorized", null, 1));
        await AppendAsync(Objects.MerchantA, ReleaseEnvironment.Sandbox, Objects.Event("A1", null, null, "Authorized", null, 10));

        Assert.Equal(["A1"], _store.Read(r => r.GetEventPage(Range(), null, 10)).Select(e => e.Event.ObjectId));
        Assert.Empty(_store.Read(r => r.GetEventPage(Range(fromMinute: 11, toMinute: 20), null, 10)));
        Assert.Equal(0, _store.Read(r => r.CountEvents(Range(fromMinute: 0, toMinute: 10))));
    }

    [SkippableFact]
    public void Open_NewStore_ReportsEveryMigrationApplied_AndReopeningReportsNone()
    {
        var schema = Assert.IsAssignableFrom<IStoreSchema>(_store);
        using var reopened = _harness.Open();

        Assert.Equal(Enumerable.Range(1, _harness.LatestVersion), schema.MigrationsApplied);
        Assert.Equal(_harness.LatestVersion, schema.SchemaVersion);
        Assert.Empty(Assert.IsAssignableFrom<IStoreSchema>(reopened).MigrationsApplied);
    }
}

public sealed class SqliteExportQueryTests() : ExportQueryTests(new SqliteHarness());

public sealed class PostgresExportQueryTests(PostgresDatabaseFixture database) : ExportQueryTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
