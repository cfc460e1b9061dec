using Tillpoint.Domain.Refunds;

namespace Tillpoint.Storage.Tests;

public abstract class RefundStoreTests : IDisposable
{
    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected RefundStoreTests(StoreHarness harness)
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

    [SkippableFact]
    public async Task Save_NewRefund_RoundTripsEveryFieldAtVersion1()
    {
        var original = Objects.Refund("P1-C1-R1", "P1-C1", "P1") with
        {
            SoftDescriptor = "SHOP",
            PendingDeclineReason = RefundReasonCode.AmazonRejected,
        };

        var saved = await _store.WriteAsync(w => w.Save(original));
        var stored = _store.Read(r => r.GetRefund(Objects.MerchantA, "P1-C1-R1"));

        Assert.Equal(1, saved.Version);
        Assert.Equal(original with { Version = 1 }, stored);
        Assert.Equal("5.00", stored!.RefundAmount.ToAmountString());
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM refunds WHERE state = 'RefundInitiated' AND charge_id = 'P1-C1' AND charge_permission_id = 'P1'"));
    }

    [SkippableFact]
    public async Task Save_SettledRefund_GivesVersion2AndNewState()
    {
        var v1 = await _store.WriteAsync(w => w.Save(Objects.Refund("R1", "C1", "P1")));

        var v2 = await _store.WriteAsync(w => w.Save(v1.Settle().Value));

        Assert.Equal(2, v2.Version);
        var stored = _store.Read(r => r.GetRefund(Objects.MerchantA, "R1"))!;
        Assert.Equal(RefundState.Refunded, stored.State);
        Assert.Null(stored.PendingUntil);
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM refunds WHERE state = 'Refunded' AND version = 2"));
    }

    [SkippableFact]
    public async Task Save_StaleRefundVersion_ThrowsConcurrencyConflictAndKeepsTheNewer()
    {
        var v1 = await _store.WriteAsync(w => w.Save(Objects.Refund("R1", "C1", "P1")));
        await _store.WriteAsync(w => w.Save(v1.Settle().Value));

        // Thrown at the save, or where the store holds writes at its commit; either way the write fails.
        var thrown = await Record.ExceptionAsync(() => _store.WriteAsync(w => w.Save(v1 with { SoftDescriptor = "stale" })));

        Assert.IsType<ConcurrencyConflictException>(thrown);
        var stored = _store.Read(r => r.GetRefund(Objects.MerchantA, "R1"))!;
        Assert.Equal(2, stored.Version);
        Assert.Null(stored.SoftDescriptor);
    }

    [SkippableFact]
    public async Task Save_SameRefundIdTwiceAsNew_FailsWithTheDatabasesConstraintError()
    {
        await _store.WriteAsync(w => w.Save(Objects.Refund("R1", "C1", "P1")));

        var thrown = await Record.ExceptionAsync(() => _store.WriteAsync(w => w.Save(Objects.Refund("R1", "C1", "P1"))));

        // A second insert hits the unique key: that is the database's constraint error, not a version conflict, and it
        // is the caller's bug (ids are generated), so it surfaces as it is.
        Assert.IsAssignableFrom<System.Data.Common.DbException>(thrown);
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM refunds"));
    }

    [SkippableFact]
    public async Task GetRefundsOfCharge_ReturnsThatChargesRefundsInCreationOrder()
    {
        await _store.WriteAsync(w =>
        {
            w.Save(Objects.Refund("R3", "C1", "P1", createdAt: Times.T0.AddMinutes(3)));
            w.Save(Objects.Refund("R1", "C1", "P1", createdAt: Times.T0.AddMinutes(1)));
            w.Save(Objects.Refund("R2", "C2", "P1", createdAt: Times.T0.AddMinutes(2)));
            w.Save(Objects.Refund("R2b", "C1", "P1", createdAt: Times.T0.AddMinutes(2)));
            w.Save(Objects.Refund("R2a", "C1", "P1", createdAt: Times.T0.AddMinutes(2)));
            w.Save(Objects.Refund("R9", "C1", "P1", Objects.MerchantB));
            return 0;
        });

        var refunds = _store.Read(r => r.GetRefundsOfCharge(Objects.MerchantA, "C1"));

        Assert.Equal(["R1", "R2a", "R2b", "R3"], refunds.Select(r => r.RefundId));
    }

    [SkippableFact]
    public async Task GetRefundsOfPermission_ReturnsTheRefundsOfAllItsChargesInCreationOrder()
    {
        await _store.WriteAsync(w =>
        {
            w.Save(Objects.Refund("R3", "C2", "P1", createdAt: Times.T0.AddMinutes(3)));
            w.Save(Objects.Refund("R1", "C1", "P1", createdAt: Times.T0.AddMinutes(1)));
            w.Save(Objects.Refund("R2", "C3", "P2", createdAt: Times.T0.AddMinutes(2)));
            w.Save(Objects.Refund("R4", "C1", "P1", Objects.MerchantB));
            return 0;
        });

        var refunds = _store.Read(r => r.GetRefundsOfPermission(Objects.MerchantA, "P1"));

        Assert.Equal(["R1", "R3"], refunds.Select(r => r.RefundId));
        Assert.Equal(["R4"], _store.Read(r => r.GetRefundsOfPermission(Objects.MerchantB, "P1")).Select(r => r.RefundId));
    }

    [SkippableFact]
    public async Task GetRefund_AnotherMerchantsOrUnknownId_ReturnsNothing()
    {
        await _store.WriteAsync(w => w.Save(Objects.Refund("R1", "C1", "P1")));

        Assert.Null(_store.Read(r => r.GetRefund(Objects.MerchantB, "R1")));
        Assert.Null(_store.Read(r => r.GetRefund(Objects.MerchantA, "nope")));
        Assert.Empty(_store.Read(r => r.GetRefundsOfCharge(Objects.MerchantB, "C1")));
        Assert.Empty(_store.Read(r => r.GetRefundsOfPermission(Objects.MerchantA, "nope")));
    }
}

public sealed class SqliteRefundStoreTests() : RefundStoreTests(new SqliteHarness());

public sealed class PostgresRefundStoreTests(PostgresDatabaseFixture database) : RefundStoreTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
