using Tillpoint.Domain;
using Tillpoint.Domain.Charges;
using Tillpoint.Storage.Relational;
using static Tillpoint.Storage.Tests.Objects;

namespace Tillpoint.Storage.Tests;

/// <summary>The dashboard's list queries: filters, keyset pages, bounded sizes and counts, on both stores.</summary>
public abstract class BrowsingTests : IDisposable
{
    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected BrowsingTests(StoreHarness harness)
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

    protected ITillpointStore Store => _store;

    [SkippableFact]
    public async Task Browse_PagesNewestFirst_TiesByIdDescending_WithoutRepeatsOrGaps()
    {
        // Four charges share a creation time, so the id decides their order and the cursor must carry it.
        await SaveChargesAsync(Enumerable.Range(0, 7).Select(i => Charge($"C{i}", "P1", createdAt: Times.T0.AddMinutes(i < 4 ? 0 : i))));

        var seen = new List<string>();
        BrowseCursor? after = null;
        var pages = 0;
        do
        {
            var page = _store.Read(r => r.Browse(new BrowseFilter(ObjectType.Charge), after, 3));
            Assert.True(page.Rows.Count <= 3);
            seen.AddRange(page.Rows.Select(row => row.ObjectId));
            after = page.Next;
            pages++;
        }
        while (after is not null && pages < 10);

        Assert.Equal(["C6", "C5", "C4", "C3", "C2", "C1", "C0"], seen);
        Assert.Equal(3, pages);
    }

    [SkippableFact]
    public async Task Browse_RowsCarryTheListedColumns()
    {
        await SaveChargesAsync([Charge("C1", "P1") with { MerchantMetadata = new MerchantMetadata("order-77", null, null, null) }]);

        var row = Assert.Single(_store.Read(r => r.Browse(new BrowseFilter(ObjectType.Charge), null, 25)).Rows);

        Assert.Equal(new BrowseRow(ObjectType.Charge, MerchantA, ReleaseEnvironment.Sandbox, "C1", "Authorized", Usd(14.00m), "order-77", Times.T0), row);
    }

    [SkippableFact]
    public async Task Browse_EachFilter_NarrowsToItsMatches()
    {
        await SaveChargesAsync(
        [
            Charge("C1", "P1", createdAt: Times.T0) with { MerchantMetadata = new MerchantMetadata("ref-1", null, null, null) },
            Charge("C2", "P1", createdAt: Times.T0.AddDays(1)) with { ChargeAmount = Usd(50m), State = ChargeState.Captured },
            Charge("C3", "P2", merchantId: MerchantB, createdAt: Times.T0.AddDays(2)),
            Charge("C4", "P3", createdAt: Times.T0.AddDays(3), environment: ReleaseEnvironment.Live) with { ChargeAmount = Usd(99.99m) },
        ]);

        string[] Ids(BrowseFilter filter) => [.. _store.Read(r => r.Browse(filter, null, 25)).Rows.Select(row => row.ObjectId)];
        var all = new BrowseFilter(ObjectType.Charge);

        Assert.Equal(["C1"], Ids(all with { MerchantReference = "ref-1" }));
        Assert.Equal(["C3"], Ids(all with { MerchantId = MerchantB }));
        Assert.Equal(["C4"], Ids(all with { Environment = ReleaseEnvironment.Live }));
        Assert.Equal(["C2"], Ids(all with { State = "Captured" }));
        Assert.Equal(["C2"], Ids(all with { ObjectId = "C2" }));
        Assert.Equal(["C4", "C2"], Ids(all with { AmountMin = 14.01m }));
        Assert.Equal(["C3", "C1"], Ids(all with { AmountMax = 14.00m }));
        Assert.Equal(["C3", "C2"], Ids(all with { CreatedFrom = Times.T0.AddDays(1), CreatedBefore = Times.T0.AddDays(3) }));
        Assert.Equal(["C1"], Ids(all with { MerchantId = MerchantA, Environment = ReleaseEnvironment.Sandbox, State = "Authorized" }));
        Assert.Empty(Ids(all with { ObjectId = "C\0" }));
    }

