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
    [InlineData("https://10.1.2.3/ipn", true)]
    [InlineData("http://127.0.0.1:5000/ipn", true)]
    [InlineData("http://127.9.9.9/ipn", true)]
    [InlineData("http://[::1]/ipn", true)]
    [InlineData("http://LOCALHOST/ipn", true)]
    [InlineData("http://shop.example.com/ipn", false)]
    [InlineData("http://allowed.example.com/ipn", true)]
    [InlineData("http://ALLOWED.example.com:8080/ipn", true)]
    [InlineData("http://192.168.1.10/ipn", false)]
    [InlineData("ftp://127.0.0.1/ipn", false)]
    [InlineData("/relative/ipn", false)]
    [InlineData("https://u:p@shop.example.com/ipn", false)]
    public void Refusal_AllowsHttpsAndLoopbackHttpAndAllowedHostsOnly(string url, bool allowed)
    {
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "allowed.example.com" };

        Assert.Equal(allowed, IpnTargets.Refusal(url, hosts) is null);
    }

    [Fact]
    public void Refusal_OfAnOverlongUrl_NamesTheLimit()
    {
        var url = "https://shop.example.com/" + new string('a', IpnTargets.MaxUrlLength);

        Assert.Contains("2048", IpnTargets.Refusal(url, new HashSet<string>()), StringComparison.Ordinal);
    }
}
