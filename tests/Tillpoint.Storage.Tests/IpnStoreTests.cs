using Tillpoint.Domain;

namespace Tillpoint.Storage.Tests;

/// <summary>The IPN outbox, endpoints, leased deliveries and the attempt log, on both stores.</summary>
public abstract class IpnStoreTests : IDisposable
{
    private const string UrlA = "https://a.example/ipn";
    private const string UrlB = "https://b.example/ipn";

    private static readonly DateTimeOffset Now = Times.T0.AddHours(1);
    private static readonly DateTimeOffset RealNow = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected IpnStoreTests(StoreHarness harness)
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

    private Task AppendAsync(params DomainEvent[] events) =>
        _store.WriteAsync(w =>
        {
            w.Append(Objects.MerchantA, ReleaseEnvironment.Sandbox, events);
            return 0;
        });

    private Task<T> WriteAsync<T>(Func<IWriteSession, T> command) => _store.WriteAsync(command);

    private static DomainEvent Change(ObjectType type, string objectId, string? from, string to, int minute, string? detail = null) =>
        new(type, objectId, type == ObjectType.CheckoutSession ? null : "P1", from, to, null, null, Times.T0.AddMinutes(minute), detail);

    private async Task<IpnClaim> ClaimAsync(DateTimeOffset? realNow = null, int limit = 10, ITillpointStore? store = null) =>
        await (store ?? _store).WriteAsync(w => w.ClaimIpnDeliveries(ReleaseEnvironment.Sandbox, Now, realNow ?? RealNow, (realNow ?? RealNow).AddMinutes(1), limit));

    private Task<bool> RecordAsync(IpnClaim claim, IpnDelivery delivery, IpnAttemptOutcome outcome, IpnDeliveryState state, int? status = 200) =>
        WriteAsync(w => w.RecordIpnAttempt(
            claim.LeaseToken,
            new IpnAttempt(delivery.DeliveryId, delivery.Series, delivery.Attempts + 1, RealNow, outcome, status, 12, "ok"),
            state,
            Now.AddMinutes(5)));

