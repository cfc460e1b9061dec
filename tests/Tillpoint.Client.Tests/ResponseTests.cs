using System.Net;
using System.Text;

namespace Tillpoint.Client.Tests;

public sealed class ResponseTests
{
    [Fact]
    public async Task Success_body_is_deserialized_with_status_and_request_id()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.Created, SampleJson.CheckoutSession, requestId: "rq-201"));

        var response = await harness.Client.CreateCheckoutSessionAsync(SigningTests.NewCreateRequest());

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("rq-201", response.RequestId);
        var session = response.Value;
        Assert.Equal("bd504926-f659-4ad7-a1a9-9a747aaf5275", session.CheckoutSessionId);
        Assert.Equal("https://pay.example/redirect", session.WebCheckoutDetails?.AmazonPayRedirectUrl);
        Assert.Equal("Open", session.StatusDetails?.State);
        Assert.Equal("20191015T210556Z", session.CreationTimestamp);
        Assert.Null(session.PaymentDetails);
    }

    [Fact]
    public async Task Charge_amounts_are_read_as_text()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Charge, requestId: null));

        var response = await harness.Client.GetChargeAsync("S01-5105180-3221187-C056351");

        Assert.Null(response.RequestId);
        Assert.Equal("14.00", response.Value.CaptureAmount?.Amount);
        Assert.Equal("USD", response.Value.CaptureAmount?.CurrencyCode);
        Assert.Equal("Captured", response.Value.StatusDetails?.State);
    }

    [Fact]
    public async Task Charge_permission_limits_are_read()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.ChargePermission));

        var response = await harness.Client.GetChargePermissionAsync("S01-5105180-3221187");

        Assert.Equal("S01-5105180-3221187", response.Value.ChargePermissionId);
        Assert.Equal("2.10", response.Value.Limits?.AmountBalance?.Amount);
        Assert.Equal("Chargeable", response.Value.StatusDetails?.State);
    }

    [Fact]
    public async Task Json_error_becomes_an_exception_with_status_reason_message_and_request_id()
    {
        const string body = """{"reasonCode":"InvalidChargeStatus","message":"You tried to call an operation on a Charge that is in a state where that operation cannot be called."}""";
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.UnprocessableEntity, body, requestId: "rq-422"));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() =>
            harness.Client.CaptureChargeAsync("ch-1", SigningTests.NewCaptureRequest()));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("InvalidChargeStatus", error.ReasonCode);
        Assert.Equal("You tried to call an operation on a Charge that is in a state where that operation cannot be called.", error.Message);
        Assert.Equal("rq-422", error.RequestId);
    }

    [Fact]
    public async Task Not_found_error_is_reported_for_gets_too()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.NotFound,
            """{"reasonCode":"ResourceNotFound","message":"Not found."}"""));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.GetCheckoutSessionAsync("missing"));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("ResourceNotFound", error.ReasonCode);
    }

    [Fact]
    public async Task Non_json_error_body_gives_InvalidResponse_describing_what_came_back()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.BadGateway,
            "<html><body>502 Bad Gateway</body></html>", requestId: null, contentType: "text/html"));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.GetCheckoutSessionAsync("cs-1"));

        Assert.Equal(502, error.StatusCode);
        Assert.Equal("InvalidResponse", error.ReasonCode);
        Assert.Equal(AmazonPayException.InvalidResponseReasonCode, error.ReasonCode);
        Assert.Contains("502", error.Message, StringComparison.Ordinal);
        Assert.Contains("<html><body>502 Bad Gateway</body></html>", error.Message, StringComparison.Ordinal);
        Assert.Null(error.RequestId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("""{"message":"no reason code"}""")]
    public async Task Error_body_without_a_reason_code_gives_InvalidResponse(string body)
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.InternalServerError, body));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.GetCheckoutSessionAsync("cs-1"));

        Assert.Equal(500, error.StatusCode);
        Assert.Equal("InvalidResponse", error.ReasonCode);
        Assert.Equal("req-1", error.RequestId);
    }

    [Fact]
    public async Task Long_non_json_bodies_are_cut_in_the_message()
    {
        var body = new string('x', 5000);
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.ServiceUnavailable, body, contentType: "text/plain"));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.GetCheckoutSessionAsync("cs-1"));

        Assert.Contains("5000-byte", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 600, error.Message);
    }

    [Fact]
    public async Task Success_with_an_unreadable_body_gives_InvalidResponse()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, "not json"));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.GetCheckoutSessionAsync("cs-1"));

        Assert.Equal(200, error.StatusCode);
        Assert.Equal("InvalidResponse", error.ReasonCode);
        Assert.Contains("CheckoutSessionDto", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_returns_error_responses_without_throwing_until_EnsureSuccess()
    {
        const string body = """{"reasonCode":"InvalidParameterValue","message":"Bad amount."}""";
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.BadRequest, body, requestId: "rq-400"));
        var payload = Encoding.UTF8.GetBytes("""{"chargeAmount":{"amount":"-1","currencyCode":"USD"}}""");

        var response = await harness.Client.SendAsync(HttpMethod.Post, "charges", payload);

        Assert.False(response.IsSuccess);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("rq-400", response.RequestId);
        Assert.Equal(body, Encoding.UTF8.GetString(response.Body));
        Assert.Equal(payload, harness.Request.Body);
        Assert.Equal(32, harness.Request.Header("x-amz-pay-idempotency-key")?.Length);
        var error = Assert.Throws<AmazonPayException>(() => response.EnsureSuccess());
        Assert.Equal("InvalidParameterValue", error.ReasonCode);
        Assert.Equal("Bad amount.", error.Message);
    }

    [Fact]
    public async Task SendAsync_signs_a_delete_body()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Charge));
        var payload = Encoding.UTF8.GetBytes("""{"cancellationReason":"Out of stock"}""");

        var response = await harness.Client.SendAsync(HttpMethod.Delete, "/charges/ch-1/cancel", payload);

        Assert.True(response.IsSuccess);
        Assert.Same(response, response.EnsureSuccess());
        Assert.Equal("/v2/charges/ch-1/cancel", harness.Request.Path);
        Assert.Equal(payload, harness.Request.Body);
        Assert.Null(harness.Request.Header("x-amz-pay-idempotency-key"));
        Assert.Equal(Tillpoint.Protocol.Signing.SignatureCheckOutcome.Valid, TestKeys.Verify(harness.Request).Outcome);
    }
}
