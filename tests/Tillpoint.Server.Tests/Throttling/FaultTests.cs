using System.Net;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Domain;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Throttling;

/// <summary>
/// The operator's injected faults (<c>/operator/faults</c>): answered before the operation in Amazon's error format,
/// never changing state, sandbox only, reproducible with a seed. Tests of this class share one server and run one after
/// another, each clearing the rules it set.
/// </summary>
public sealed class FaultTests(HostFixture fixture) : IClassFixture<HostFixture>, IAsyncLifetime
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    public Task InitializeAsync() => ClearAsync(Host);

    public Task DisposeAsync() => ClearAsync(Host);

    [Theory]
    [InlineData("InternalServerError", 500)]
    [InlineData("ServiceUnavailable", 503)]
    public async Task AHundredPercent5xx_ChangesNothing_AndTheRetryWithTheSameKeyActsOnce(string kind, int status)
    {
        using var client = Host.Client(Merchant);
        var chargeId = (await Checkouts.AuthorizedAsync(Host, client, Merchant)).ChargeId!;
        await PutAsync(Host, new { merchantId = Merchant.MerchantId, rate = 1, kind });
        var key = AmazonPayClient.NewIdempotencyKey();

        var capture = await Payments.OutcomeAsync(() => Checkouts.CaptureAsync(client, chargeId, idempotencyKey: key));
        var read = await Payments.OutcomeAsync(() => client.GetChargeAsync(chargeId));
        var created = await Payments.OutcomeAsync(() => Checkouts.CreateAsync(client, Merchant));
        await ClearAsync(Host);
        var stateAfterFaults = await Payments.ChargeStateAsync(client, chargeId);
        var retried = await Checkouts.CaptureAsync(client, chargeId, idempotencyKey: key);
        var replayed = await Checkouts.CaptureAsync(client, chargeId, idempotencyKey: key);

        Assert.Equal(new Outcome(status, kind), capture);
        Assert.Equal(new Outcome(status, kind), read);
        Assert.Equal(new Outcome(status, kind), created);
        Assert.Equal("Authorized", stateAfterFaults);
        Assert.Equal(("Captured", 200), (retried.Value.StatusDetails!.State, retried.StatusCode));
        // A second capture of a Captured charge would be refused: a 200 is the first one's answer, replayed.
        Assert.Equal(("Captured", 200), (replayed.Value.StatusDetails!.State, replayed.StatusCode));
    }

    [Fact]
    public async Task AnInjected5xx_IsAmazonsErrorForm()
    {
        await PutAsync(Host, new { operation = "GetCheckoutSession", rate = 1, kind = "ServiceUnavailable" });
        using var http = RawRequests.Http(Host);

        using var response = await RawRequests.SendAsync(http, Host, Merchant, Merchant.SandboxKeyId, HttpMethod.Get, Signed.UnknownSession);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["reasonCode", "message"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ServiceUnavailable", body.GetProperty("reasonCode").GetString());
        Assert.Single(response.Headers.GetValues("x-amz-pay-request-id"));
    }

    [Fact]
    public async Task ARule_HitsOnlyItsMerchantAndOperation_AndTheMostSpecificRuleWins()
    {
        var other = await Host.CreateMerchantAsync();
        await PutAsync(Host, new { operation = "GetCheckoutSession", rate = 1, kind = "InternalServerError" });
        await PutAsync(Host, new { merchantId = other.MerchantId, operation = "GetCheckoutSession", rate = 0, kind = "InternalServerError" });

        Assert.Equal(500, await Signed.GetUnknownSessionAsync(Host, Merchant));
        Assert.Equal(404, await Signed.GetUnknownSessionAsync(Host, other));
        Assert.Equal(404, (await Signed.SendAsync(Host, Merchant, HttpMethod.Get, "/sandbox/v2/charges/S01-0000000-0000000-C000000")).Status);
    }

    [Fact]
    public async Task LiveRequests_MeetNoFaults()
    {
        await PutAsync(Host, new { rate = 1, kind = "InternalServerError" });

        Assert.Equal(404, await Signed.GetUnknownSessionAsync(Host, Merchant, Merchant.LiveKeyId, "/live/v2/checkoutSessions/00000000-0000-4000-8000-000000000000"));
        Assert.Equal(500, await Signed.GetUnknownSessionAsync(Host, Merchant));
    }

    [Fact]
    public async Task Latency_HoldsTheAnswer_ThenTheOperationRuns()
    {
        await PutAsync(Host, new { merchantId = Merchant.MerchantId, rate = 1, kind = "Latency", latencyMs = 400 });
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        var status = await Signed.GetUnknownSessionAsync(Host, Merchant);

        Assert.Equal(404, status);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(390));
    }

    [Fact]
    public async Task DropConnection_ClosesTheConnectionWithoutAnAnswer()
    {
        await PutAsync(Host, new { merchantId = Merchant.MerchantId, rate = 1, kind = "DropConnection" });
        using var http = RawRequests.Http(Host);

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            RawRequests.SendAsync(http, Host, Merchant, Merchant.SandboxKeyId, HttpMethod.Get, Signed.UnknownSession));
    }

    [Fact]
    public async Task TheRules_AreListedWithWhatTheyHit_ReplacedPerScope_AndCleared()
    {
        await PutAsync(Host, new { operation = "CreateCharge", rate = 0.5, kind = "InternalServerError" });
        await PutAsync(Host, new { merchantId = Merchant.MerchantId, rate = 1, kind = "ServiceUnavailable" });
        await PutAsync(Host, new { merchantId = Merchant.MerchantId, rate = 1, kind = "InternalServerError" });
        await Signed.GetUnknownSessionAsync(Host, Merchant);
        await Signed.GetUnknownSessionAsync(Host, Merchant);

        var listed = await SendAsync(Host, HttpMethod.Get, null);
        var cleared = await SendAsync(Host, HttpMethod.Delete, null);

        Assert.Equal(
            $$"""{"faults":[{"merchantId":"{{Merchant.MerchantId}}","operation":null,"rate":1,"kind":"InternalServerError","latencyMs":null,"injected":2},{"merchantId":null,"operation":"CreateCharge","rate":0.5,"kind":"InternalServerError","latencyMs":null,"injected":0}]}""",
            listed.Body);
        Assert.Equal((200, """{"faults":[]}"""), cleared);
        Assert.Equal(404, await Signed.GetUnknownSessionAsync(Host, Merchant));
    }

    [Theory]
    [InlineData("""{"kind":"InternalServerError"}""", "MissingParameterValue", "rate")]
    [InlineData("""{"rate":1.5,"kind":"InternalServerError"}""", "InvalidParameterValue", "rate")]
    [InlineData("""{"rate":-0.1,"kind":"InternalServerError"}""", "InvalidParameterValue", "rate")]
    [InlineData("""{"rate":"half","kind":"InternalServerError"}""", "InvalidParameterValue", "rate")]
    [InlineData("""{"rate":1}""", "MissingParameterValue", "kind")]
    [InlineData("""{"rate":1,"kind":"Teapot"}""", "InvalidParameterValue", "kind")]
    [InlineData("""{"rate":1,"kind":"Latency"}""", "MissingParameterValue", "latencyMs")]
    [InlineData("""{"rate":1,"kind":"Latency","latencyMs":0}""", "InvalidParameterValue", "latencyMs")]
    [InlineData("""{"rate":1,"kind":"Latency","latencyMs":60001}""", "InvalidParameterValue", "latencyMs")]
    [InlineData("""{"rate":1,"kind":"InternalServerError","latencyMs":5}""", "InvalidParameterValue", "latencyMs")]
    [InlineData("""{"rate":1,"kind":"InternalServerError","operation":"BrewCoffee"}""", "InvalidParameterValue", "operation")]
    [InlineData("""{"rate":1,"kind":"InternalServerError","merchantId":"ANOSUCHMERCHANT"}""", "InvalidParameterValue", "merchantId")]
    [InlineData("""{"rate":1,"kind":"InternalServerError","colour":"red"}""", "UnrecognizedField", "colour")]
    [InlineData("""[1]""", "InvalidRequestFormat", "JSON")]
    [InlineData("", "InvalidRequestFormat", "JSON")]
    public async Task ABadRule_IsRefused_AndNothingIsSet(string body, string reasonCode, string named)
    {
        var refused = await SendAsync(Host, HttpMethod.Put, body);
        var listed = await SendAsync(Host, HttpMethod.Get, null);

        var error = JsonDocument.Parse(refused.Body).RootElement;
        Assert.Equal(400, refused.Status);
        Assert.Equal(reasonCode, error.GetProperty("reasonCode").GetString());
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"faults":[]}""", listed.Body);
    }

    [Fact]
    public async Task TheFaultEndpoints_WithoutTheOperatorToken_AreUnauthorizedAccess()
    {
        using var http = RawRequests.Http(Host);

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, new Uri(Host.HttpsBase, "/operator/faults"))
            {
                Content = new StringContent("""{"rate":1,"kind":"InternalServerError"}"""),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer wrong-token-0123456789");
            using var response = await http.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal("""{"faults":[]}""", (await SendAsync(Host, HttpMethod.Get, null)).Body);
    }

    [Fact]
    public async Task ASeeded30PercentRun_RepeatsIdentically_AndAnotherSeedFailsOtherRequests()
    {
        var first = await SeededRunAsync(7);
        var again = await SeededRunAsync(7);
        var other = await SeededRunAsync(8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count(c => c == 'F'), 5, 25);
    }

    /// <summary>Forty reads on a new server of <paramref name="seed"/> with 30 % of them failing: F for a fault, . for an answer.</summary>
    private static async Task<string> SeededRunAsync(int seed)
    {
        await using var host = await TillpointHost.StartAsync(options => options with { Random = RandomSource.Seeded(seed) });
        var merchant = await host.CreateMerchantAsync();
        await PutAsync(host, new { operation = "GetCheckoutSession", rate = 0.3, kind = "InternalServerError" });
        var run = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            run.Append(await Signed.GetUnknownSessionAsync(host, merchant) == 500 ? 'F' : '.');
        }

        return run.ToString();
    }

    internal static async Task PutAsync(TillpointHost host, object rule)
    {
        var put = await SendAsync(host, HttpMethod.Put, JsonSerializer.Serialize(rule));
        Assert.True(put.Status == 200, put.Body);
    }

    private static async Task ClearAsync(TillpointHost host) => Assert.Equal(200, (await SendAsync(host, HttpMethod.Delete, null)).Status);

    private static async Task<(int Status, string Body)> SendAsync(TillpointHost host, HttpMethod method, string? body)
    {
        using var http = RawRequests.Http(host);
        using var request = new HttpRequestMessage(method, new Uri(host.HttpsBase, "/operator/faults"));
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {TillpointHost.OperatorToken}");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
