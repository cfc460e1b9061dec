using Tillpoint.Server.Ipn;

namespace Tillpoint.Server.Tests.Ipn;

/// <summary>The retry schedule and the target rules, as pure functions.</summary>
public sealed class IpnScheduleTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Max = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(12, 3600)]
    [InlineData(1000, 3600)]
    public void Delay_DoublesUpToTheCap_WithinTwentyPercent(int failedAttempts, int centreSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(centreSeconds), IpnRetrySchedule.Delay(failedAttempts, First, Max, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(centreSeconds * 0.8), IpnRetrySchedule.Delay(failedAttempts, First, Max, 0.0));
        Assert.True(IpnRetrySchedule.Delay(failedAttempts, First, Max, 0.999999) < TimeSpan.FromSeconds(centreSeconds * 1.2));
    }

    [Theory]
    [InlineData("https://shop.example.com/ipn", true)]
    [InlineData("https://203.0.113.7/ipn", true)]
    [InlineData("https://10.1.2.3/ipn", false)]
    [InlineData("https://172.16.0.1/ipn", false)]
    [InlineData("https://172.32.0.1/ipn", true)]
    [InlineData("https://169.254.169.254/ipn", false)]
    [InlineData("https://[fe80::1]/ipn", false)]
    [InlineData("https://[fc00::1]/ipn", false)]
    [InlineData("https://[::ffff:127.0.0.1]/ipn", false)]
    [InlineData("https://[::]/ipn", false)]
    [InlineData("http://127.0.0.1:5000/ipn", false)]
    [InlineData("http://127.0.0.1:5001/ipn", true)]
    [InlineData("http://127.9.9.9/ipn", false)]
    [InlineData("http://[::1]/ipn", true)]
    [InlineData("http://LOCALHOST/ipn", false)]
    [InlineData("http://shop.example.com/ipn", false)]
    [InlineData("http://allowed.example.com/ipn", true)]
    [InlineData("http://ALLOWED.example.com:8080/ipn", true)]
    [InlineData("http://192.168.1.10/ipn", false)]
    [InlineData("ftp://127.0.0.1/ipn", false)]
    [InlineData("/relative/ipn", false)]
    [InlineData("https://u:p@shop.example.com/ipn", false)]
    public void Refusal_AllowsPublicHttpsAndAllowedReceiversOnly(string url, bool allowed)
    {
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "allowed.example.com", "127.0.0.1:5001", "::1" };

        Assert.Equal(allowed, IpnTargets.Refusal(url, hosts) is null);
    }

    [Fact]
    public async Task Connect_ToANameThatResolvesToLoopback_IsRefusedBeforeConnecting_UnlessAllowed()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var target = new System.Net.DnsEndPoint("localhost", port);

        var refused = await Assert.ThrowsAsync<IpnTargetRefusedException>(
            async () => await IpnTargets.ConnectAsync(target, new HashSet<string> { "localhost:1" }, CancellationToken.None));
        await using var allowed = await IpnTargets.ConnectAsync(target, new HashSet<string> { $"localhost:{port}" }, CancellationToken.None);

        Assert.Contains("resolves only to addresses notifications are not sent to (loopback)", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"--ipn-allow-host localhost:{port}", refused.Message, StringComparison.Ordinal);
        Assert.True(allowed.CanWrite);
    }

    [Fact]
    public void Refusal_OfAnOverlongUrl_NamesTheLimit()
    {
        var url = "https://shop.example.com/" + new string('a', IpnTargets.MaxUrlLength);

        Assert.Contains("2048", IpnTargets.Refusal(url, new HashSet<string>()), StringComparison.Ordinal);
    }
}
