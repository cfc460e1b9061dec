using System.Net;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Client.Tests;

/// <summary>Get Authorization Token: the merchant id in the signed query, the token in the answer, and its use as a header.</summary>
public sealed class AuthorizationTokenTests
{
    private const string Token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2ln";

    private static HttpResponseMessage Respond(CapturedRequest request) =>
        CapturingHandler.Response(HttpStatusCode.OK, $$"""{"authorizationToken":"{{Token}}"}""");

    [Fact]
    public async Task GetAuthorizationToken_GetsTheTokenWithTheMerchantIdInTheSignedQuery()
    {
        using var harness = new Harness(new CapturingHandler(Respond));

        var response = await harness.Client.GetAuthorizationTokenAsync("amzn.mws.a4a8d852-0000-4000-8000-000000000001", "A1B2 C3&D4");

        Assert.Equal(Token, response.Value.AuthorizationToken);
        var request = harness.Request;
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v2/authorizationTokens/amzn.mws.a4a8d852-0000-4000-8000-000000000001", request.Path);
        Assert.Equal("merchantId=A1B2%20C3%26D4", request.RawQuery);
        Assert.Empty(request.Body);
        Assert.Null(request.Header("x-amz-pay-idempotency-key"));
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
        Assert.Equal(SignatureCheckOutcome.InvalidSignature, TestKeys.Verify(request with { Uri = new Uri(request.Uri, "?merchantId=OTHER") }).Outcome);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task GetAuthorizationToken_WithoutAMerchantId_IsRefusedBeforeAnythingIsSent(string? merchantId)
    {
        using var harness = new Harness(new CapturingHandler(Respond));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.GetAuthorizationTokenAsync("amzn.mws.1", merchantId!));

        Assert.Empty(harness.Handler.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    public async Task GetAuthorizationToken_WithoutAUsableToken_IsRefusedBeforeAnythingIsSent(string token)
    {
        using var harness = new Harness(new CapturingHandler(Respond));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.GetAuthorizationTokenAsync(token, "A1B2C3D4E5F6G7"));

        Assert.Empty(harness.Handler.Requests);
    }

    [Fact]
    public async Task TheToken_SentAsExtraHeader_IsSigned()
    {
        using var harness = new Harness(new CapturingHandler(_ => CapturingHandler.Response(HttpStatusCode.OK, SampleJson.Charge)));

        await harness.Client.GetChargeAsync("ch-1", new RequestOptions { ExtraHeaders = new Dictionary<string, string> { ["x-amz-pay-authtoken"] = Token } });

        var request = harness.Request;
        Assert.Equal(Token, request.Header("x-amz-pay-authtoken"));
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
        var swapped = request with { Headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase) { ["x-amz-pay-authtoken"] = "other" } };
        Assert.Equal(SignatureCheckOutcome.InvalidSignature, TestKeys.Verify(swapped).Outcome);
    }
}
