using System.Globalization;
using Tillpoint.Server.Hosting;
using Tillpoint.Server.Tests.Hosting;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Server.Throttling;

namespace Tillpoint.Server.Tests.Throttling;

/// <summary>Every injected fault and every throttled request is counted (metrics are per process: these run alone).</summary>
[Collection(nameof(MetricsCollection))]
public sealed class FaultMetricsTests
{
    [Fact]
    public async Task InjectedFaultsAndThrottledRequests_AreCounted_ByOperation()
    {
        await using var host = await TillpointHost.StartAsync(options => options with { MetricsAccess = MetricsAccess.Open, Throttling = ThrottlingMode.Amazon });
        var merchant = await host.CreateMerchantAsync();
        var before = await ScrapeAsync(host);
        await FaultTests.PutAsync(host, new { merchantId = merchant.MerchantId, operation = "GetCharge", rate = 1, kind = "ServiceUnavailable" });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(503, (await Signed.SendAsync(host, merchant, HttpMethod.Get, "/sandbox/v2/charges/S01-0000000-0000000-C000000")).Status);
        }

        for (var i = 0; i < 11; i++)
        {
            await Signed.GetUnknownSessionAsync(host, merchant);
        }

        var after = await ScrapeAsync(host);

        Assert.Equal(3, Delta(before, after, "tillpoint_faults_injected_total", "kind=\"ServiceUnavailable\"", "operation=\"GetCharge\""));
        Assert.Equal(1, Delta(before, after, "tillpoint_throttled_total", "operation=\"GetCheckoutSession\""));
        Assert.Equal(3, Delta(before, after, "tillpoint_requests_total", "operation=\"GetCharge\"", "status_code=\"503\""));
    }

    private static async Task<(string Series, double Value)[]> ScrapeAsync(TillpointHost host)
    {
        using var http = new HttpClient { BaseAddress = host.HttpBase };
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return [.. text.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => (line[..line.LastIndexOf(' ')], double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))];
    }

    /// <summary>The growth of the series named <paramref name="name"/> with every one of <paramref name="labels"/>.</summary>
    private static double Delta((string Series, double Value)[] before, (string Series, double Value)[] after, string name, params string[] labels)
    {
        double Sum((string Series, double Value)[] scrape) =>
            scrape.Where(s => s.Series.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(label => s.Series.Contains(label, StringComparison.Ordinal)))
                .Sum(s => s.Value);
        return Sum(after) - Sum(before);
    }
}
