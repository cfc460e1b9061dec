using System.Text;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

public sealed class IdempotencyTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Fact]
    public async Task CreateCheckoutSession_Replayed_ReturnsTheSameSessionAnd201()
    {
        using var client = Host.Client(Merchant);
        var key = AmazonPayClient.NewIdempotencyKey();

        var first = await Checkouts.CreateAsync(client, Merchant, key);
        var replay = await Checkouts.CreateAsync(client, Merchant, key);

        Assert.Equal(201, replay.StatusCode);
        Assert.Equal(first.Value.CheckoutSessionId, replay.Value.CheckoutSessionId);
    }

    [Fact]
    public async Task Replay_WithReorderedJson_IsStillTheSameRequest()
    {
        using var client = Host.Client(Merchant);
        var key = AmazonPayClient.NewIdempotencyKey();
        var body1 = $"{{\"storeId\":\"{Merchant.StoreId}\",\"webCheckoutDetails\":{{\"checkoutReviewReturnUrl\":\"{Checkouts.ReviewUrl}\"}}}}";
        var body2 = $"{{ \"webCheckoutDetails\": {{ \"checkoutReviewReturnUrl\": \"{Checkouts.ReviewUrl}\" }}, \"storeId\": \"{Merchant.StoreId}\" }}";

        var first = await client.SendAsync(HttpMethod.Post, "checkoutSessions", Encoding.UTF8.GetBytes(body1), new RequestOptions { IdempotencyKey = key });
        var second = await client.SendAsync(HttpMethod.Post, "checkoutSessions", Encoding.UTF8.GetBytes(body2), new RequestOptions { IdempotencyKey = key });

        Assert.Equal(201, second.StatusCode);
        Assert.Equal(first.Body, second.Body);
    }

    [Fact]
    public async Task SameKey_WithChangedValues_IsDuplicateIdempotencyKey()
    {
        using var client = Host.Client(Merchant);
        var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);
        var key = AmazonPayClient.NewIdempotencyKey();
        await Checkouts.CaptureAsync(client, completed.ChargeId!, "14.00", idempotencyKey: key);

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CaptureAsync(client, completed.ChargeId!, "13.00", idempotencyKey: key));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("DuplicateIdempotencyKey", error.ReasonCode);
    }

    [Fact]
    public async Task Keys_ArePerMerchant()
    {
        var other = await Host.CreateMerchantAsync();
        using var client = Host.Client(Merchant);
        using var otherClient = Host.Client(other);
        var key = AmazonPayClient.NewIdempotencyKey();

        var mine = await Checkouts.CreateAsync(client, Merchant, key);
        var theirs = await Checkouts.CreateAsync(otherClient, other, key);

        Assert.Equal(201, theirs.StatusCode);
        Assert.NotEqual(mine.Value.CheckoutSessionId, theirs.Value.CheckoutSessionId);
    }

    [Fact]
    public async Task Keys_DoNotConflictAcrossOperations()
    {
        // The official Node SDK's own suite reuses one key for Create Checkout Session, Create Charge and Capture.
        using var client = Host.Client(Merchant);
        var key = AmazonPayClient.NewIdempotencyKey();
        await Checkouts.CreateAsync(client, Merchant, key);
        var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);

        var captured = await Checkouts.CaptureAsync(client, completed.ChargeId!, idempotencyKey: key);

        Assert.Equal("Captured", captured.Value.StatusDetails!.State);
    }

    [Fact]
    public async Task ManyConcurrentCaptures_WithOneKey_HaveExactlyOneEffect()
    {
        using var client = Host.Client(Merchant);
        var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);
        var key = AmazonPayClient.NewIdempotencyKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Checkouts.CaptureAsync(client, completed.ChargeId!, idempotencyKey: key)));

        Assert.All(responses, r => Assert.Equal(200, r.StatusCode));
        Assert.Single(responses.Select(r => r.Value.StatusDetails!.LastUpdatedTimestamp + r.Value.CaptureAmount!.Amount).Distinct());
        var events = Host.Store.Read(reader => reader.GetEvents(Merchant.MerchantId, completed.ChargeId!));
        Assert.Single(events, e => e.Event.ToState == "Captured");
    }

    [Fact]
    public async Task ManyConcurrentCaptures_WithDifferentKeys_CaptureOnce()
    {
        using var client = Host.Client(Merchant);
        var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            try
            {
                return (await Checkouts.CaptureAsync(client, completed.ChargeId!)).StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (AmazonPayException e)
            {
                return e.ReasonCode;
            }
        }));

        Assert.Single(outcomes, o => o == "200");
        Assert.All(outcomes.Where(o => o != "200"), o => Assert.Equal("InvalidChargeStatus", o));
    }

    [Fact]
    public async Task AnErrorAnswer_IsRemembered_ForItsKey()
    {
        using var client = Host.Client(Merchant);
        var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);
        var key = AmazonPayClient.NewIdempotencyKey();
        var first = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CaptureAsync(client, completed.ChargeId!, "99.00", idempotencyKey: key));

        var replay = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CaptureAsync(client, completed.ChargeId!, "99.00", idempotencyKey: key));

        Assert.Equal("TransactionAmountExceeded", first.ReasonCode);
        Assert.Equal(first.ReasonCode, replay.ReasonCode);
        Assert.Equal(first.Message, replay.Message);
    }

    [Fact]
    public async Task Complete_WithAKey_ReplaysTheCompletion()
    {
        using var client = Host.Client(Merchant);
        var session = await Checkouts.ProcessedAsync(Host, client, Merchant);
        var request = new CompleteCheckoutSessionRequest { ChargeAmount = new Price { Amount = "14.00", CurrencyCode = "USD" } };
        var options = new RequestOptions { IdempotencyKey = AmazonPayClient.NewIdempotencyKey() };

        var first = await client.CompleteCheckoutSessionAsync(session.CheckoutSessionId!, request, options);
        var replay = await client.CompleteCheckoutSessionAsync(session.CheckoutSessionId!, request, options);

        Assert.Equal(200, replay.StatusCode);
        Assert.Equal(first.Value.ChargeId, replay.Value.ChargeId);
    }
}
