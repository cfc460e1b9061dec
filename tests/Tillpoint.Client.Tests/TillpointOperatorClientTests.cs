using System.Net;
using System.Text;

namespace Tillpoint.Client.Tests;

public sealed class TillpointOperatorClientTests
{
    [Fact]
    public async Task Get_clock_calls_operator_clock_with_the_bearer_token_and_no_signature()
    {
        using var harness = new OperatorHarness();

        await harness.Client.GetClockAsync();

        var request = harness.Request;
        Assert.Equal("GET", request.Method);
        Assert.Equal("https://127.0.0.1:8443/operator/clock", request.Uri.AbsoluteUri);
        Assert.Equal("Bearer " + OperatorHarness.Token, request.Header("authorization"));
        Assert.Equal("application/json", request.Header("accept"));
        Assert.StartsWith("Tillpoint.Client/", request.Header("user-agent"), StringComparison.Ordinal);
        Assert.DoesNotContain(request.Headers.Keys, name => name.StartsWith("x-amz-pay-", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(request.Body);
    }

    [Fact]
    public async Task Get_clock_reads_the_sandbox_time_and_offset()
    {
        using var harness = new OperatorHarness();

        var clock = await harness.Client.GetClockAsync();

        Assert.Equal("2019-10-16T21:05:56Z", clock.Now);
        Assert.Equal(86400, clock.OffsetSeconds);
    }

    [Fact]
    public async Task Advance_clock_posts_whole_seconds_as_json()
    {
        using var harness = new OperatorHarness();

        var clock = await harness.Client.AdvanceClockAsync(TimeSpan.FromDays(1));

        var request = harness.Request;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/operator/clock/advance", request.Path);
        Assert.Equal("Bearer " + OperatorHarness.Token, request.Header("authorization"));
        Assert.Equal("application/json", request.Header("content-type"));
        Assert.Equal("""{"seconds":86400}""", Encoding.UTF8.GetString(request.Body));
        Assert.Equal(86400, clock.OffsetSeconds);
    }

    [Fact]
    public async Task Advance_clock_handles_spans_beyond_int_range()
    {
        using var harness = new OperatorHarness();

        await harness.Client.AdvanceClockAsync(TimeSpan.FromDays(36_500));

        Assert.Equal("""{"seconds":3153600000}""", Encoding.UTF8.GetString(harness.Request.Body));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(-TimeSpan.TicksPerDay)]
    public async Task Advance_clock_refuses_non_positive_durations_before_anything_is_sent(long ticks)
    {
        using var harness = new OperatorHarness();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Client.AdvanceClockAsync(TimeSpan.FromTicks(ticks)));

        Assert.Empty(harness.Handler.Requests);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(TimeSpan.TicksPerMillisecond * 1500)]
    public async Task Advance_clock_refuses_fractions_of_a_second_instead_of_truncating(long ticks)
    {
        using var harness = new OperatorHarness();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.AdvanceClockAsync(TimeSpan.FromTicks(ticks)));

        Assert.Equal("by", error.ParamName);
        Assert.Empty(harness.Handler.Requests);
    }

