using System.Net;
using Tillpoint.Protocol.Json;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Client.Tests;

public sealed class SigningTests
{
    private static readonly string[] ExpectedSignedHeaders =
        ["accept", "content-type", "x-amz-pay-date", "x-amz-pay-host", "x-amz-pay-idempotency-key", "x-amz-pay-region"];

    public static TheoryData<SignatureAlgorithm> Algorithms => new() { SignatureAlgorithm.RsassaPss, SignatureAlgorithm.RsassaPssV2 };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Post_with_body_carries_a_signature_the_server_verifier_accepts(SignatureAlgorithm algorithm)
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.Created, SampleJson.CheckoutSession), algorithm: algorithm);

        await harness.Client.CreateCheckoutSessionAsync(NewCreateRequest());

        var request = harness.Request;
        var authorization = TestKeys.Authorization(request);
        Assert.Equal(algorithm, authorization.Algorithm);
        Assert.Equal(Harness.SandboxKeyId, authorization.PublicKeyId);
        Assert.Equal(string.Join(';', ExpectedSignedHeaders), authorization.SignedHeaders);
        Assert.NotEmpty(request.Body);
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Get_without_body_carries_a_valid_signature_over_the_empty_body(SignatureAlgorithm algorithm)
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Charge), algorithm: algorithm);

        await harness.Client.GetChargeAsync("S01-5105180-3221187-C056351");

        var request = harness.Request;
        Assert.Equal("GET", request.Method);
        Assert.Empty(request.Body);
        Assert.Equal("accept;content-type;x-amz-pay-date;x-amz-pay-host;x-amz-pay-region", TestKeys.Authorization(request).SignedHeaders);
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
    }

    [Fact]
    public async Task Signature_no_longer_verifies_when_the_sent_body_is_altered()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.Created, SampleJson.CheckoutSession));

        await harness.Client.CreateCheckoutSessionAsync(NewCreateRequest());

        var request = harness.Request;
        var tampered = request with { Body = [.. request.Body, (byte)' '] };
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
        Assert.Equal(SignatureCheckOutcome.InvalidSignature, TestKeys.Verify(tampered).Outcome);
    }

    [Fact]
    public async Task Ids_are_escaped_per_segment_and_the_escaped_path_is_what_is_signed()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Charge));

        await harness.Client.CaptureChargeAsync("a/b c?d", NewCaptureRequest());

        var request = harness.Request;
        Assert.Equal("/v2/charges/a%2Fb%20c%3Fd/capture", request.Path);
        Assert.Null(request.RawQuery);
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
    }

    [Fact]
    public async Task SendAsync_signs_the_query_string()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, """{"authorizationToken":"t"}"""));

        var response = await harness.Client.SendAsync(HttpMethod.Get, "authorizationTokens/tok?merchantId=M1&b=x%20y", null);

        var request = harness.Request;
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("/v2/authorizationTokens/tok", request.Path);
        Assert.Equal("merchantId=M1&b=x%20y", request.RawQuery);
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
    }

    [Fact]
    public async Task Extra_headers_and_the_simulation_code_are_sent_and_signed()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Charge));
        var options = new RequestOptions
        {
            SimulationCode = "HardDeclined",
            ExtraHeaders = new Dictionary<string, string> { ["X-Amz-Pay-AuthToken"] = "jwt.token.value" },
        };

        await harness.Client.GetChargeAsync("S01-5105180-3221187-C056351", options);

        var request = harness.Request;
        Assert.Equal("HardDeclined", request.Header("x-amz-pay-simulation-code"));
        Assert.Equal("jwt.token.value", request.Header("x-amz-pay-authtoken"));
        var signed = TestKeys.Authorization(request).SignedHeaders.Split(';');
        Assert.Contains("x-amz-pay-simulation-code", signed);
        Assert.Contains("x-amz-pay-authtoken", signed);
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
    }

    [Fact]
    public async Task User_agent_is_sent_but_not_signed()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Charge));

        await harness.Client.GetChargeAsync("S01-5105180-3221187-C056351");

        var request = harness.Request;
        Assert.StartsWith("Tillpoint.Client/", request.Header("user-agent"), StringComparison.Ordinal);
        Assert.DoesNotContain("user-agent", TestKeys.Authorization(request).SignedHeaders.Split(';'));
    }

    [Fact]
    public async Task User_agent_given_as_extra_header_replaces_the_default_and_is_signed()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Charge));
        var options = new RequestOptions { ExtraHeaders = new Dictionary<string, string> { ["user-agent"] = "MyShop/2.0" } };

        await harness.Client.GetChargeAsync("S01-5105180-3221187-C056351", options);

        var request = harness.Request;
        Assert.Equal("MyShop/2.0", request.Header("user-agent"));
        Assert.Contains("user-agent", TestKeys.Authorization(request).SignedHeaders.Split(';'));
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
    }

    internal static CreateCheckoutSessionRequest NewCreateRequest() => new()
    {
        WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = "https://a.com/merchant-review-page" },
        StoreId = "amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId",
    };

    internal static CaptureChargeRequest NewCaptureRequest() => new()
    {
        CaptureAmount = new Price { Amount = "14.00", CurrencyCode = "USD" },
        SoftDescriptor = "Tillpoint",
    };
}
