using Microsoft.Data.Sqlite;
using Tillpoint.Storage.Sqlite;
using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Storage.Tests;

public abstract class DueWorkTests : IDisposable
{
    private static readonly DateTimeOffset Far = Times.T0.AddYears(1);

    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected DueWorkTests(StoreHarness harness)
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

    private long? DueAt(string table, string idColumn, string id)
    {
        var found = _harness.Scalar($"SELECT count(*) FROM {table} WHERE {idColumn} = '{id}' AND due_at IS NOT NULL");
        return found == 0 ? null : _harness.Scalar($"SELECT {_harness.UnixMilliseconds("due_at")} FROM {table} WHERE {idColumn} = '{id}'");
    }

    [SkippableFact]
    public async Task Save_EachAggregate_WritesItsNextDueAt()
    {
        await _store.WriteAsync(w =>
        {
            w.Save(Objects.Session("cs-1"));
            w.Save(Objects.Permission("P1"));
            w.Save(Objects.Charge("C1", "P1"));
            w.Save(Objects.Refund("R1", "C1", "P1"));
            return 0;
        });

        Assert.Equal(Times.T0.AddHours(24).ToUnixTimeMilliseconds(), DueAt("checkout_sessions", "checkout_session_id", "cs-1"));
        Assert.Equal(Times.T0.AddDays(180).ToUnixTimeMilliseconds(), DueAt("charge_permissions", "charge_permission_id", "P1"));
        Assert.Equal(Times.T0.AddDays(30).ToUnixTimeMilliseconds(), DueAt("charges", "charge_id", "C1"));
        Assert.Equal(Times.T0.AddSeconds(30).ToUnixTimeMilliseconds(), DueAt("refunds", "refund_id", "R1"));
    }