    private async Task SetUpTwoEndpointsAndTwoChangesOfOneChargeAsync()
    {
        await WriteAsync(w => w.AddIpnEndpoint(new IpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Sandbox, UrlA, Times.T0)));
        await WriteAsync(w => w.AddIpnEndpoint(new IpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Sandbox, UrlB, Times.T0)));
        await AppendAsync(Change(ObjectType.Charge, "P1-C1", null, "Authorized", 1), Change(ObjectType.Charge, "P1-C1", "Authorized", "Captured", 2));
        Assert.Equal(2, await WriteAsync(w => w.FanOutIpnNotifications(ReleaseEnvironment.Sandbox, Now, 100)));
    }

    [SkippableFact]
    public async Task Append_StateChanges_EnqueueOneNotificationEach_NotesAndCheckoutSessionsNone()
    {
        await WriteAsync(w => w.AddIpnEndpoint(new IpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Sandbox, UrlA, Times.T0)));
        await AppendAsync(
            Change(ObjectType.CheckoutSession, "CS1", "Open", "Completed", 0),
            Change(ObjectType.ChargePermission, "P1", null, "Chargeable", 0),
            Change(ObjectType.Charge, "P1-C1", null, "Authorized", 1),
            Change(ObjectType.ChargePermission, "P1", "Chargeable", "Chargeable", 2, "DeliveryTracker UPS 1Z"),
            Change(ObjectType.Refund, "P1-R1", null, "RefundInitiated", 3),
            Change(ObjectType.Refund, "P1-R1", "RefundInitiated", "Refunded", 4));

        var notifications = _store.Read(r => r.GetIpnNotifications(Objects.MerchantA, "P1"));
        var events = _store.Read(r => r.GetEvents(Objects.MerchantA, "P1"));

        Assert.Equal(
            [(ObjectType.ChargePermission, "P1"), (ObjectType.Charge, "P1-C1"), (ObjectType.Refund, "P1-R1"), (ObjectType.Refund, "P1-R1")],
            notifications.Select(n => (n.ObjectType, n.ObjectId)));
        // Each notification points at the event it reports.
        Assert.Equal(
            events.Where(e => IpnOutbox.Notifies(e.Event)).Select(e => e.EventId),
            notifications.Select(n => n.EventId));
        Assert.All(notifications, n => Assert.True(Guid.TryParse(n.NotificationId, out _)));
        Assert.Equal(4, notifications.Select(n => n.NotificationId).Distinct().Count());
        Assert.All(notifications, n => Assert.Equal(ReleaseEnvironment.Sandbox, n.Environment));
        Assert.Equal(Times.T0.AddMinutes(4), notifications[^1].CreatedAt);
    }

    [SkippableFact]
    public async Task Append_ForAMerchantWithoutAnEndpointInTheEnvironment_EnqueuesNothing()
    {
        await WriteAsync(w => w.AddIpnEndpoint(new IpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Live, UrlA, Times.T0)));
        await WriteAsync(w => w.AddIpnEndpoint(new IpnEndpoint(Objects.MerchantB, ReleaseEnvironment.Sandbox, UrlA, Times.T0)));

        await AppendAsync(Change(ObjectType.Charge, "P1-C1", null, "Authorized", 1));

        Assert.Empty(_store.Read(r => r.GetIpnNotifications(Objects.MerchantA, "P1")));
        Assert.Equal(0, _harness.Scalar("SELECT count(*) FROM ipn_notifications"));
        Assert.Single(_store.Read(r => r.GetEvents(Objects.MerchantA, "P1-C1")));
    }

    [SkippableFact]
    public async Task Append_InACommandThatFails_EnqueuesNothing()
    {
        await WriteAsync(w => w.AddIpnEndpoint(new IpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Sandbox, UrlA, Times.T0)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.WriteAsync<int>(w =>
        {
            w.Append(Objects.MerchantA, ReleaseEnvironment.Sandbox, [Change(ObjectType.Charge, "P1-C1", null, "Authorized", 1)]);
            throw new InvalidOperationException("refused");
        }));

        Assert.Empty(_store.Read(r => r.GetIpnNotifications(Objects.MerchantA, "P1")));
        Assert.Equal(0, _harness.Scalar("SELECT count(*) FROM ipn_notifications"));
        Assert.Equal(0, _store.Read(r => r.CountIpnBacklog()));
    }

    [SkippableFact]
    public async Task Endpoints_AddListRemove_PerMerchantAndEnvironment()
    {
        Assert.True(await WriteAsync(w => w.AddIpnEndpoint(new IpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Live, UrlA, Times.T0))));
        Assert.False(await WriteAsync(w => w.AddIpnEndpoint(new IpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Live, UrlA, Times.T0))));
        Assert.True(await WriteAsync(w => w.AddIpnEndpoint(new IpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Sandbox, UrlA, Times.T0))));
        Assert.True(await WriteAsync(w => w.AddIpnEndpoint(new IpnEndpoint(Objects.MerchantB, ReleaseEnvironment.Live, UrlB, Times.T0))));

        Assert.Equal(2, _store.Read(r => r.ListIpnEndpoints(Objects.MerchantA, null)).Count);
        Assert.Equal([UrlA], _store.Read(r => r.ListIpnEndpoints(Objects.MerchantA, ReleaseEnvironment.Live)).Select(e => e.Url));
        Assert.True(await WriteAsync(w => w.RemoveIpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Live, UrlA)));
        Assert.False(await WriteAsync(w => w.RemoveIpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Live, UrlA)));
        Assert.Equal([ReleaseEnvironment.Sandbox], _store.Read(r => r.ListIpnEndpoints(Objects.MerchantA, null)).Select(e => e.Environment));
        Assert.Equal(Times.T0, _store.Read(r => r.ListIpnEndpoints(Objects.MerchantB, null)).Single().CreatedAt);
    }

    [SkippableFact]
    public async Task FanOut_MakesOneDeliveryPerEndpoint_AndClaimsKeepEachObjectsOrderPerEndpoint()
    {
        await SetUpTwoEndpointsAndTwoChangesOfOneChargeAsync();
        var notifications = _store.Read(r => r.GetIpnNotifications(Objects.MerchantA, "P1"));
        Assert.Equal(4, _store.Read(r => r.ListIpnDeliveries(new IpnDeliveryQuery())).Count);
        Assert.Equal(4, _store.Read(r => r.CountIpnBacklog()));
        Assert.Equal(0, await WriteAsync(w => w.FanOutIpnNotifications(ReleaseEnvironment.Sandbox, Now, 100)));

        var first = await ClaimAsync();
        // The second change waits for the first, on each endpoint.
        Assert.Equal(
            [(notifications[0].NotificationId, UrlA), (notifications[0].NotificationId, UrlB)],
            first.Deliveries.Select(d => (d.NotificationId, d.Url)).Order());
        Assert.All(first.Deliveries, d => Assert.Equal((ObjectType.Charge, "P1-C1", "P1", 0, 1), (d.ObjectType, d.ObjectId, d.ChargePermissionId, d.Attempts, d.Series)));
        Assert.Empty((await ClaimAsync()).Deliveries);

        var onA = first.Deliveries.Single(d => d.Url == UrlA);
        Assert.True(await RecordAsync(first, onA, IpnAttemptOutcome.Delivered, IpnDeliveryState.Delivered));
        var next = await ClaimAsync();

        var second = Assert.Single(next.Deliveries);
        Assert.Equal((notifications[1].NotificationId, UrlA), (second.NotificationId, second.Url));
        var recorded = _store.Read(r => r.GetIpnDelivery(onA.DeliveryId))!;
        Assert.Equal((IpnDeliveryState.Delivered, 1, "HTTP 200", RealNow), (recorded.State, recorded.Attempts, recorded.LastResult, recorded.LastAttemptAt));
        var attempt = Assert.Single(_store.Read(r => r.ListIpnAttempts(onA.DeliveryId)));
        Assert.Equal(new IpnAttempt(onA.DeliveryId, 1, 1, RealNow, IpnAttemptOutcome.Delivered, 200, 12, "ok"), attempt);
    }

    [SkippableFact]
    public async Task Claim_OfDeliveriesNotYetDueOrOfARemovedEndpoint_ReturnsNothing()
    {
        await SetUpTwoEndpointsAndTwoChangesOfOneChargeAsync();
        await WriteAsync(w => w.RemoveIpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Sandbox, UrlB));
        var claim = await ClaimAsync();
        var onA = Assert.Single(claim.Deliveries);
        Assert.True(await RecordAsync(claim, onA, IpnAttemptOutcome.HttpError, IpnDeliveryState.Pending, 500));

        // Pending again, due five minutes on: not claimable now, and it still holds back the second change.
        Assert.Empty((await ClaimAsync()).Deliveries);
        Assert.True(_store.Read(r => r.HasIpnWork(ReleaseEnvironment.Sandbox, Now.AddMinutes(5))));
        Assert.False(_store.Read(r => r.HasIpnWork(ReleaseEnvironment.Live, Now.AddMinutes(5))));
        var later = await _store.WriteAsync(w => w.ClaimIpnDeliveries(ReleaseEnvironment.Sandbox, Now.AddMinutes(5), RealNow, RealNow.AddMinutes(1), 10));
        Assert.Equal(onA.DeliveryId, Assert.Single(later.Deliveries).DeliveryId);
        Assert.Equal(1, Assert.Single(later.Deliveries).Attempts);

        // Deliveries of removed endpoints are no work: an idle dispatcher does not write for them on every tick.
        await WriteAsync(w => w.RemoveIpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Sandbox, UrlA));
        Assert.False(_store.Read(r => r.HasIpnWork(ReleaseEnvironment.Sandbox, Now.AddHours(1))));
        Assert.Equal(4, _store.Read(r => r.CountIpnBacklog()));
    }

    [SkippableFact]
    public async Task Lease_ExpiredWithoutARecord_IsClaimedAgain_AndTheLateRecordDoesNotOverwrite()
    {
        await SetUpTwoEndpointsAndTwoChangesOfOneChargeAsync();
        var crashed = await ClaimAsync(limit: 1);
        var lost = Assert.Single(crashed.Deliveries);

        var beforeExpiry = await ClaimAsync(realNow: RealNow.AddSeconds(59));
        var afterExpiry = await ClaimAsync(realNow: RealNow.AddMinutes(2));

        Assert.DoesNotContain(beforeExpiry.Deliveries, d => d.DeliveryId == lost.DeliveryId);
        Assert.Contains(afterExpiry.Deliveries, d => d.DeliveryId == lost.DeliveryId);
        // The node that lost its lease records its attempt (it happened) but no longer decides the state.
        Assert.False(await RecordAsync(crashed, lost, IpnAttemptOutcome.Delivered, IpnDeliveryState.Delivered));
        Assert.Equal(IpnDeliveryState.Pending, _store.Read(r => r.GetIpnDelivery(lost.DeliveryId))!.State);
        Assert.True(await RecordAsync(afterExpiry, afterExpiry.Deliveries.Single(d => d.DeliveryId == lost.DeliveryId), IpnAttemptOutcome.Delivered, IpnDeliveryState.Delivered));
        Assert.Equal(2, _store.Read(r => r.ListIpnAttempts(lost.DeliveryId)).Count);
        Assert.Equal(IpnDeliveryState.Delivered, _store.Read(r => r.GetIpnDelivery(lost.DeliveryId))!.State);
    }

    [SkippableFact]
    public async Task Redeliver_ByNotificationOrDeliveryId_StartsANewSeriesDueAtOnce()
    {
        await SetUpTwoEndpointsAndTwoChangesOfOneChargeAsync();
        var claim = await ClaimAsync();
        foreach (var delivery in claim.Deliveries)
        {
            await RecordAsync(claim, delivery, IpnAttemptOutcome.HttpError, IpnDeliveryState.Failed, 500);
        }

        var notificationId = claim.Deliveries[0].NotificationId;
        Assert.Equal(2, await WriteAsync(w => w.RedeliverIpn(notificationId)));
        Assert.Equal(1, await WriteAsync(w => w.RedeliverIpn(claim.Deliveries[0].DeliveryId)));
        Assert.Equal(0, await WriteAsync(w => w.RedeliverIpn("nothing-has-this-id")));

        var again = await ClaimAsync();
        Assert.Equal(2, again.Deliveries.Count);
        Assert.All(again.Deliveries, d => Assert.Equal((notificationId, IpnDeliveryState.Pending, 0), (d.NotificationId, d.State, d.Attempts)));
        Assert.Equal([2, 3], again.Deliveries.Select(d => d.Series).Order());
    }

    [SkippableFact]
    public async Task ListDeliveries_FiltersAndPagesNewestFirst()
    {
        await SetUpTwoEndpointsAndTwoChangesOfOneChargeAsync();
        var all = _store.Read(r => r.ListIpnDeliveries(new IpnDeliveryQuery(Objects.MerchantA, ReleaseEnvironment.Sandbox)));
        var page = _store.Read(r => r.ListIpnDeliveries(new IpnDeliveryQuery(Limit: 3)));
        var rest = _store.Read(r => r.ListIpnDeliveries(new IpnDeliveryQuery(BeforeSequence: page[^1].Sequence, Limit: 3)));
        var ofOne = _store.Read(r => r.ListIpnDeliveries(new IpnDeliveryQuery(NotificationId: all[0].NotificationId)));

        Assert.Equal(4, all.Count);
        Assert.Equal(all.Select(d => d.Sequence).OrderDescending(), all.Select(d => d.Sequence));
        Assert.Equal(all.Select(d => d.DeliveryId), page.Concat(rest).Select(d => d.DeliveryId));
        Assert.Equal(2, ofOne.Count);
        Assert.Empty(_store.Read(r => r.ListIpnDeliveries(new IpnDeliveryQuery(Objects.MerchantB))));
        Assert.Empty(_store.Read(r => r.ListIpnDeliveries(new IpnDeliveryQuery(Environment: ReleaseEnvironment.Live))));
        Assert.Empty(_store.Read(r => r.ListIpnDeliveries(new IpnDeliveryQuery(State: IpnDeliveryState.Failed))));
        Assert.Equal(4, _store.Read(r => r.ListIpnDeliveries(new IpnDeliveryQuery(State: IpnDeliveryState.Pending))).Count);
    }

    [SkippableFact]
    public async Task Claims_FromTwoStoresAtOnce_NeverShareADelivery()
    {
        await _store.WriteAsync(w =>
        {
            w.AddIpnEndpoint(new IpnEndpoint(Objects.MerchantA, ReleaseEnvironment.Sandbox, UrlA, Times.T0));
            w.Append(Objects.MerchantA, ReleaseEnvironment.Sandbox, [.. Enumerable.Range(0, 40).Select(i => Change(ObjectType.Charge, $"P1-C{i}", null, "Authorized", i))]);
            return w.FanOutIpnNotifications(ReleaseEnvironment.Sandbox, Now, 100);
        });
        using var other = _harness.Open();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ClaimAsync(limit: 7, store: i % 2 == 0 ? _store : other)));

        var claimed = claims.SelectMany(c => c.Deliveries.Select(d => d.DeliveryId)).ToList();
        Assert.Equal(40, claimed.Count);
        Assert.Equal(40, claimed.Distinct().Count());
    }
}

public sealed class SqliteIpnStoreTests() : IpnStoreTests(new SqliteHarness());

public sealed class PostgresIpnStoreTests(PostgresDatabaseFixture database) : IpnStoreTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
