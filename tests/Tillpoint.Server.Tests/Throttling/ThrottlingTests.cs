using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tillpoint.Client;
using Tillpoint.Server.Api;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Server.Throttling;

namespace Tillpoint.Server.Tests.Throttling;

/// <summary>
/// <c>serve --throttling amazon</c>: Amazon's per-operation quotas, per merchant, environment and operation, on the test
/// wall clock. Tests of this class run one after another, so only they move the shared host's clock.
/// </summary>
public sealed class ThrottlingTests(ThrottlingHostFixture fixture) : IClassFixture<ThrottlingHostFixture>
{
    private TillpointHost Host => fixture.Host;

    [Fact]
    public void EveryOperation_HasAmazonsQuota_AndTheTableNamesNoOther()
    {
        var operations = Host.Services.GetRequiredService<ApiOperations>().All.Select(o => o.Name).Order().ToList();

        Assert.Equal(operations, AmazonQuotas.ByOperation.Keys.Order().ToList());
    }

    [Theory]
    [InlineData("CreateCheckoutSession", 40, 16, 5, 1)]
    [InlineData("GetCheckoutSession", 40, 8, 10, 1)]
    [InlineData("CompleteCheckoutSession", 20, 4, 2, 1)]
    [InlineData("CreateCharge", 10, 4, 2, 1)]
    [InlineData("CaptureCharge", 20, 4, 2, 1)]
    [InlineData("CreateDeliveryTracker", 10, 1, 1, 1)]
    [InlineData("GetBuyer", 20, 4, 5, 1)]
    [InlineData("CreateReport", 10, 2, 2, 1)]
    public void TheQuotas_AreAmazonsPublishedOnes_OrTheDefaultsOfTheirKind(string operation, int liveBurst, double liveRate, int sandboxBurst, double sandboxRate)
    {
        var quotas = AmazonQuotas.Of(operation)!.Value;

        Assert.Equal((liveBurst, liveRate), (quotas.Live.Burst, quotas.Live.RestorePerSecond));
        Assert.Equal((sandboxBurst, sandboxRate), (quotas.Sandbox.Burst, quotas.Sandbox.RestorePerSecond));
    }

    [Fact]
    public async Task ABurstOverTheSandboxQuota_IsAnswered429TooManyRequests_InAmazonsForm()
    {
        var merchant = await Host.CreateMerchantAsync();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(404, await Signed.GetUnknownSessionAsync(Host, merchant));
        }

