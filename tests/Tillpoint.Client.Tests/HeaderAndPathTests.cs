using System.Net;
using System.Text.Json;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Client.Tests;

public sealed class HeaderAndPathTests
{
    [Theory]
    [InlineData("SANDBOX-AFVX7ULWSGBZ5535PCUQOY7B", true)]
    [InlineData("SANDBOX-AFVX7ULWSGBZ5535PCUQOY7B", false)]
    [InlineData("sandbox-AFVX7ULWSGBZ5535PCUQOY7B", false)]
    [InlineData("LIVE-AFVX7ULWSGBZ5535PCUQOY7B", true)]
    [InlineData("Live-AFVX7ULWSGBZ5535PCUQOY7B", true)]
    public async Task Environment_prefixed_key_ids_call_v2_without_an_environment_segment(string keyId, bool sandbox)
    {
        using var harness = new Harness(publicKeyId: keyId, sandbox: sandbox);

        await harness.Client.GetCheckoutSessionAsync("bd504926-f659-4ad7-a1a9-9a747aaf5275");

        Assert.Equal("/v2/checkoutSessions/bd504926-f659-4ad7-a1a9-9a747aaf5275", harness.Request.Path);
    }

    [Theory]
    [InlineData(true, "/sandbox/v2/chargePermissions/S01-5105180-3221187")]
    [InlineData(false, "/live/v2/chargePermissions/S01-5105180-3221187")]
    public async Task Unprefixed_key_ids_call_the_environment_chosen_by_the_Sandbox_option(bool sandbox, string expectedPath)
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.ChargePermission),
            publicKeyId: "AFVX7ULWSGBZ5535PCUQOY7B", sandbox: sandbox);

        await harness.Client.GetChargePermissionAsync("S01-5105180-3221187");

        Assert.Equal(expectedPath, harness.Request.Path);
    }

    [Fact]
    public async Task Endpoint_path_is_kept_as_a_prefix()
    {
        using var harness = new Harness(endpoint: "https://gateway.example/tillpoint/", publicKeyId: "AFVX7ULWSGBZ5535PCUQOY7B");

        await harness.Client.GetCheckoutSessionAsync("cs-1");

        Assert.Equal("/tillpoint/sandbox/v2/checkoutSessions/cs-1", harness.Request.Path);
    }

    [Fact]
    public async Task Each_operation_uses_its_documented_method_and_path()
    {
        var handler = new CapturingHandler(request => CapturingHandler.Response(HttpStatusCode.OK,
            request.Path.StartsWith("/v2/charges", StringComparison.Ordinal) ? SampleJson.Charge
            : request.Path.StartsWith("/v2/chargePermissions", StringComparison.Ordinal) ? SampleJson.ChargePermission
            : SampleJson.CheckoutSession));
        using var harness = new Harness(handler);
        var client = harness.Client;

        await client.CreateCheckoutSessionAsync(SigningTests.NewCreateRequest());
        await client.GetCheckoutSessionAsync("cs-1");
        await client.UpdateCheckoutSessionAsync("cs-1", new UpdateCheckoutSessionRequest());
        await client.CompleteCheckoutSessionAsync("cs-1", new CompleteCheckoutSessionRequest());
        await client.GetChargePermissionAsync("cp-1");
        await client.GetChargeAsync("ch-1");
        await client.CaptureChargeAsync("ch-1", SigningTests.NewCaptureRequest());

        Assert.Equal(
            [
                "POST /v2/checkoutSessions",
                "GET /v2/checkoutSessions/cs-1",
                "PATCH /v2/checkoutSessions/cs-1",
                "POST /v2/checkoutSessions/cs-1/complete",
                "GET /v2/chargePermissions/cp-1",
                "GET /v2/charges/ch-1",
                "POST /v2/charges/ch-1/capture",
            ],
            handler.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task Date_header_comes_from_the_injected_time_provider()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.FromHours(-5)));
        using var harness = new Harness(timeProvider: clock);

        await harness.Client.GetCheckoutSessionAsync("cs-1");

        Assert.Equal("20240301T045958Z", harness.Request.Header("x-amz-pay-date"));
    }

    [Theory]
    [InlineData("https://127.0.0.1:8443", "127.0.0.1:8443")]
    [InlineData("https://pay-api.amazon.com", "pay-api.amazon.com")]
    [InlineData("https://pay-api.amazon.com:443", "pay-api.amazon.com")]
    [InlineData("http://localhost:5080", "localhost:5080")]
    [InlineData("https://[::1]:8443", "[::1]:8443")]
    [InlineData("https://[::1]", "[::1]")]
    [InlineData("https://Bücher.Example:8443", "xn--bcher-kva.example:8443")]
    public async Task Host_header_carries_the_port_only_when_it_is_not_the_default(string endpoint, string expectedHost)
    {
        using var harness = new Harness(endpoint: endpoint);

        await harness.Client.GetCheckoutSessionAsync("cs-1");

        Assert.Equal(expectedHost, harness.Request.Header("x-amz-pay-host"));
    }

    [Fact]
    public async Task Standard_headers_are_sent_with_exact_values()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Charge), region: "eu");

        await harness.Client.CaptureChargeAsync("ch-1", SigningTests.NewCaptureRequest());

        var request = harness.Request;
        Assert.Equal("application/json", request.Header("accept"));
        Assert.Equal("application/json", request.Header("content-type"));
        Assert.Equal("eu", request.Header("x-amz-pay-region"));
        Assert.Equal("20191015T210556Z", request.Header("x-amz-pay-date"));
    }

    [Fact]
    public async Task Get_sends_content_type_even_without_a_body()
    {
        using var harness = new Harness();

        await harness.Client.GetCheckoutSessionAsync("cs-1");

        Assert.Equal("application/json", harness.Request.Header("content-type"));
        Assert.Empty(harness.Request.Body);
    }

    [Fact]
    public async Task Body_is_the_request_serialized_without_null_members()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Charge));
        var capture = SigningTests.NewCaptureRequest();

        await harness.Client.CaptureChargeAsync("ch-1", capture);

        var expected = JsonSerializer.SerializeToUtf8Bytes(capture, ApiRequestJsonContext.Default.CaptureChargeRequest);
        Assert.Equal(expected, harness.Request.Body);
        Assert.Equal("""{"captureAmount":{"amount":"14.00","currencyCode":"USD"},"softDescriptor":"Tillpoint"}""",
            System.Text.Encoding.UTF8.GetString(harness.Request.Body));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("..")]
    public async Task Unusable_ids_are_rejected_before_anything_is_sent(string id)
    {
        using var harness = new Harness();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.GetCheckoutSessionAsync(id));

        Assert.Empty(harness.Handler.Requests);
    }

    [Theory]
    [InlineData("authorization")]
    [InlineData("X-Amz-Pay-Date")]
    [InlineData("content-type")]
    [InlineData("Host")]
    [InlineData("x-amz-pay-idempotency-key")]
    public async Task Extra_headers_cannot_override_the_headers_the_client_sets(string name)
    {
        using var harness = new Harness();
        var options = new RequestOptions { ExtraHeaders = new Dictionary<string, string> { [name] = "x" } };

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.GetCheckoutSessionAsync("cs-1", options));

        Assert.Empty(harness.Handler.Requests);
    }

    [Fact]
    public async Task Header_values_with_line_breaks_are_rejected()
    {
        using var harness = new Harness();
        var options = new RequestOptions { SimulationCode = "Declined\r\nx-evil: 1" };

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.GetCheckoutSessionAsync("cs-1", options));

        Assert.Empty(harness.Handler.Requests);
    }

    [Theory]
    [InlineData("ftp://example.com")]
    [InlineData("https://example.com/?a=b")]
    [InlineData("https://user:pw@example.com")]
    public void Unusable_endpoints_are_rejected(string endpoint)
    {
        var options = new AmazonPayClientOptions
        {
            Endpoint = new Uri(endpoint),
            PublicKeyId = Harness.SandboxKeyId,
            PrivateKeyPem = TestKeys.PrivateKeyPem,
        };

        Assert.Throws<ArgumentException>(() => new AmazonPayClient(options));
    }
}
