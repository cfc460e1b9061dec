using System.Text.Json;
using Tillpoint.Client.Notifications;
using Tillpoint.Domain;
using Tillpoint.Protocol.Notifications;
using Tillpoint.Server.Ipn;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;
using static Tillpoint.Server.Tests.Ipn.IpnTestSupport;

namespace Tillpoint.Server.Tests.Ipn;

/// <summary>
/// Notifications as a merchant's endpoint sees them: a real local receiver, scripted to fail, hang and succeed, with the
/// sandbox clock moved past each retry delay, restarts in the middle of a schedule, and every body verified with the
/// client library's verifier.
/// </summary>
public sealed class IpnDeliveryTests
{
    [Fact]
    public async Task FullLifecycle_EveryStateChangeIsDelivered_AsSpecified_InOrderPerObject()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();
        await AddEndpointAsync(host, merchant, receiver.Url);
        using var client = host.Client(merchant);

        var completed = await Checkouts.AuthorizedAsync(host, client, merchant, "14.00");
        var permissionId = completed.ChargePermissionId!;
        var chargeId = completed.ChargeId!;
        await Checkouts.CaptureAsync(client, chargeId, "14.00");
        var refundId = (await Payments.RefundAsync(client, chargeId, "5.00")).Value.RefundId!;
        await host.AdvanceSandboxAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Refunded", (await client.GetRefundAsync(refundId)).Value.StatusDetails!.State);
        await Payments.CloseAsync(client, permissionId);

        // What must be notified: every state change the store recorded for the permission, its charge and its refund.
        var changes = host.Store.Read(reader => reader.GetEvents(merchant.MerchantId, permissionId))
            .Select(e => e.Event).Where(IpnOutbox.Notifies).ToList();
        var outbox = Outbox(host, merchant, permissionId);
        Assert.Equal(changes.Select(e => (e.ObjectType, e.ObjectId)), outbox.Select(n => (n.ObjectType, n.ObjectId)));
        Assert.Contains(changes, e => e is { ObjectType: ObjectType.ChargePermission, FromState: null, ToState: "Chargeable" });
        Assert.Contains(changes, e => e is { ObjectType: ObjectType.Charge, ToState: "Captured" });
        Assert.Contains(changes, e => e is { ObjectType: ObjectType.Refund, ToState: "Refunded" });
        Assert.Equal(ObjectType.ChargePermission, changes[^1].ObjectType);
        Assert.Equal("Closed", changes[^1].ToState);

