using Tillpoint.Domain;

namespace Tillpoint.Storage.Tests;

public abstract class DeliveryTrackerTests : IDisposable
{
    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected DeliveryTrackerTests(StoreHarness harness)
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

    private static DeliveryTrackerRecord Tracker(
        string chargePermissionId,
        string trackingNumber,
        string merchantId = Objects.MerchantA,
        ReleaseEnvironment environment = ReleaseEnvironment.Sandbox,
        string carrierCode = "UPS",
        int minute = 0) =>
        new(merchantId, environment, chargePermissionId, carrierCode, trackingNumber, Times.T0.AddMinutes(minute));

    private Task<bool> AddAsync(DeliveryTrackerRecord record) => _store.WriteAsync(w => w.AddDeliveryTrackers([record]) is null);

    [SkippableFact]
    public async Task AddDeliveryTrackers_New_ReturnsTrueAndIsListedWithEveryField()
    {
        var record = Tracker("P1", "1Z999AA10123456784");

        Assert.True(await AddAsync(record));

        Assert.Equal([record], _store.Read(r => r.GetDeliveryTrackers(Objects.MerchantA, "P1")));
    }

    [SkippableFact]
    public async Task AddDeliveryTrackers_SameCarrierAndNumberAgain_IsRefusedAndStoresNothing()
    {
        Assert.True(await AddAsync(Tracker("P1", "T-1")));

        Assert.False(await AddAsync(Tracker("P1", "T-1", minute: 1)));
        Assert.False(await AddAsync(Tracker("P2", "T-1", minute: 2)));

        Assert.Equal(Times.T0, Assert.Single(_store.Read(r => r.GetDeliveryTrackers(Objects.MerchantA, "P1"))).CreatedAt);
        Assert.Empty(_store.Read(r => r.GetDeliveryTrackers(Objects.MerchantA, "P2")));
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM delivery_trackers"));
    }

    [SkippableFact]
    public async Task AddDeliveryTrackers_SameNumberForAnotherMerchantEnvironmentOrCarrier_IsAccepted()
    {
        Assert.True(await AddAsync(Tracker("P1", "T-1")));

        Assert.True(await AddAsync(Tracker("P1", "T-1", merchantId: Objects.MerchantB)));
        Assert.True(await AddAsync(Tracker("P1-live", "T-1", environment: ReleaseEnvironment.Live)));
        Assert.True(await AddAsync(Tracker("P1", "T-1", carrierCode: "FEDEX")));

        Assert.Equal(["UPS", "FEDEX"], _store.Read(r => r.GetDeliveryTrackers(Objects.MerchantA, "P1")).Select(t => t.CarrierCode));
        Assert.Equal(Objects.MerchantB, Assert.Single(_store.Read(r => r.GetDeliveryTrackers(Objects.MerchantB, "P1"))).MerchantId);
        Assert.Equal(ReleaseEnvironment.Live, Assert.Single(_store.Read(r => r.GetDeliveryTrackers(Objects.MerchantA, "P1-live"))).Environment);
    }

    [SkippableFact]
    public async Task AddDeliveryTrackers_OneSubmittedBefore_ReturnsItStoresNoneOfTheCall_AndTheCommandStillCommits()
    {
        Assert.True(await AddAsync(Tracker("P1", "T-2")));

        var submittedBefore = await _store.WriteAsync(w =>
        {
            var refused = w.AddDeliveryTrackers([Tracker("P2", "T-1", minute: 1), Tracker("P2", "T-2", minute: 1), Tracker("P2", "T-3", minute: 1)]);
            w.Append(Objects.MerchantA, ReleaseEnvironment.Sandbox, [Objects.Event("P2", "P2", null, "Chargeable", null, 0)]);
            return refused;
        });

        Assert.Equal(Tracker("P2", "T-2", minute: 1), submittedBefore);
        Assert.Empty(_store.Read(r => r.GetDeliveryTrackers(Objects.MerchantA, "P2")));
        Assert.Single(_store.Read(r => r.GetEvents(Objects.MerchantA, "P2")));
        // The undone trackers do not count as submitted; the same call goes through once the conflict is gone.
        Assert.Null(await _store.WriteAsync(w => w.AddDeliveryTrackers([Tracker("P2", "T-1"), Tracker("P2", "T-3")])));
        Assert.Equal(["T-1", "T-3"], _store.Read(r => r.GetDeliveryTrackers(Objects.MerchantA, "P2")).Select(t => t.TrackingNumber));
    }

    [SkippableFact]
    public async Task AddDeliveryTrackers_AllNew_StoresEveryOne()
    {
        Assert.Null(await _store.WriteAsync(w => w.AddDeliveryTrackers([Tracker("P1", "T-1"), Tracker("P1", "T-2", minute: 1)])));

        Assert.Equal(["T-1", "T-2"], _store.Read(r => r.GetDeliveryTrackers(Objects.MerchantA, "P1")).Select(t => t.TrackingNumber));
    }

    [SkippableFact]
    public async Task GetDeliveryTrackers_ReturnsThePermissionsTrackersInSubmissionOrder()
    {
        await AddAsync(Tracker("P1", "T-3", minute: 3));
        await AddAsync(Tracker("P1", "T-1", minute: 1));
        await AddAsync(Tracker("P2", "T-2", minute: 2));

        Assert.Equal(["T-1", "T-3"], _store.Read(r => r.GetDeliveryTrackers(Objects.MerchantA, "P1")).Select(t => t.TrackingNumber));
        Assert.Empty(_store.Read(r => r.GetDeliveryTrackers(Objects.MerchantB, "P1")));
    }

    [SkippableFact]
    public async Task WriteAsync_CommandThrowsAfterAddDeliveryTrackers_LeavesNothingBehind()
    {
        var failing = _store.WriteAsync<bool>(w =>
        {
            Assert.Null(w.AddDeliveryTrackers([Tracker("P1", "T-1")]));
            w.Append(Objects.MerchantA, ReleaseEnvironment.Sandbox, [Objects.Event("P1", "P1", null, "Chargeable", null, 0)]);
            throw new InvalidOperationException("boom");
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Empty(_store.Read(r => r.GetDeliveryTrackers(Objects.MerchantA, "P1")));
        Assert.Empty(_store.Read(r => r.GetEvents(Objects.MerchantA, "P1")));
        // The rolled-back submission does not count as submitted.
        Assert.True(await AddAsync(Tracker("P1", "T-1")));
    }

    [SkippableFact]
    public async Task WriteAsync_CanceledBeforeItRuns_AddsNoTracker()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        var write = _store.WriteAsync(w => w.AddDeliveryTrackers([Tracker("P1", "T-1")]), canceled.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.Empty(_store.Read(r => r.GetDeliveryTrackers(Objects.MerchantA, "P1")));
        Assert.True(await AddAsync(Tracker("P1", "T-1")));
    }
}

public sealed class SqliteDeliveryTrackerTests() : DeliveryTrackerTests(new SqliteHarness());

public sealed class PostgresDeliveryTrackerTests(PostgresDatabaseFixture database) : DeliveryTrackerTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
