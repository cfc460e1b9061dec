using System.Text.Json;
using Tillpoint.Server.Tests.Support;
using static Tillpoint.Server.Tests.Ipn.IpnTestSupport;

namespace Tillpoint.Server.Tests.Ipn;

/// <summary>The <c>tillpoint ipn</c> forms scripts rely on: keep these shapes stable.</summary>
public sealed class IpnCliTests
{
    [Fact]
    public async Task AddListRemove_Json_KeepTheirShapes()
    {
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();
        const string Url = "https://shop.example.com/amazon-pay/ipn";

        var (addExit, added, _) = await host.CliAsync("ipn", "add", "--merchant", merchant.MerchantId, "--environment", "live", "--url", Url, "--json");
        var (againExit, _, againError) = await host.CliAsync("ipn", "add", "--merchant", merchant.MerchantId, "--environment", "live", "--url", Url);
        await host.CliAsync("ipn", "add", "--merchant", merchant.MerchantId, "--environment", "sandbox", "--url", "http://127.0.0.1:9/ipn", "--allow-host", "127.0.0.1:9");
        var (listExit, listed, _) = await host.CliAsync("ipn", "list", "--merchant", merchant.MerchantId, "--json");
        var (_, liveOnly, _) = await host.CliAsync("ipn", "list", "--merchant", merchant.MerchantId, "--environment", "live", "--json");
        var (_, table, _) = await host.CliAsync("ipn", "list", "--merchant", merchant.MerchantId);
        var (removeExit, removed, _) = await host.CliAsync("ipn", "remove", "--merchant", merchant.MerchantId, "--environment", "live", "--url", Url, "--json");
        var (removeAgainExit, _, removeAgainError) = await host.CliAsync("ipn", "remove", "--merchant", merchant.MerchantId, "--environment", "live", "--url", Url);
        var (_, afterRemove, _) = await host.CliAsync("ipn", "list", "--merchant", merchant.MerchantId, "--json");

        Assert.Equal(0, addExit);
        var endpoint = JsonDocument.Parse(added).RootElement;
        Assert.Equal(["merchantId", "environment", "url", "createdAt"], endpoint.EnumerateObject().Select(p => p.Name));
        Assert.Equal("live", endpoint.GetProperty("environment").GetString());
        Assert.Equal(Url, endpoint.GetProperty("url").GetString());
        Assert.Equal(4, againExit);
        Assert.Contains("already has the endpoint", againError, StringComparison.Ordinal);
        Assert.Equal(0, listExit);
        Assert.Equal(["sandbox", "live"], JsonDocument.Parse(listed).RootElement.EnumerateArray().Select(e => e.GetProperty("environment").GetString()).Order().Reverse());
        Assert.Equal([Url], JsonDocument.Parse(liveOnly).RootElement.EnumerateArray().Select(e => e.GetProperty("url").GetString()));
        Assert.StartsWith("ENVIRONMENT", table, StringComparison.Ordinal);
        Assert.Contains(Url, table, StringComparison.Ordinal);
        Assert.Equal(0, removeExit);
        Assert.Equal(Url, JsonDocument.Parse(removed).RootElement.GetProperty("url").GetString());
        Assert.Equal(3, removeAgainExit);
        Assert.Contains("has no endpoint", removeAgainError, StringComparison.Ordinal);
        Assert.Equal(["http://127.0.0.1:9/ipn"], JsonDocument.Parse(afterRemove).RootElement.EnumerateArray().Select(e => e.GetProperty("url").GetString()));
    }