    [SkippableFact]
    public async Task Save_AggregatesReachingAFinalState_ClearsDueAt()
    {
        var (session, permission, charge, refund) = await _store.WriteAsync(w => (
            w.Save(Objects.Session("cs-1")),
            w.Save(Objects.Permission("P1")),
            w.Save(Objects.Charge("C1", "P1")),
            w.Save(Objects.Refund("R1", "C1", "P1"))));

        await _store.WriteAsync(w =>
        {
            w.Save(session with { State = CheckoutSessionState.Completed });
            w.Save(permission with { State = ChargePermissionState.Closed });
            w.Save(charge with { State = ChargeState.Captured, CaptureAmount = charge.ChargeAmount });
            w.Save(refund.Settle().Value);
            return 0;
        });

        Assert.Null(DueAt("checkout_sessions", "checkout_session_id", "cs-1"));
        Assert.Null(DueAt("charge_permissions", "charge_permission_id", "P1"));
        Assert.Null(DueAt("charges", "charge_id", "C1"));
        Assert.Null(DueAt("refunds", "refund_id", "R1"));
        Assert.Empty(_store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Far, 100)));
    }

    [SkippableFact]
    public async Task Save_ChargeMovingFromPendingToAuthorized_MovesDueAtToItsExpiry()
    {
        var pending = await _store.WriteAsync(w => w.Save(Objects.Charge("C1", "P1") with
        {
            State = ChargeState.AuthorizationInitiated,
            PendingUntil = Times.T0.AddSeconds(30),
            PendingOutcome = PendingOutcome.Authorize,
        }));
        Assert.Equal(Times.T0.AddSeconds(30).ToUnixTimeMilliseconds(), DueAt("charges", "charge_id", "C1"));

        await _store.WriteAsync(w => w.Save(pending.Advance().Value));

        var authorized = _store.Read(r => r.GetCharge(Objects.MerchantA, "C1"))!;
        Assert.Equal(ChargeState.Authorized, authorized.State);
        Assert.Equal(authorized.ExpirationTimestamp.ToUnixTimeMilliseconds(), DueAt("charges", "charge_id", "C1"));
        Assert.True(authorized.ExpirationTimestamp > Times.T0.AddDays(30));
    }

    [SkippableFact]
    public async Task FindDue_AcrossAllFourTables_ReturnsWhatIsDueEarliestFirst()
    {
        await _store.WriteAsync(w =>
        {
            w.Save(Objects.Permission("P1"));                                    // due T0 + 180 d
            w.Save(Objects.Charge("C1", "P1"));                                  // due T0 + 30 d
            w.Save(Objects.Refund("R1", "C1", "P1"));                            // due T0 + 30 s
            w.Save(Objects.Session("cs-1", Objects.MerchantB));                  // due T0 + 24 h
            w.Save(Objects.Refund("R2", "C1", "P1", createdAt: Times.T0.AddDays(1))); // due T0 + 1 d 30 s
            return 0;
        });

        var due = _store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Far, 100));

        Assert.Equal(
            [
                new DueItem(ObjectType.Refund, Objects.MerchantA, "R1", "P1", Times.T0.AddSeconds(30)),
                new DueItem(ObjectType.CheckoutSession, Objects.MerchantB, "cs-1", null, Times.T0.AddHours(24)),
                new DueItem(ObjectType.Refund, Objects.MerchantA, "R2", "P1", Times.T0.AddDays(1).AddSeconds(30)),
                new DueItem(ObjectType.Charge, Objects.MerchantA, "C1", "P1", Times.T0.AddDays(30)),
                new DueItem(ObjectType.ChargePermission, Objects.MerchantA, "P1", "P1", Times.T0.AddDays(180)),
            ],
            due);
    }

    [SkippableFact]
    public async Task FindDue_ReturnsOnlyWhatIsDueAtOrBeforeNow()
    {
        await _store.WriteAsync(w =>
        {
            w.Save(Objects.Session("cs-1"));
            w.Save(Objects.Charge("C1", "P1"));
            w.Save(Objects.Refund("R1", "C1", "P1"));
            return 0;
        });

        Assert.Empty(_store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Times.T0.AddSeconds(29), 100)));
        Assert.Equal(["R1"], _store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Times.T0.AddSeconds(30), 100)).Select(d => d.ObjectId));
        Assert.Equal(
            ["R1", "cs-1"],
            _store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Times.T0.AddHours(24), 100)).Select(d => d.ObjectId));
    }

    [SkippableFact]
    public async Task FindDue_OtherEnvironment_IsNotReturned()
    {
        await _store.WriteAsync(w =>
        {
            w.Save(Objects.Session("cs-live", environment: ReleaseEnvironment.Live));
            w.Save(Objects.Permission("P-live", environment: ReleaseEnvironment.Live));
            w.Save(Objects.Charge("C-live", "P-live", environment: ReleaseEnvironment.Live));
            w.Save(Objects.Refund("R-live", "C-live", "P-live", environment: ReleaseEnvironment.Live));
            w.Save(Objects.Refund("R-sandbox", "C-sandbox", "P-sandbox"));
            return 0;
        });

        var sandbox = _store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Far, 100));
        var live = _store.Read(r => r.FindDue(ReleaseEnvironment.Live, Far, 100));

        Assert.Equal(["R-sandbox"], sandbox.Select(d => d.ObjectId));
        Assert.Equal(["R-live", "cs-live", "C-live", "P-live"], live.Select(d => d.ObjectId));
    }

    [SkippableFact]
    public async Task FindDue_MoreDueThanTheLimit_ReturnsTheEarliest()
    {
        await _store.WriteAsync(w =>
        {
            for (var i = 0; i < 10; i++)
            {
                // Interleave the tables so that the limit has to cut across all of them.
                var at = Times.T0.AddMinutes(i);
                switch (i % 4)
                {
                    case 0:
                        w.Save(Objects.Refund($"R{i}", "C", "P", createdAt: at.AddSeconds(-30)));
                        break;
                    case 1:
                        w.Save(Objects.Session($"S{i}") with { ExpirationTimestamp = at });
                        break;
                    case 2:
                        w.Save(Objects.Charge($"C{i}", "P") with { ExpirationTimestamp = at });
                        break;
                    default:
                        w.Save(Objects.Permission($"P{i}") with { ExpirationTimestamp = at });
                        break;
                }
            }

            return 0;
        });

        var due = _store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Far, 6));

        Assert.Equal(["R0", "S1", "C2", "P3", "R4", "S5"], due.Select(d => d.ObjectId));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => Times.T0.AddMinutes(i)), due.Select(d => d.DueAt));
    }

    [SkippableFact]
    public void FindDue_LimitNotPositive_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Far, 0)));
    }

    [SkippableFact]
    public async Task Save_DueTimeBetweenMilliseconds_IsRoundedUpSoItIsNeverReportedEarly()
    {
        var due = Times.T0.AddTicks(5_000); // half a millisecond past T0
        await _store.WriteAsync(w => w.Save(Objects.Refund("R1", "C1", "P1") with { PendingUntil = due }));

        Assert.Empty(_store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Times.T0, 10)));
        Assert.Equal(Times.T0.AddMilliseconds(1), Assert.Single(_store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Times.T0.AddMilliseconds(1), 10))).DueAt);
    }

    /// <summary>Four owners with work due: two sessions and two ledgers (one by a charge, one by a refund).</summary>
    private Task<int> SaveFourDueOwnersAsync() => _store.WriteAsync(w =>
    {
        w.Save(Objects.Session("cs-1"));
        w.Save(Objects.Session("cs-2"));
        w.Save(Objects.Permission("P1"));
        w.Save(Objects.Charge("P1-C1", "P1"));
        w.Save(Objects.Permission("P2"));
        w.Save(Objects.Refund("P2-C1-R1", "P2-C1", "P2"));
        return 0;
    });

    private static string Owner(DueItem item) => item.ChargePermissionId ?? item.ObjectId;

    /// <summary>Does the work of claimed items the simplest way: whatever was due is no longer due.</summary>
    private static void Finish(IWriteSession w, IEnumerable<DueItem> items)
    {
        foreach (var owner in items.Select(Owner).Distinct())
        {
            if (w.GetCheckoutSession(Objects.MerchantA, owner) is { } session)
            {
                w.Save(session with { State = CheckoutSessionState.Completed });
            }
            else
            {
                w.Save(w.GetChargePermission(Objects.MerchantA, owner)! with { State = ChargePermissionState.Closed });
                foreach (var charge in w.GetChargesOfPermission(Objects.MerchantA, owner))
                {
                    w.Save(charge with { State = ChargeState.Canceled });
                }

                foreach (var refund in w.GetRefundsOfPermission(Objects.MerchantA, owner))
                {
                    w.Save(refund.Settle().Value);
                }
            }
        }
    }

    [SkippableFact]
    public async Task ClaimDue_ByTwoStoresAtOnce_SplitsTheOwnersAndDoesEachOnce()
    {
        await SaveFourDueOwnersAsync();
        using var other = _harness.Open();
        using var claimed = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        // The first node claims two owners and is still working on them when the second node claims.
        var first = _store.WriteAsync(w =>
        {
            var items = w.ClaimDue(ReleaseEnvironment.Sandbox, Far, 2, skipLocked: true);
            claimed.Set();
            Assert.True(release.Wait(TimeSpan.FromSeconds(30)));
            Finish(w, items);
            return items;
        });
        Assert.True(claimed.Wait(TimeSpan.FromSeconds(30)));
        var second = other.WriteAsync(w =>
        {
            var items = w.ClaimDue(ReleaseEnvironment.Sandbox, Far, 10, skipLocked: true);
            Finish(w, items);
            return items;
        });
        // Either the second claim skips what the first holds, or (one writer, SQLite) it waits for the first's commit.
        await Task.WhenAny(second, Task.Delay(300));
        release.Set();
        var (byFirst, bySecond) = (await first, await second);

        var firstOwners = byFirst.Select(Owner).Distinct().ToList();
        var secondOwners = bySecond.Select(Owner).Distinct().ToList();
        Assert.Equal(2, firstOwners.Count);
        Assert.Empty(firstOwners.Intersect(secondOwners));
        Assert.Equal(["P1", "P2", "cs-1", "cs-2"], firstOwners.Concat(secondOwners).Order(StringComparer.Ordinal));
        Assert.Empty(_store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Far, 100)));
    }

    [SkippableFact]
    public async Task ClaimDue_OfACommandThatDied_IsClaimedAgain()
    {
        await SaveFourDueOwnersAsync();
        using var other = _harness.Open();

        // A node that fails (or is killed) mid-batch: its transaction ends without a commit.
        var died = _store.WriteAsync<int>(w =>
        {
            Finish(w, w.ClaimDue(ReleaseEnvironment.Sandbox, Far, 10, skipLocked: true));
            throw new InvalidOperationException("the node died");
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() => died);
        var reclaimed = await other.WriteAsync(w => w.ClaimDue(ReleaseEnvironment.Sandbox, Far, 10, skipLocked: true));

        Assert.Equal(["P1", "P2", "cs-1", "cs-2"], reclaimed.Select(Owner).Distinct().Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task ClaimDue_ReturnsWhatFindDueReturns_WhenNobodyElseHoldsIt()
    {
        await SaveFourDueOwnersAsync();

        var claimed = await _store.WriteAsync(w => w.ClaimDue(ReleaseEnvironment.Sandbox, Far, 100, skipLocked: false));

        Assert.Equal(_store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, Far, 100)), claimed);
        Assert.Empty(await _store.WriteAsync(w => w.ClaimDue(ReleaseEnvironment.Live, Far, 100, skipLocked: true)));
        Assert.Empty(await _store.WriteAsync(w => w.ClaimDue(ReleaseEnvironment.Sandbox, Times.T0, 100, skipLocked: true)));
    }
}