    [SkippableFact]
    public async Task Browse_AskedForMoreThanTheMaximum_ReturnsAtMost100Rows()
    {
        await SaveChargesAsync(Enumerable.Range(0, 105).Select(i => Charge($"C{i:D3}", "P1", createdAt: Times.T0.AddSeconds(i))));

        var page = _store.Read(r => r.Browse(new BrowseFilter(ObjectType.Charge), null, 10_000));

        Assert.Equal(IStoreBrowsing.MaxPageSize, page.Rows.Count);
        Assert.Equal("C104", page.Rows[0].ObjectId);
        Assert.NotNull(page.Next);
    }

    [SkippableFact]
    public async Task Browse_SeesStateAndReferenceChanges_MadeBySave()
    {
        var permission = Permission("P1");
        await _store.WriteAsync(w => w.Save(permission));
        var stored = _store.Read(r => r.GetChargePermission(MerchantA, "P1"))!;
        await _store.WriteAsync(w => w.Save(stored with
        {
            MerchantMetadata = new MerchantMetadata("order-2", null, null, null),
            State = Domain.ChargePermissions.ChargePermissionState.Closed,
        }));

        var row = Assert.Single(_store.Read(r => r.Browse(new BrowseFilter(ObjectType.ChargePermission) { MerchantReference = "order-2" }, null, 25)).Rows);

        Assert.Equal(("Closed", "order-2", (Money?)Usd(16.10m)), (row.State, row.MerchantReference, row.Amount));
        Assert.Empty(_store.Read(r => r.Browse(new BrowseFilter(ObjectType.ChargePermission) { MerchantReference = "order-1" }, null, 25)).Rows);
    }

