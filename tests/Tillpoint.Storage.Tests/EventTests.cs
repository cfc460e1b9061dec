using Tillpoint.Domain;

namespace Tillpoint.Storage.Tests;

public abstract class EventTests : IDisposable
{
    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected EventTests(StoreHarness harness)
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

    private Task AppendAsync(string merchantId, ReleaseEnvironment environment, params DomainEvent[] events) =>
        _store.WriteAsync(w =>
        {
            w.Append(merchantId, environment, events);
            return 0;
        });

    [SkippableFact]
    public async Task Append_ThenGetByObjectId_KeepsOrderAndEveryField()
    {
        DomainEvent[] events =
        [
            new(ObjectType.Charge, "P1-C1", "P1", null, "AuthorizationInitiated", null, Objects.Usd(14.00m), Times.T0.AddSeconds(1)),
            new(ObjectType.Charge, "P1-C1", "P1", "AuthorizationInitiated", "Authorized", null, Objects.Usd(14.00m), Times.T0.AddSeconds(31)),
            new(ObjectType.Charge, "P1-C1", "P1", "Authorized", "Captured", null, Objects.Usd(16.10m), Times.T0.AddMinutes(5)),
            new(ObjectType.Charge, "P1-C1", "P1", "Captured", "Canceled", "ExpiredUnused", null, Times.T0.AddDays(30)),
        ];

        await AppendAsync(Objects.MerchantA, ReleaseEnvironment.Sandbox, events);
        var stored = _store.Read(r => r.GetEvents(Objects.MerchantA, "P1-C1"));

        Assert.Equal(events, stored.Select(s => s.Event));
        Assert.Equal(["14.00", "14.00", "16.10"], stored.Take(3).Select(s => s.Event.Amount!.Value.ToAmountString()));
        Assert.Equal(16.10m, stored[2].Event.Amount!.Value.Amount);
        Assert.All(stored, s => Assert.Equal(Objects.MerchantA, s.MerchantId));
        Assert.All(stored, s => Assert.Equal(ReleaseEnvironment.Sandbox, s.Environment));
        Assert.Equal(stored.Select(s => s.EventId).Order(), stored.Select(s => s.EventId));
        Assert.Equal(4, stored.Select(s => s.EventId).Distinct().Count());
    }

    [SkippableFact]
    public async Task Append_InSeveralWrites_KeepsAppendOrder()
    {
        for (var i = 0; i < 10; i++)
        {
            // Later appends carry earlier timestamps: the order is the order of appending.
            await AppendAsync(Objects.MerchantA, ReleaseEnvironment.Live, Objects.Event("C1", null, null, $"S{i}", null, 100 - i));
        }

        var stored = _store.Read(r => r.GetEvents(Objects.MerchantA, "C1"));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"S{i}"), stored.Select(s => s.Event.ToState));
        Assert.All(stored, s => Assert.Equal(ReleaseEnvironment.Live, s.Environment));
    }

    [SkippableFact]
    public async Task GetEvents_ByChargePermissionId_IncludesTheEventsOfItsCharges()
    {
        await AppendAsync(
            Objects.MerchantA,
            ReleaseEnvironment.Sandbox,
            new(ObjectType.ChargePermission, "P1", "P1", null, "Chargeable", null, Objects.Usd(16.10m), Times.T0),
            Objects.Event("P1-C1", "P1", null, "Authorized", Objects.Usd(14m), 1),
            Objects.Event("P2-C1", "P2", null, "Authorized", Objects.Usd(99m), 2),
            new(ObjectType.CheckoutSession, "cs-1", "P1", "Open", "Completed", null, Objects.Usd(14m), Times.T0.AddMinutes(3)),
            Objects.Event("P1-C1", "P1", "Authorized", "Captured", Objects.Usd(14m), 4));

        var forPermission = _store.Read(r => r.GetEvents(Objects.MerchantA, "P1"));
        var forCharge = _store.Read(r => r.GetEvents(Objects.MerchantA, "P1-C1"));

        Assert.Equal(
            [("P1", "Chargeable"), ("P1-C1", "Authorized"), ("cs-1", "Completed"), ("P1-C1", "Captured")],
            forPermission.Select(s => (s.Event.ObjectId, s.Event.ToState)));
        Assert.Equal(["Authorized", "Captured"], forCharge.Select(s => s.Event.ToState));
        Assert.Equal(
            [ObjectType.ChargePermission, ObjectType.Charge, ObjectType.CheckoutSession, ObjectType.Charge],
            forPermission.Select(s => s.Event.ObjectType));
    }

    [SkippableFact]
    public async Task Append_WithDetail_ReadsItBackAndNullStaysNull()
    {
        await AppendAsync(
            Objects.MerchantA,
            ReleaseEnvironment.Sandbox,
            Objects.Event("C1", "P1", null, "Authorized", null, 0) with { Detail = "simulation code: HardDeclined → ignored" },
            Objects.Event("C1", "P1", "Authorized", "Captured", null, 1));

        var stored = _store.Read(r => r.GetEvents(Objects.MerchantA, "P1"));

        Assert.Equal(["simulation code: HardDeclined → ignored", null], stored.Select(s => s.Event.Detail));
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM events WHERE detail IS NULL"));
    }

    [SkippableFact]
    public async Task Append_JpyAmount_KeepsItsScale()
    {
        await AppendAsync(Objects.MerchantA, ReleaseEnvironment.Sandbox, Objects.Event("C1", null, null, "Authorized", new Money(1200m, Currency.JPY), 0));

        var amount = Assert.Single(_store.Read(r => r.GetEvents(Objects.MerchantA, "C1"))).Event.Amount!.Value;

        Assert.Equal(new Money(1200m, Currency.JPY), amount);
        Assert.Equal("1200", amount.ToAmountString());
    }

    [SkippableFact]
    public async Task Append_Nothing_StoresNothing()
    {
        await AppendAsync(Objects.MerchantA, ReleaseEnvironment.Sandbox);

        Assert.Equal(0, _harness.Scalar("SELECT count(*) FROM events"));
    }

    [SkippableFact]
    public async Task GetEvents_OfAnotherMerchant_AreInvisible()
    {
        await AppendAsync(Objects.MerchantA, ReleaseEnvironment.Sandbox, Objects.Event("C1", "P1", null, "Authorized", null, 0));
        await AppendAsync(Objects.MerchantB, ReleaseEnvironment.Sandbox, Objects.Event("C1", "P1", null, "Declined", null, 0));

        Assert.Equal("Authorized", Assert.Single(_store.Read(r => r.GetEvents(Objects.MerchantA, "C1"))).Event.ToState);
        Assert.Equal("Declined", Assert.Single(_store.Read(r => r.GetEvents(Objects.MerchantB, "P1"))).Event.ToState);
    }
}

public sealed class SqliteEventTests() : EventTests(new SqliteHarness());

public sealed class PostgresEventTests(PostgresDatabaseFixture database) : EventTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
