using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

/// <summary>The server's signing policy, on requests signed here with the test key (the vectors hold the recorded cases).</summary>
public sealed class RequestSignatureVerifierTests
{
    private static readonly Dictionary<string, string> AllRequired = new(StringComparer.Ordinal)
    {
        ["x-amz-pay-date"] = "20261127T120000Z",
        ["x-amz-pay-host"] = "pay-api.amazon.com",
        ["x-amz-pay-region"] = "us",
    };

    [Fact]
    public void Verify_AllRequiredHeadersSigned_InAnyCase_IsValid()
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["X-Amz-Pay-Date"] = "20261127T120000Z",
            ["x-amz-pay-HOST"] = "pay-api.amazon.com",
            ["x-amz-pay-region"] = "us",
        };

        Assert.Equal(SignatureCheckOutcome.Valid, SignAndVerify(headers).Outcome);
    }

    [Theory]
    [InlineData("x-amz-pay-date")]
    [InlineData("x-amz-pay-host")]
    [InlineData("x-amz-pay-region")]
    public void Verify_ARequiredHeaderNotSigned_NamesIt(string required)
    {
        var headers = new Dictionary<string, string>(AllRequired, StringComparer.Ordinal);
        headers.Remove(required);
        headers["accept"] = "application/json";

        var check = SignAndVerify(headers);

        Assert.Equal(SignatureCheckOutcome.RequiredHeaderNotSigned, check.Outcome);
        Assert.Equal(required, check.HeaderName);
        Assert.NotNull(check.StringToSign);
    }

    [Fact]
    public void Verify_ARequiredNameSpelledWithANonAsciiLookalike_DoesNotCountAsSigned()
    {
        // "ı" (dotless i) folds to "I" under OrdinalIgnoreCase; the canonical request signs it as a name of its own.
        const string signedHeaders = "x-amz-pay-date;x-amz-pay-host;x-amz-pay-regıon";
        var received = new Dictionary<string, string>(AllRequired, StringComparer.Ordinal) { ["x-amz-pay-regıon"] = "us" };
        var authorization = new AuthorizationHeader(SignatureAlgorithm.RsassaPssV2, "ID", signedHeaders, "AAAA");

        var check = RequestSignatureVerifier.Verify(authorization, SigningVectors.TestPublicKey, "GET", "/v2/x", null, received.GetValueOrDefault, []);

        Assert.Equal(SignatureCheckOutcome.RequiredHeaderNotSigned, check.Outcome);
        Assert.Equal("x-amz-pay-region", check.HeaderName);
        var canonical = CanonicalRequest.Build("GET", "/v2/x", null, signedHeaders, received.GetValueOrDefault, []).CanonicalRequest!;
        Assert.Contains("\nx-amz-pay-regıon:us\n", canonical, StringComparison.Ordinal);
    }

    private static SignatureCheck SignAndVerify(Dictionary<string, string> headers)
    {
        using var key = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var value = new RequestSigner("ID", key).Sign("GET", "/v2/x", null, headers, []);
        Assert.Equal(AuthorizationHeaderParseError.None, AuthorizationHeader.TryParse(value, out var authorization));
        var received = headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value, StringComparer.Ordinal);

        return RequestSignatureVerifier.Verify(authorization!, SigningVectors.TestPublicKey, "GET", "/v2/x", null, received.GetValueOrDefault, []);
    }
}