    [Theory]
    [InlineData("not a url", "is not an absolute URL")]
    [InlineData("http://shop.example.com/ipn", "plain HTTP is allowed only")]
    [InlineData("http://10.0.0.5/ipn", "10.0.0.5 is a private address")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address")]
    [InlineData("https://[fd00::1]/ipn", "is a private address")]
    [InlineData("https://[fe80::1]/ipn", "is a link-local address")]
    [InlineData("https://172.20.0.1/ipn", "is a private address")]
    [InlineData("https://192.168.1.10:8443/ipn", "--ipn-allow-host 192.168.1.10:8443")]
    [InlineData("http://127.0.0.1:5000/ipn", "127.0.0.1 is a loopback address")]
    [InlineData("https://localhost/ipn", "localhost is a loopback address")]
    [InlineData("https://0.0.0.0/ipn", "is a unspecified address")]
    [InlineData("https://user:secret@shop.example.com/ipn", "user name or password")]
    [InlineData("file:///etc/passwd", "neither https nor http")]
    public async Task Add_OfATargetThatIsNotAllowed_FailsAndStoresNothing(string url, string why)
    {
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();

        var (exit, _, error) = await host.CliAsync("ipn", "add", "--merchant", merchant.MerchantId, "--environment", "sandbox", "--url", url);

        Assert.Equal(2, exit);
        Assert.Contains(why, error, StringComparison.Ordinal);
        Assert.Empty(host.Store.Read(reader => reader.ListIpnEndpoints(merchant.MerchantId, null)));
    }

    [Theory]
    [InlineData("http://[::1]:8080/ipn", "[::1]:8080")]
    [InlineData("http://localhost/ipn", "LOCALHOST")]
    [InlineData("http://127.0.0.2:9000/ipn", "127.0.0.2")]
    [InlineData("https://10.1.2.3/ipn", "10.1.2.3:443")]
    public async Task Add_OfAReceiverOnThisMachineOrThePrivateNetwork_IsAccepted_WhenAllowed(string url, string allowed)
    {
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();

        var (exit, _, error) = await host.CliAsync("ipn", "add", "--merchant", merchant.MerchantId, "--environment", "sandbox", "--url", url, "--allow-host", allowed);

        Assert.True(exit == 0, error);
    }

    [Fact]
    public async Task Add_WithAnAllowedHostThatIsNotAHost_IsAUsageError()
    {
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();

        var (exit, _, error) = await host.CliAsync(
            "ipn", "add", "--merchant", merchant.MerchantId, "--environment", "sandbox", "--url", "http://127.0.0.1:5000/ipn", "--allow-host", "http://127.0.0.1:5000/");

        Assert.Equal(2, exit);
        Assert.Contains("is not a host or host:port", error, StringComparison.Ordinal);
        Assert.Empty(host.Store.Read(reader => reader.ListIpnEndpoints(merchant.MerchantId, null)));
    }

    [Theory]
    [InlineData("--ipn-max-attempts", "0", "--ipn-max-attempts must be between 1 and 100")]
    [InlineData("--ipn-timeout-seconds", "600", "--ipn-timeout-seconds must be between 1 and 120")]
    [InlineData("--ipn-first-retry-seconds", "0", "--ipn-first-retry-seconds must be between 1 and 3600")]
    public async Task Serve_WithAnOutOfRangeIpnOption_RefusesToStart(string option, string value, string message)
    {
        await using var host = await TillpointHost.StartAsync(Fast());

        var (exit, _, error) = await host.CliAsync("serve", option, value);

        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInputs_FailWithAClearMessage()
    {
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();

        var (noMerchant, _, noMerchantError) = await host.CliAsync("ipn", "add", "--merchant", "ANOBODY", "--environment", "sandbox", "--url", "https://a.example/ipn");
        var (badEnvironment, _, badEnvironmentError) = await host.CliAsync("ipn", "add", "--merchant", merchant.MerchantId, "--environment", "staging", "--url", "https://a.example/ipn");
        var (noEnvironment, _, _) = await host.CliAsync("ipn", "add", "--merchant", merchant.MerchantId, "--url", "https://a.example/ipn");
        var (badState, _, badStateError) = await host.CliAsync("ipn", "deliveries", "--state", "lost");
        var (badLimit, _, badLimitError) = await host.CliAsync("ipn", "deliveries", "--limit", "100000");
        var (unknownDelivery, _, unknownDeliveryError) = await host.CliAsync("ipn", "deliveries", "--delivery", "nope");
        var (unknownRedeliver, _, unknownRedeliverError) = await host.CliAsync("ipn", "redeliver", "nope");
        var (listNoMerchant, _, listNoMerchantError) = await host.CliAsync("ipn", "list", "--merchant", "ANOBODY");

        Assert.Equal(3, noMerchant);
        Assert.Contains("ANOBODY", noMerchantError, StringComparison.Ordinal);
        Assert.Equal(2, badEnvironment);
        Assert.Contains("sandbox or live", badEnvironmentError, StringComparison.Ordinal);
        Assert.Equal(2, noEnvironment);
        Assert.Equal(2, badState);
        Assert.Contains("pending, delivered or failed", badStateError, StringComparison.Ordinal);
        Assert.Equal(2, badLimit);
        Assert.Contains("--limit must be between 1 and 500", badLimitError, StringComparison.Ordinal);
        Assert.Equal(3, unknownDelivery);
        Assert.Contains("No delivery", unknownDeliveryError, StringComparison.Ordinal);
        Assert.Equal(3, unknownRedeliver);
        Assert.Contains("nope", unknownRedeliverError, StringComparison.Ordinal);
        Assert.Equal(3, listNoMerchant);
        Assert.Contains("No merchant", listNoMerchantError, StringComparison.Ordinal);
        Assert.Empty(host.Store.Read(reader => reader.ListIpnEndpoints(merchant.MerchantId, null)));
    }

    [Fact]
    public async Task Deliveries_ListFilterPageAndShowAttempts_AndRedeliverByDeliveryId()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();
        await AddEndpointAsync(host, merchant, receiver.Url);
        using var client = host.Client(merchant);
        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant, "100.00");
        await Payments.CreateChargeAsync(client, permissionId, "10.00", captureNow: true);
        var outbox = Outbox(host, merchant, permissionId);
        await receiver.NextAsync(outbox.Count);
        foreach (var notification in outbox)
        {
            await WaitForDeliveryAsync(host, notification.NotificationId, d => d.State == Storage.IpnDeliveryState.Delivered);
        }

        var (exit, listed, _) = await host.CliAsync("ipn", "deliveries", "--merchant", merchant.MerchantId, "--environment", "sandbox", "--state", "delivered", "--json");
        var (_, firstPage, _) = await host.CliAsync("ipn", "deliveries", "--merchant", merchant.MerchantId, "--limit", "1", "--json");
        var firstSequence = JsonDocument.Parse(firstPage).RootElement[0].GetProperty("sequence").GetInt64();
        var (_, secondPage, _) = await host.CliAsync("ipn", "deliveries", "--merchant", merchant.MerchantId, "--limit", "1", "--before", firstSequence.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        var (_, pending, _) = await host.CliAsync("ipn", "deliveries", "--merchant", merchant.MerchantId, "--state", "pending", "--json");
        var (_, table, _) = await host.CliAsync("ipn", "deliveries", "--merchant", merchant.MerchantId);

        Assert.Equal(0, exit);
        var deliveries = JsonDocument.Parse(listed).RootElement.EnumerateArray().ToList();
        Assert.Equal(outbox.Count, deliveries.Count);
        Assert.Equal(
            ["sequence", "deliveryId", "notificationId", "merchantId", "environment", "objectType", "objectId", "chargePermissionId", "url", "state",
             "series", "attempts", "nextAttemptAt", "createdAt", "lastAttemptAt", "lastResult"],
            deliveries[0].EnumerateObject().Select(p => p.Name));
        // Newest first.
        Assert.Equal(outbox.Select(n => n.NotificationId).Reverse(), deliveries.Select(d => d.GetProperty("notificationId").GetString()));
        Assert.All(deliveries, d => Assert.Equal("HTTP 200", d.GetProperty("lastResult").GetString()));
        Assert.Equal(deliveries[0].GetProperty("deliveryId").GetString(), JsonDocument.Parse(firstPage).RootElement.EnumerateArray().Single().GetProperty("deliveryId").GetString());
        Assert.Equal(deliveries[1].GetProperty("deliveryId").GetString(), JsonDocument.Parse(secondPage).RootElement.EnumerateArray().Single().GetProperty("deliveryId").GetString());
        Assert.Equal(0, JsonDocument.Parse(pending).RootElement.GetArrayLength());
        Assert.StartsWith("SEQ", table, StringComparison.Ordinal);

        var deliveryId = deliveries[0].GetProperty("deliveryId").GetString()!;
        var notificationId = deliveries[0].GetProperty("notificationId").GetString()!;
        var (redeliverExit, redelivered, _) = await host.CliAsync("ipn", "redeliver", deliveryId, "--json");
        Assert.Equal(0, redeliverExit);
        Assert.Equal(1, JsonDocument.Parse(redelivered).RootElement.GetProperty("reset").GetInt32());
        await receiver.NextAsync();
        await WaitForDeliveryAsync(host, notificationId, d => d is { State: Storage.IpnDeliveryState.Delivered, Series: 2 });

        var (showExit, shown, _) = await host.CliAsync("ipn", "deliveries", "--delivery", deliveryId, "--json");
        var (_, shownTable, _) = await host.CliAsync("ipn", "deliveries", "--delivery", deliveryId);
        Assert.Equal(0, showExit);
        var detail = JsonDocument.Parse(shown).RootElement;
        Assert.Equal(["delivery", "attempts"], detail.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, detail.GetProperty("delivery").GetProperty("series").GetInt32());
        var attempts = detail.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([1, 2], attempts.Select(a => a.GetProperty("series").GetInt32()));
        Assert.All(attempts, a => Assert.Equal("Delivered", a.GetProperty("outcome").GetString()));
        Assert.All(attempts, a => Assert.Equal(200, a.GetProperty("statusCode").GetInt32()));
        Assert.Equal(
            ["series", "attempt", "attemptedAt", "outcome", "statusCode", "latencyMs", "detail"],
            attempts[0].EnumerateObject().Select(p => p.Name));
        Assert.Contains("OUTCOME", shownTable, StringComparison.Ordinal);
    }
}
