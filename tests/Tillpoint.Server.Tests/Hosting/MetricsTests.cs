using System.Globalization;
using System.Net;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>
/// Metrics are per process (the meter provider listens to every "Tillpoint" meter), so these tests run alone, after
/// the parallel ones, and compare scrapes taken before and after their own requests.
/// </summary>
[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;

[Collection(nameof(MetricsCollection))]
public sealed class MetricsTests : IAsyncLifetime
{
    private TillpointHost Host { get; set; } = null!;

    private TestMerchant Merchant { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TillpointHost.StartAsync(options => options with { MetricsAccess = Tillpoint.Server.Hosting.MetricsAccess.Open });
        Merchant = await Host.CreateMerchantAsync();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    [Fact]
    public async Task Metrics_AfterSignedRequests_CountThemByOperationStatusAndReason()
    {
        var before = await ScrapeAsync();
        using var client = Host.Client(Merchant);
        var key = AmazonPayClient.NewIdempotencyKey();

        var created = await Checkouts.CreateAsync(client, Merchant, key);
        await Checkouts.CreateAsync(client, Merchant, key);
        await client.GetCheckoutSessionAsync(created.Value.CheckoutSessionId!);
        var missing = await RawRequests.SendAsync(Host, Merchant, Merchant.SandboxKeyId, HttpMethod.Get, "/sandbox/v2/charges/S01-0000000-0000000-C000000");
        var unsigned = await RawRequests.SendAsync(Host, Merchant, "SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA", HttpMethod.Get, "/sandbox/v2/charges/S01-0000000-0000000-C000000");
        var after = await ScrapeAsync();

        Assert.Equal(404, missing.StatusCode);
        Assert.Equal(401, unsigned.StatusCode);
        Assert.Equal(2, Delta(before, after, "tillpoint_requests_total", "operation=\"CreateCheckoutSession\"", "status_code=\"201\""));
        Assert.Equal(1, Delta(before, after, "tillpoint_requests_total", "operation=\"GetCheckoutSession\"", "status_code=\"200\""));
        Assert.Equal(1, Delta(before, after, "tillpoint_requests_total", "operation=\"GetCharge\"", "status_code=\"404\""));
        Assert.Equal(1, Delta(before, after, "tillpoint_requests_total", "operation=\"GetCharge\"", "status_code=\"401\""));
        Assert.Equal(1, Delta(before, after, "tillpoint_signature_failures_total", "reason=\"UnauthorizedAccess\""));
        Assert.Equal(1, Delta(before, after, "tillpoint_idempotent_replays_total"));
        Assert.Equal(2, Delta(before, after, "tillpoint_request_duration_seconds_count", "operation=\"GetCharge\""));
        Assert.Equal(2, Delta(before, after, "tillpoint_request_duration_seconds_bucket", "operation=\"GetCharge\"", "le=\"+Inf\""));
    }

    [Fact]
    public async Task Metrics_AfterAWriteAndARead_ShowStoreLatency()
    {
        var before = await ScrapeAsync();
        using var client = Host.Client(Merchant);

        var created = await Checkouts.CreateAsync(client, Merchant, AmazonPayClient.NewIdempotencyKey());
        await client.GetCheckoutSessionAsync(created.Value.CheckoutSessionId!);
        var after = await ScrapeAsync();

        Assert.True(Delta(before, after, "tillpoint_store_duration_seconds_count", "kind=\"write\"") >= 1);
        Assert.True(Delta(before, after, "tillpoint_store_duration_seconds_sum", "kind=\"write\"") > 0);
        Assert.True(Delta(before, after, "tillpoint_store_duration_seconds_count", "kind=\"read\"") >= 1);
    }

    [Fact]
    public async Task Metrics_AnIpnBacklogRegistered_IsReportedAsAGauge()
    {
        // The first scrape starts the listener (it starts lazily), so the attempt below is counted whatever ran before.
        await ScrapeAsync();
        Tillpoint.Server.Hosting.TillpointMetrics.RegisterIpnBacklog(() => 7);
        Tillpoint.Server.Hosting.TillpointMetrics.IpnAttempt("delivered", 0.02);

        var scrape = await ScrapeAsync();

        Assert.Equal(7, Value(scrape, "tillpoint_ipn_backlog"));
        Assert.True(Value(scrape, "tillpoint_ipn_attempts_total", "outcome=\"delivered\"") >= 1);
    }

    [Fact]
    public async Task Metrics_WithOperatorAccess_NeedTheOperatorToken()
    {
        await using var host = await TillpointHost.StartAsync(options => options with { MetricsAccess = Tillpoint.Server.Hosting.MetricsAccess.Operator });
        using var http = new HttpClient { BaseAddress = host.HttpBase };

        using var anonymous = await http.GetAsync("/metrics");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TillpointHost.OperatorToken);
        using var operatorScrape = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("UnauthorizedAccess", JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync()).RootElement.GetProperty("reasonCode").GetString());
        Assert.Equal(HttpStatusCode.OK, operatorScrape.StatusCode);
        Assert.Contains("# TYPE", await operatorScrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ByDefault_AreNotServed()
    {
        await using var host = await TillpointHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.HttpBase };

        using var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<IReadOnlyList<(string Series, double Value)>> ScrapeAsync()
    {
        using var http = new HttpClient { BaseAddress = Host.HttpBase };
        using var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return [.. text.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => (Series: line[..line.LastIndexOf(' ')], Value: double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))];
    }

    /// <summary>The sum over the series named <paramref name="name"/> whose labels include every one of <paramref name="labels"/>.</summary>
    private static double Value(IReadOnlyList<(string Series, double Value)> scrape, string name, params string[] labels) =>
        scrape.Where(s => (s.Series == name || s.Series.StartsWith(name + "{", StringComparison.Ordinal))
                && labels.All(label => s.Series.Contains(label, StringComparison.Ordinal)))
            .Sum(s => s.Value);

    private static double Delta(
        IReadOnlyList<(string Series, double Value)> before, IReadOnlyList<(string Series, double Value)> after, string name, params string[] labels) =>
        Value(after, name, labels) - Value(before, name, labels);
}