        using var http = RawRequests.Http(Host);
        using var response = await RawRequests.SendAsync(http, Host, merchant, merchant.SandboxKeyId, HttpMethod.Get, Signed.UnknownSession);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"reasonCode":"TooManyRequests","message":"The request was throttled."}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
        Assert.Single(response.Headers.GetValues("x-amz-pay-request-id"));
    }

    [Fact]
    public async Task UnderTheQuota_NothingIsRefused()
    {
        var merchant = await Host.CreateMerchantAsync();
        using var client = Host.Client(merchant);

        // The burst at once, then one a second (the restore rate) for 20 seconds.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(201, (await Checkouts.CreateAsync(client, merchant)).StatusCode);
        }

        for (var i = 0; i < 20; i++)
        {
            Host.SignatureClock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(201, (await Checkouts.CreateAsync(client, merchant)).StatusCode);
        }
    }

    [Fact]
    public async Task AThrottledRequest_ChangesNothing_AndIsNotRememberedUnderItsIdempotencyKey()
    {
        var merchant = await Host.CreateMerchantAsync();
        using var client = Host.Client(merchant);
        for (var i = 0; i < 5; i++)
        {
            await Checkouts.CreateAsync(client, merchant);
        }

        var key = AmazonPayClient.NewIdempotencyKey();

        var throttled = await Payments.OutcomeAsync(() => Checkouts.CreateAsync(client, merchant, key));
        Host.SignatureClock.Advance(TimeSpan.FromSeconds(1));
        var retried = await Checkouts.CreateAsync(client, merchant, key);
        Host.SignatureClock.Advance(TimeSpan.FromSeconds(1));
        var replayed = await Checkouts.CreateAsync(client, merchant, key);

        Assert.Equal(new Outcome(429, "TooManyRequests"), throttled);
        Assert.Equal(201, retried.StatusCode);
        Assert.Equal(retried.Value.CheckoutSessionId, replayed.Value.CheckoutSessionId);
    }

    [Fact]
    public async Task Live_HasItsOwnLargerBucket()
    {
        var merchant = await Host.CreateMerchantAsync();
        const string LivePath = "/live/v2/checkoutSessions/00000000-0000-4000-8000-000000000000";
        for (var i = 0; i < 10; i++)
        {
            await Signed.GetUnknownSessionAsync(Host, merchant);
        }

        Assert.Equal(429, await Signed.GetUnknownSessionAsync(Host, merchant));
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(404, await Signed.GetUnknownSessionAsync(Host, merchant, merchant.LiveKeyId, LivePath));
        }

        Assert.Equal(429, await Signed.GetUnknownSessionAsync(Host, merchant, merchant.LiveKeyId, LivePath));
    }

    [Fact]
    public async Task EachMerchantAndOperation_HasABucketOfItsOwn()
    {
        var drained = await Host.CreateMerchantAsync();
        var other = await Host.CreateMerchantAsync();
        for (var i = 0; i < 10; i++)
        {
            await Signed.GetUnknownSessionAsync(Host, drained);
        }

        Assert.Equal(429, await Signed.GetUnknownSessionAsync(Host, drained));
        Assert.Equal(404, await Signed.GetUnknownSessionAsync(Host, other));
        Assert.Equal(404, (await Signed.SendAsync(Host, drained, HttpMethod.Get, "/sandbox/v2/charges/S01-0000000-0000000-C000000")).Status);
    }

    [Fact]
    public async Task UnknownPaths_AreNeverThrottled()
    {
        var merchant = await Host.CreateMerchantAsync();

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(404, (await Signed.SendAsync(Host, merchant, HttpMethod.Get, "/sandbox/v2/nothing-here")).Status);
        }
    }

    [Fact]
    public async Task AMerchantThatChoseOff_IsNeverThrottled_OnAServerThatThrottles()
    {
        var merchant = await Host.CreateMerchantAsync();
        Assert.Equal(0, (await Host.CliAsync("merchants", "set-throttling", "--merchant", merchant.MerchantId, "off")).ExitCode);

        await ServersFollowAsync(() => Signed.GetUnknownSessionAsync(Host, merchant), 404, requests: 30);
    }

    [Fact]
    public async Task WithThrottlingOff_ABurstIsNeverRefused_UnlessTheMerchantChoseAmazon()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        var other = await host.CreateMerchantAsync();
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(404, await Signed.GetUnknownSessionAsync(host, merchant));
        }

        var set = await host.CliAsync("merchants", "set-throttling", "--merchant", merchant.MerchantId, "amazon", "--json");

        Assert.Equal(0, set.ExitCode);
        Assert.Equal($$"""{"merchantId":"{{merchant.MerchantId}}","throttling":"amazon"}""", set.Output.Trim());
        await ServersFollowAsync(() => Signed.GetUnknownSessionAsync(host, merchant), 429, requests: 11);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(404, await Signed.GetUnknownSessionAsync(host, other));
        }

        Assert.Equal(0, (await host.CliAsync("merchants", "set-throttling", "--merchant", merchant.MerchantId, "default")).ExitCode);
        await ServersFollowAsync(() => Signed.GetUnknownSessionAsync(host, merchant), 404, requests: 30);
        Assert.Empty(host.Store.Read(reader => reader.GetSettings(ThrottlingSettings.Prefix)));
    }

    /// <summary>
    /// Running servers re-read merchants' choices at most a second after they change: within a few seconds, the last of
    /// <paramref name="requests"/> requests made at once answers <paramref name="expected"/>.
    /// </summary>
    private static async Task ServersFollowAsync(Func<Task<int>> request, int expected, int requests)
    {
        var last = 0;
        for (var attempt = 0; attempt < 40 && last != expected; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            for (var i = 0; i < requests; i++)
            {
                last = await request();
            }
        }

        Assert.Equal(expected, last);
    }
}
