using System.Net;

namespace Tillpoint.Client.Tests;

public sealed class IdempotencyTests
{
    [Fact]
    public void NewIdempotencyKey_is_a_hyphen_free_uuid_of_32_hex_digits()
    {
        var key = AmazonPayClient.NewIdempotencyKey();

        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.NotEqual(key, AmazonPayClient.NewIdempotencyKey());
    }

    [Fact]
    public async Task Post_without_a_key_gets_a_fresh_32_character_key_each_time()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.Created, SampleJson.CheckoutSession));

        await harness.Client.CreateCheckoutSessionAsync(SigningTests.NewCreateRequest());
        await harness.Client.CreateCheckoutSessionAsync(SigningTests.NewCreateRequest());

        var keys = harness.Handler.Requests.Select(r => r.Header("x-amz-pay-idempotency-key")).ToList();
        Assert.All(keys, key => Assert.Matches("^[0-9a-f]{32}$", key));
        Assert.NotEqual(keys[0], keys[1]);
    }

    [Fact]
    public async Task Capture_and_complete_get_a_generated_key_too()
    {
        var handler = new CapturingHandler(request => CapturingHandler.Response(HttpStatusCode.OK,
            request.Path.Contains("/charges/", StringComparison.Ordinal) ? SampleJson.Charge : SampleJson.CheckoutSession));
        using var harness = new Harness(handler);

        await harness.Client.CaptureChargeAsync("ch-1", SigningTests.NewCaptureRequest());
        await harness.Client.CompleteCheckoutSessionAsync("cs-1", new Tillpoint.Protocol.Json.CompleteCheckoutSessionRequest());

        Assert.All(handler.Requests, r => Assert.Equal(32, r.Header("x-amz-pay-idempotency-key")?.Length));
    }

    [Fact]
    public async Task Given_key_is_sent_unchanged_so_a_retry_can_reuse_it()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Charge));
        var options = new RequestOptions { IdempotencyKey = "order-42_capture-1" };

        await harness.Client.CaptureChargeAsync("ch-1", SigningTests.NewCaptureRequest(), options);
        await harness.Client.CaptureChargeAsync("ch-1", SigningTests.NewCaptureRequest(), options);

        Assert.All(harness.Handler.Requests, r => Assert.Equal("order-42_capture-1", r.Header("x-amz-pay-idempotency-key")));
    }

    [Fact]
    public async Task Get_and_patch_get_no_key_unless_one_is_given()
    {
        using var harness = new Harness();

        await harness.Client.GetCheckoutSessionAsync("cs-1");
        await harness.Client.UpdateCheckoutSessionAsync("cs-1", new Tillpoint.Protocol.Json.UpdateCheckoutSessionRequest());
        await harness.Client.GetCheckoutSessionAsync("cs-1", new RequestOptions { IdempotencyKey = "k1" });

        var keys = harness.Handler.Requests.Select(r => r.Header("x-amz-pay-idempotency-key")).ToList();
        Assert.Equal([null, null, "k1"], keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData("has space")]
    [InlineData("dot.not.allowed")]
    [InlineData("ünïcode")]
    public async Task Invalid_keys_are_rejected_before_anything_is_sent(string key)
    {
        using var harness = new Harness();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            harness.Client.CreateCheckoutSessionAsync(SigningTests.NewCreateRequest(), new RequestOptions { IdempotencyKey = key }));

        Assert.Empty(harness.Handler.Requests);
    }

    [Fact]
    public async Task A_key_of_exactly_32_characters_is_accepted()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.Created, SampleJson.CheckoutSession));
        var key = new string('A', 16) + new string('-', 8) + new string('_', 8);

        await harness.Client.CreateCheckoutSessionAsync(SigningTests.NewCreateRequest(), new RequestOptions { IdempotencyKey = key });

        Assert.Equal(key, harness.Request.Header("x-amz-pay-idempotency-key"));
    }
}