public sealed class SqliteDueWorkTests() : DueWorkTests(new SqliteHarness());

public sealed class PostgresDueWorkTests(PostgresDatabaseFixture database) : DueWorkTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;

public sealed class SqliteFindDueQueryPlanTests : IDisposable
{
    private static readonly DateTimeOffset Far = Times.T0.AddYears(1);

    private readonly TempDirectory _dir = new();

    public SqliteFindDueQueryPlanTests() => _dir.Open().Dispose();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void FindDue_QueryPlan_WalksEachPartialIndexInOrderWithoutSorting()
    {
        using var connection = new SqliteConnection($"Data Source={_dir.Options.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteDialect.Instance.Sql.FindDue;
        command.Parameters.AddWithValue("@env", "Sandbox");
        command.Parameters.AddWithValue("@now", Far.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@limit", 10);
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        var text = string.Join("\n", plan);
        foreach (var index in new[] { "checkout_sessions_due", "charge_permissions_due", "charges_due", "refunds_due" })
        {
            Assert.Contains($"USING INDEX {index} (environment=? AND due_at<?)", text, StringComparison.Ordinal);
        }

        // The arms come out of their indexes already ordered, so they are merged, never collected and sorted.
        Assert.Contains("MERGE (UNION ALL)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", text, StringComparison.Ordinal);
    }
}