    [Fact]
    public async Task Endpoint_path_is_kept_as_a_prefix()
    {
        using var harness = new OperatorHarness(endpoint: "https://gateway.example/tillpoint/");

        await harness.Client.GetClockAsync();
        await harness.Client.AdvanceClockAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(["/tillpoint/operator/clock", "/tillpoint/operator/clock/advance"], harness.Handler.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Api_format_error_becomes_an_AmazonPayException()
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.Unauthorized,
            """{"reasonCode":"UnauthorizedAccess","message":"The operator token is not valid."}""", requestId: "rq-op"));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.AdvanceClockAsync(TimeSpan.FromHours(1)));

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("UnauthorizedAccess", error.ReasonCode);
        Assert.Equal("The operator token is not valid.", error.Message);
        Assert.Equal("rq-op", error.RequestId);
    }

    [Fact]
    public async Task Non_json_error_gives_InvalidResponse()
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.NotFound, "Not Found", requestId: null,
            contentType: "text/plain"));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.GetClockAsync());

        Assert.Equal(404, error.StatusCode);
        Assert.Equal(AmazonPayException.InvalidResponseReasonCode, error.ReasonCode);
        Assert.Null(error.RequestId);
    }

    [Fact]
    public async Task Unreadable_success_body_gives_InvalidResponse_naming_the_clock()
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.OK, "<html/>", contentType: "text/html"));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.GetClockAsync());

        Assert.Equal(200, error.StatusCode);
        Assert.Equal(AmazonPayException.InvalidResponseReasonCode, error.ReasonCode);
        Assert.Contains("OperatorClockDto", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("has space")]
    [InlineData("tok\r\nx-evil: 1")]
    [InlineData("tök")]
    public void Unusable_tokens_are_rejected_at_construction(string token)
    {
        using var http = new HttpClient(new CapturingHandler(HttpStatusCode.OK, SampleJson.Clock));

        Assert.ThrowsAny<ArgumentException>(() => new TillpointOperatorClient(http, new Uri("https://127.0.0.1:8443"), token));
    }

    [Theory]
    [InlineData("ftp://example.com")]
    [InlineData("https://example.com/?a=b")]
    [InlineData("https://user:pw@example.com")]
    public void Unusable_endpoints_are_rejected_at_construction(string endpoint)
    {
        Assert.Throws<ArgumentException>(() => new TillpointOperatorClient(new Uri(endpoint), OperatorHarness.Token));
    }

    [Fact]
    public void Null_arguments_are_rejected_at_construction()
    {
        using var http = new HttpClient(new CapturingHandler(HttpStatusCode.OK, SampleJson.Clock));
        var endpoint = new Uri("https://127.0.0.1:8443");

        Assert.Throws<ArgumentNullException>(() => new TillpointOperatorClient(null!, endpoint, OperatorHarness.Token));
        Assert.Throws<ArgumentNullException>(() => new TillpointOperatorClient(http, null!, OperatorHarness.Token));
        Assert.Throws<ArgumentNullException>(() => new TillpointOperatorClient(http, endpoint, null!));
    }

    [Fact]
    public async Task Disposing_the_client_leaves_a_supplied_HttpClient_usable()
    {
        var handler = new CapturingHandler(HttpStatusCode.OK, SampleJson.Clock);
        using var http = new HttpClient(handler);
        var client = new TillpointOperatorClient(http, new Uri("https://127.0.0.1:8443"), OperatorHarness.Token);

        client.Dispose();

        using var response = await http.GetAsync(new Uri("https://127.0.0.1:8443/anything"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Calls_after_dispose_throw_ObjectDisposedException()
    {
        var harness = new OperatorHarness();
        harness.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Client.GetClockAsync());
        Assert.Empty(harness.Handler.Requests);
    }

    [Fact]
    public async Task Close_charge_permission_as_buyer_posts_closed_by_buyer_to_the_permissions_path()
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.OK, SampleJson.ChargePermission));

        var permission = await harness.Client.CloseChargePermissionAsBuyerAsync("S01-1234567-7654321");

        var request = harness.Request;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/operator/chargePermissions/S01-1234567-7654321/close", request.Path);
        Assert.Equal("Bearer " + OperatorHarness.Token, request.Header("authorization"));
        Assert.Equal("""{"closedBy":"Buyer"}""", Encoding.UTF8.GetString(request.Body));
        Assert.NotNull(permission.ChargePermissionId);
    }

    [Fact]
    public async Task Update_payment_method_posts_the_instrument_and_escapes_the_id()
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.OK, SampleJson.ChargePermission));

        await harness.Client.UpdateChargePermissionPaymentMethodAsync("S01 1/2", "visa-1111");

        Assert.Equal("/operator/chargePermissions/S01%201%2F2/paymentMethod", harness.Request.Uri.AbsolutePath);
        Assert.Equal("""{"instrumentId":"visa-1111"}""", Encoding.UTF8.GetString(harness.Request.Body));
    }

    [Fact]
    public async Task Buyer_actions_throw_the_servers_refusal()
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.UnprocessableEntity, SampleJson.Error422));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.CloseChargePermissionAsBuyerAsync("S01-1234567-7654321"));

        Assert.Equal((422, "InvalidChargeStatus"), (error.StatusCode, error.ReasonCode));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task Buyer_actions_refuse_blank_ids_before_anything_is_sent(string id)
    {
        using var harness = new OperatorHarness();

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.CloseChargePermissionAsBuyerAsync(id));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.UpdateChargePermissionPaymentMethodAsync(id, "visa-1111"));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.UpdateChargePermissionPaymentMethodAsync("S01-1", id));
        Assert.Empty(harness.Handler.Requests);
    }
}