    [SkippableFact]
    public async Task Browse_SeesEachColumnChange_MadeByACommandThatReadTheRow()
    {
        // A command that read the row rewrites only the list columns that changed (SQLite); each must still land.
        await SaveChargesAsync([Charge("C1", "P1")]);
        BrowseRow Row() => Assert.Single(_store.Read(r => r.Browse(new BrowseFilter(ObjectType.Charge), null, 25)).Rows);
        Task Change(Func<Charge, Charge> change) => _store.WriteAsync(w => w.Save(change(w.GetCharge(MerchantA, "C1")!)));

        await Change(c => c);
        Assert.Equal(("Authorized", (string?)null, (Money?)Usd(14.00m)), (Row().State, Row().MerchantReference, Row().Amount));
        Assert.Single(_store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, DateTimeOffset.MaxValue, 10)));

        await Change(c => c with { MerchantMetadata = new MerchantMetadata("order-9", null, null, null) });
        Assert.Equal(("Authorized", "order-9", (Money?)Usd(14.00m)), (Row().State, Row().MerchantReference, Row().Amount));

        await Change(c => c with { ChargeAmount = Usd(12.50m) });
        Assert.Equal(("Authorized", "order-9", (Money?)Usd(12.50m)), (Row().State, Row().MerchantReference, Row().Amount));

        // Captured: the state changes and the charge is no longer due (its due_at goes).
        await _store.WriteAsync(w =>
        {
            var saved = w.Save(w.GetCharge(MerchantA, "C1")! with { State = ChargeState.Captured });
            return w.Save(saved with { MerchantMetadata = new MerchantMetadata("order-10", null, null, null) });
        });
        Assert.Equal(("Captured", "order-10", (Money?)Usd(12.50m)), (Row().State, Row().MerchantReference, Row().Amount));
        Assert.Empty(_store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, DateTimeOffset.MaxValue, 10)));
        Assert.Equal(6, _store.Read(r => r.GetCharge(MerchantA, "C1"))!.Version);
    }

    [SkippableFact]
    public async Task Browse_ListsSessionsAndRefundsToo()
    {
        await _store.WriteAsync(w =>
        {
            w.Save(Session("cs-1") with { MerchantMetadata = new MerchantMetadata("order-9", null, null, null) });
            w.Save(Charge("C1", "P1") with { State = ChargeState.Captured, CaptureAmount = Usd(14m) });
            w.Save(Refund("R1", "C1", "P1"));
            return 0;
        });

        var session = Assert.Single(_store.Read(r => r.Browse(new BrowseFilter(ObjectType.CheckoutSession) { MerchantReference = "order-9" }, null, 25)).Rows);
        var refund = Assert.Single(_store.Read(r => r.Browse(new BrowseFilter(ObjectType.Refund) { State = "RefundInitiated" }, null, 25)).Rows);

        Assert.Equal(("cs-1", "Open"), (session.ObjectId, session.State));
        Assert.Equal("R1", refund.ObjectId);
        Assert.NotNull(refund.Amount);
    }

    [SkippableFact]
    public async Task CountInState_CountsNoFurtherThanTheCap()
    {
        await SaveChargesAsync(Enumerable.Range(0, 12).Select(i => Charge($"C{i}", "P1")));

        Assert.Equal(12, _store.Read(r => r.CountInState(ObjectType.Charge, "Authorized", 100)));
        Assert.Equal(10, _store.Read(r => r.CountInState(ObjectType.Charge, "Authorized", 10)));
        Assert.Equal(0, _store.Read(r => r.CountInState(ObjectType.Charge, "Captured", 100)));
    }

    [SkippableFact]
    public async Task RecentEvents_AreNewestFirst_AcrossMerchants()
    {
        await _store.WriteAsync(w =>
        {
            w.Append(MerchantA, ReleaseEnvironment.Sandbox, [Event("C1", "P1", null, "Authorized", Usd(14m), 1)]);
            w.Append(MerchantB, ReleaseEnvironment.Live, [Event("C2", "P2", "Authorized", "Captured", Usd(3m), 2)]);
            return 0;
        });

        var events = _store.Read(r => r.RecentEvents(10));

        Assert.Equal([("C2", MerchantB), ("C1", MerchantA)], events.Select(e => (e.Event.ObjectId, e.MerchantId)));
        Assert.Equal(Usd(3m), events[0].Event.Amount);
    }

    [SkippableTheory]
    [InlineData("none")]
    [InlineData("merchant")]
    [InlineData("state")]
    [InlineData("reference")]
    [InlineData("id")]
    [InlineData("after")]
    public void Browse_QueryPlan_UsesAnIndex(string criterion)
    {
        var filter = criterion switch
        {
            "merchant" => new BrowseFilter(ObjectType.Charge) { MerchantId = MerchantA },
            "state" => new BrowseFilter(ObjectType.Charge) { State = "Authorized" },
            "reference" => new BrowseFilter(ObjectType.Charge) { MerchantReference = "order-1" },
            "id" => new BrowseFilter(ObjectType.Charge) { ObjectId = "C1" },
            _ => new BrowseFilter(ObjectType.Charge),
        };
        var after = criterion == "after" ? new BrowseCursor(Times.T0, "C1") : null;

        var plan = PlanOf(filter, after);

        AssertUsesIndex(plan);
    }

    protected abstract string PlanOf(BrowseFilter filter, BrowseCursor? after);

    protected abstract void AssertUsesIndex(string plan);

    private Task SaveChargesAsync(IEnumerable<Charge> charges) => _store.WriteAsync(w =>
    {
        foreach (var charge in charges)
        {
            w.Save(charge);
        }

        return 0;
    });
}

public sealed class SqliteBrowsingTests() : BrowsingTests(new SqliteHarness())
{
    protected override string PlanOf(BrowseFilter filter, BrowseCursor? after) =>
        Store.Read(r => ((RelationalSession)r).PlanOfBrowse(filter, after));

    /// <summary>Every step searches or walks an index, and the newest-first order comes from it (no sort).</summary>
    protected override void AssertUsesIndex(string plan)
    {
        Assert.Contains(" INDEX ", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN charges\n", plan + "\n", StringComparison.Ordinal);
        if (!plan.Contains("charges_by_id", StringComparison.Ordinal) && !plan.Contains("charges_by_reference", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        }
    }
}

public sealed class PostgresBrowsingTests(PostgresDatabaseFixture database) : BrowsingTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>
{
    protected override string PlanOf(BrowseFilter filter, BrowseCursor? after) =>
        Store.Read(r => ((RelationalSession)r).PlanOfBrowse(filter, after));

    protected override void AssertUsesIndex(string plan)
    {
        Assert.Contains("Index", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }
}
