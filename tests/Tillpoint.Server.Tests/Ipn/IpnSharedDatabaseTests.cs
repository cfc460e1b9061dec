using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;
using static Tillpoint.Server.Tests.Ipn.IpnTestSupport;

namespace Tillpoint.Server.Tests.Ipn;

/// <summary>Two nodes on one PostgreSQL database share the notifications: each is sent once, by one of them.</summary>
public sealed class IpnSharedDatabaseTests
{
    [SkippableFact]
    public async Task TwoNodes_DeliverEveryNotificationOnce_BetweenThem()
    {
        var first = TestStorage.Create(StoreKind.Postgres);
        var second = first.AnotherNode();
        await using var receiver = await IpnReceiver.StartAsync();
        await using var a = await TillpointHost.StartAsync(first, ownsStorage: true, Fast());
        await using var b = await TillpointHost.StartAsync(second, ownsStorage: true, Fast());
        var merchant = await a.CreateMerchantAsync();
        await AddEndpointAsync(a, merchant, receiver.Url);
        using var clientA = a.Client(merchant);
        using var clientB = b.Client(merchant);

        var permissions = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            permissions.Add(await Payments.ChargePermissionAsync(a, clientA, merchant, "100.00"));
            await Payments.CreateChargeAsync(clientB, permissions[^1], "10.00", captureNow: true);
        }

        var outbox = permissions.SelectMany(p => Outbox(b, merchant, p)).ToList();
        var received = await receiver.NextAsync(outbox.Count);
        foreach (var notification in outbox)
        {
            await WaitForDeliveryAsync(a, notification.NotificationId, d => d.State == IpnDeliveryState.Delivered);
        }

        using var verifier = await VerifierAsync(b);
        var ids = new List<string>();
        foreach (var request in received)
        {
            ids.Add((await verifier.VerifyAsync(request.Body)).Message.NotificationId);
        }

        Assert.Equal(outbox.Select(n => n.NotificationId).Order(), ids.Order());
        Assert.Equal(outbox.Count, receiver.Received.Count);
        Assert.All(outbox, n => Assert.Single(a.Store.Read(reader => reader.ListIpnAttempts(
            reader.ListIpnDeliveries(new IpnDeliveryQuery(NotificationId: n.NotificationId)).Single().DeliveryId))));
    }
}