        var received = await receiver.NextAsync(outbox.Count);
        using var verifier = await VerifierAsync(host);
        var messages = new List<IpnMessage>();
        foreach (var request in received)
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal("text/plain; charset=UTF-8", request.ContentType);
            var notification = await verifier.VerifyAsync(request.Body);
            Assert.Equal("Notification", request.Headers["x-amz-sns-message-type"]);
            Assert.Equal(notification.Envelope.MessageId, request.Headers["x-amz-sns-message-id"]);
            Assert.Equal(notification.Envelope.TopicArn, request.Headers["x-amz-sns-topic-arn"]);
            Assert.Equal($"arn:tillpoint:sns:local:{merchant.MerchantId}:ipn-sandbox", notification.Envelope.TopicArn);
            Assert.Contains("Tillpoint", request.Headers["User-Agent"], StringComparison.Ordinal);
            Assert.Equal("Notification", notification.Envelope.Type);
            Assert.Equal("1", notification.Envelope.SignatureVersion);
            messages.Add(notification.Message);
        }

        Assert.All(messages, m => Assert.Equal(merchant.MerchantId, m.MerchantID));
        Assert.All(messages, m => Assert.Equal(permissionId, m.ChargePermissionId));
        Assert.All(messages, m => Assert.Equal("STATE_CHANGE", m.NotificationType));
        Assert.All(messages, m => Assert.Equal("V2", m.NotificationVersion));
        Assert.Equal(outbox.Select(n => n.NotificationId).Order(), messages.Select(m => m.NotificationId).Order());
        Assert.Equal(
            outbox.Select(n => (IpnDispatcher.WireObjectType(n.ObjectType), n.ObjectId)).Order(),
            messages.Select(m => (m.ObjectType, m.ObjectId)).Order());
        Assert.Equal(
            new HashSet<(string, string)> { ("CHARGE_PERMISSION", permissionId), ("CHARGE", chargeId), ("REFUND", refundId) },
            messages.Select(m => (m.ObjectType, m.ObjectId)).ToHashSet());
        // Each object's notifications arrive in the order its changes happened.
        foreach (var objectId in new[] { permissionId, chargeId, refundId })
        {
            Assert.Equal(
                outbox.Where(n => n.ObjectId == objectId).Select(n => n.NotificationId),
                messages.Where(m => m.ObjectId == objectId).Select(m => m.NotificationId));
        }

        // The message as it went out is exactly the documented JSON: these fields, in this order.
        var envelope = IpnEnvelope.Parse(received[0].Body);
        Assert.Equal(
            ["MerchantID", "ObjectType", "ObjectId", "ChargePermissionId", "NotificationType", "NotificationId", "NotificationVersion"],
            JsonDocument.Parse(envelope.Message).RootElement.EnumerateObject().Select(p => p.Name));

        // A body changed in transit is refused.
        var tampered = envelope with { Message = (IpnMessage.Parse(envelope.Message) with { ObjectId = "S01-0000000-0000000" }).ToJson() };
        await Assert.ThrowsAsync<IpnVerificationException>(() => verifier.VerifyAsync(tampered.ToJson()));
        await Assert.ThrowsAsync<IpnVerificationException>(() => verifier.VerifyAsync(received[0].Body.Replace(permissionId, "S01-0000000-0000000", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Delivery_After500AndATimeout_IsRetriedOnTheSandboxClock_UntilDelivered()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        receiver.Script(500, IpnReceiver.Hang, 200);
        await using var host = await TillpointHost.StartAsync(Fast(timeout: TimeSpan.FromSeconds(2)));
        var merchant = await host.CreateMerchantAsync();
        await AddEndpointAsync(host, merchant, receiver.Url);
        using var client = host.Client(merchant);

        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant);
        var notification = Assert.Single(Outbox(host, merchant, permissionId));

        var first = await receiver.NextAsync();
        var afterFirst = await WaitForDeliveryAsync(host, notification.NotificationId, d => d.Attempts == 1);
        Assert.Equal(IpnDeliveryState.Pending, afterFirst.State);
        Assert.Equal("HTTP 500", afterFirst.LastResult);
        // The first retry is 30 s ± 20 % away on the sandbox clock, which stands still in this test.
        var sandboxNow = TillpointHost.Start;
        Assert.InRange(afterFirst.NextAttemptAt, sandboxNow.AddSeconds(24), sandboxNow.AddSeconds(36));
        Assert.Single(receiver.Received);

        await host.AdvanceSandboxAsync(TimeSpan.FromSeconds(40));
        var second = await receiver.NextAsync();
        var afterSecond = await WaitForDeliveryAsync(host, notification.NotificationId, d => d.Attempts == 2);
        Assert.Equal(IpnDeliveryState.Pending, afterSecond.State);
        Assert.Equal("timeout", afterSecond.LastResult);
        Assert.InRange(afterSecond.NextAttemptAt, sandboxNow.AddSeconds(40 + 48), sandboxNow.AddSeconds(40 + 72));

        await host.AdvanceSandboxAsync(TimeSpan.FromSeconds(80));
        var third = await receiver.NextAsync();
        var delivered = await WaitForDeliveryAsync(host, notification.NotificationId, d => d.State == IpnDeliveryState.Delivered);

        Assert.Equal(3, delivered.Attempts);
        Assert.Equal([500, IpnReceiver.Hang, 200], new[] { first, second, third }.Select(r => r.Answer));
        using var verifier = await VerifierAsync(host);
        foreach (var request in new[] { first, second, third })
        {
            // Every attempt carries the same NotificationId: the receiver's de-duplication key.
            Assert.Equal(notification.NotificationId, (await verifier.VerifyAsync(request.Body)).Message.NotificationId);
        }

        var attempts = host.Store.Read(reader => reader.ListIpnAttempts(delivered.DeliveryId));
        Assert.Equal([IpnAttemptOutcome.HttpError, IpnAttemptOutcome.Timeout, IpnAttemptOutcome.Delivered], attempts.Select(a => a.Outcome));
        Assert.Equal([500, null, 200], attempts.Select(a => a.StatusCode));
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
        Assert.Equal("scripted failure 500", attempts[0].Detail);
        Assert.InRange(attempts[1].LatencyMs, 1_900, 20_000);
        Assert.Equal("ok", attempts[2].Detail);
    }

    [Fact]
    public async Task Delivery_AfterTheLastAttempt_IsFailed_AndRedeliverSendsItAgainWithTheSameNotificationId()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        receiver.Script(500, 503);
        await using var host = await TillpointHost.StartAsync(Fast(maxAttempts: 2));
        var merchant = await host.CreateMerchantAsync();
        await AddEndpointAsync(host, merchant, receiver.Url);
        using var client = host.Client(merchant);
        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant);
        var notification = Assert.Single(Outbox(host, merchant, permissionId));

        await receiver.NextAsync();
        await WaitForDeliveryAsync(host, notification.NotificationId, d => d.Attempts == 1);
        await host.AdvanceSandboxAsync(PastAnyEarlyRetry);
        await receiver.NextAsync();
        var failed = await WaitForDeliveryAsync(host, notification.NotificationId, d => d.State == IpnDeliveryState.Failed);
        Assert.Equal(2, failed.Attempts);
        Assert.Equal("HTTP 503", failed.LastResult);
        // Failed is final: moving the clock on brings no further attempt.
        await host.AdvanceSandboxAsync(TimeSpan.FromHours(2));
        Assert.Equal(IpnDeliveryState.Failed, host.Store.Read(reader => reader.GetIpnDelivery(failed.DeliveryId))!.State);

        var (exit, output, _) = await host.CliAsync("ipn", "redeliver", notification.NotificationId, "--json");
        Assert.Equal(0, exit);
        Assert.Equal(1, JsonDocument.Parse(output).RootElement.GetProperty("reset").GetInt32());
        var again = await receiver.NextAsync();
        var delivered = await WaitForDeliveryAsync(host, notification.NotificationId, d => d.State == IpnDeliveryState.Delivered);

        Assert.Equal(200, again.Answer);
        using var verifier = await VerifierAsync(host);
        Assert.Equal(notification.NotificationId, (await verifier.VerifyAsync(again.Body)).Message.NotificationId);
        Assert.Equal(2, delivered.Series);
        Assert.Equal(1, delivered.Attempts);
        var attempts = host.Store.Read(reader => reader.ListIpnAttempts(delivered.DeliveryId));
        Assert.Equal([(1, 1), (1, 2), (2, 1)], attempts.Select(a => (a.Series, a.Attempt)));
        Assert.Equal(3, receiver.Received.Count);
    }

    [Fact]
    public async Task Restart_InTheMiddleOfARetrySchedule_LosesNothingAndRepeatsNothing()
    {
        using var storage = TestStorage.Create();
        await using var receiver = await IpnReceiver.StartAsync();
        receiver.Script(500);
        string notificationId;
        await using (var first = await TillpointHost.StartAsync(storage, Fast()))
        {
            var merchant = await first.CreateMerchantAsync();
            await AddEndpointAsync(first, merchant, receiver.Url);
            using var client = first.Client(merchant);
            var permissionId = await Payments.ChargePermissionAsync(first, client, merchant);
            notificationId = Assert.Single(Outbox(first, merchant, permissionId)).NotificationId;
            await receiver.NextAsync();
            await WaitForDeliveryAsync(first, notificationId, d => d.Attempts == 1);
        }

        await using var second = await TillpointHost.StartAsync(storage, Fast());
        var pending = await WaitForDeliveryAsync(second, notificationId, d => true);
        Assert.Equal(IpnDeliveryState.Pending, pending.State);
        Assert.Equal(1, pending.Attempts);
        await second.AdvanceSandboxAsync(PastAnyEarlyRetry);
        var retried = await receiver.NextAsync();
        var delivered = await WaitForDeliveryAsync(second, notificationId, d => d.State == IpnDeliveryState.Delivered);

        Assert.Equal(200, retried.Answer);
        Assert.Equal(2, delivered.Attempts);
        Assert.Equal(2, second.Store.Read(reader => reader.ListIpnAttempts(delivered.DeliveryId)).Count);
        Assert.Equal(2, receiver.Received.Count);
        using var verifier = await VerifierAsync(second);
        Assert.All(
            await Task.WhenAll(receiver.Received.Select(r => verifier.VerifyAsync(r.Body))),
            n => Assert.Equal(notificationId, n.Message.NotificationId));
    }

    [Fact]
    public async Task RefusedCommand_EnqueuesNoNotification()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();
        await AddEndpointAsync(host, merchant, receiver.Url);
        using var client = host.Client(merchant);
        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant, "100.00");
        var chargeId = (await Payments.CreateChargeAsync(client, permissionId, "40.00")).Value.ChargeId!;
        var before = Outbox(host, merchant, permissionId);

        var overCapture = await Payments.OutcomeAsync(() => Checkouts.CaptureAsync(client, chargeId, "400.00"));
        var overRefund = await Payments.OutcomeAsync(() => Payments.RefundAsync(client, chargeId, "1.00"));

        Assert.NotEqual(200, overCapture.StatusCode);
        Assert.NotEqual(201, overRefund.StatusCode);
        Assert.NotEmpty(before);
        Assert.Equal(before, Outbox(host, merchant, permissionId));
        Assert.Equal(
            host.Store.Read(reader => reader.GetEvents(merchant.MerchantId, permissionId)).Count(e => IpnOutbox.Notifies(e.Event)),
            before.Count);
    }

    [Fact]
    public async Task LoopbackReceiver_TheServerDoesNotAllow_IsNeverContacted_AndTheDashboardShowsNoAnswer()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        receiver.Script(500);
        await using var host = await TillpointHost.StartAsync(Fast(allowedHosts: new HashSet<string>()));
        var merchant = await host.CreateMerchantAsync();
        // Stored by a tool that allowed it; this server does not, so it never sends there.
        await AddEndpointAsync(host, merchant, receiver.Url);
        using var client = host.Client(merchant);
        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant);
        var notification = Assert.Single(Outbox(host, merchant, permissionId));

        var failed = await WaitForDeliveryAsync(host, notification.NotificationId, d => d.State == IpnDeliveryState.Failed);
        var attempt = Assert.Single(host.Store.Read(reader => reader.ListIpnAttempts(failed.DeliveryId)));
        using var dashboard = await Dashboard.DashboardClient.SignedInAsync(host);
        var (_, page) = await dashboard.GetAsync($"/dashboard/ipn/{failed.DeliveryId}");

        Assert.Empty(receiver.Received);
        Assert.Equal(IpnAttemptOutcome.Refused, attempt.Outcome);
        Assert.Contains("127.0.0.1 is a loopback address", attempt.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("scripted failure", page, StringComparison.Ordinal);
        Assert.Contains("loopback address", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotAllowedTarget_IsRefusedByIpnAdd_AndNeverPostedTo_EvenIfStoredAnyway()
    {
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();

        var (exit, _, error) = await host.CliAsync("ipn", "add", "--merchant", merchant.MerchantId, "--environment", "sandbox", "--url", "http://receiver.example.test/ipn");
        Assert.Equal(2, exit);
        Assert.Contains("plain HTTP is allowed only to a receiver the server allows", error, StringComparison.Ordinal);
        var (ftpExit, _, ftpError) = await host.CliAsync("ipn", "add", "--merchant", merchant.MerchantId, "--environment", "sandbox", "--url", "ftp://127.0.0.1/ipn");
        Assert.Equal(2, ftpExit);
        Assert.Contains("neither https nor http", ftpError, StringComparison.Ordinal);
        Assert.Empty(host.Store.Read(reader => reader.ListIpnEndpoints(merchant.MerchantId, null)));

        // Stored by a tool that allowed the host (the CLI with --allow-host), but this server does not allow it: the
        // dispatcher checks again before sending, and refuses without a connection attempt.
        var (allowedExit, _, allowedError) = await host.CliAsync(
            "ipn", "add", "--merchant", merchant.MerchantId, "--environment", "sandbox", "--url", "http://receiver.example.test/ipn", "--allow-host", "receiver.example.test");
        Assert.True(allowedExit == 0, allowedError);
        using var client = host.Client(merchant);
        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant);
        var notification = Assert.Single(Outbox(host, merchant, permissionId));
        var failed = await WaitForDeliveryAsync(host, notification.NotificationId, d => d.State == IpnDeliveryState.Failed);

        var attempt = Assert.Single(host.Store.Read(reader => reader.ListIpnAttempts(failed.DeliveryId)));
        Assert.Equal(IpnAttemptOutcome.Refused, attempt.Outcome);
        Assert.Null(attempt.StatusCode);
        Assert.Equal("target not allowed", failed.LastResult);
    }

    [Fact]
    public async Task LiveAndSandbox_GoToTheirOwnEndpoints()
    {
        await using var sandboxReceiver = await IpnReceiver.StartAsync();
        await using var liveReceiver = await IpnReceiver.StartAsync();
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();
        await AddEndpointAsync(host, merchant, sandboxReceiver.Url, "sandbox");
        await AddEndpointAsync(host, merchant, liveReceiver.Url, "live");
        using var live = host.Client(merchant, merchant.LiveKeyId, sandbox: false);

        var permissionId = await Payments.ChargePermissionAsync(host, live, merchant);
        var received = await liveReceiver.NextAsync();

        using var verifier = await VerifierAsync(host);
        var notification = await verifier.VerifyAsync(received.Body);
        Assert.Equal(permissionId, notification.Message.ObjectId);
        Assert.Equal($"arn:tillpoint:sns:local:{merchant.MerchantId}:ipn-live", notification.Envelope.TopicArn);
        await WaitForDeliveryAsync(host, notification.Message.NotificationId, d => d.State == IpnDeliveryState.Delivered);
        Assert.Empty(sandboxReceiver.Received);
    }
}
