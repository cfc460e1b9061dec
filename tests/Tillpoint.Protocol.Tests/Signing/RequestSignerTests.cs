using System.Text;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

public sealed class RequestSignerTests
{
    private const string Body = "{\"chargeAmount\":{\"amount\":\"14.00\",\"currencyCode\":\"EUR\"},\"note\":\"Grüße\"}";

    public static TheoryData<SignatureAlgorithm> Algorithms() => [SignatureAlgorithm.RsassaPss, SignatureAlgorithm.RsassaPssV2];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void SignThenVerify_WithAGeneratedKey_IsValid(SignatureAlgorithm algorithm)
    {
        using var signingKey = RsaSigningKey.Generate();
        using var verificationKey = RsaVerificationKey.FromPem(signingKey.ExportPublicKeyPem());

        AssertRoundTrip(signingKey, verificationKey, algorithm);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void SignThenVerify_WithTheFixedTestKey_IsValid(SignatureAlgorithm algorithm)
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));

        AssertRoundTrip(signingKey, SigningVectors.TestPublicKey, algorithm);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void SignThenVerify_BodyChangedAfterSigning_IsInvalid(SignatureAlgorithm algorithm)
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var headers = DefaultHeaders();
        var signer = new RequestSigner("AMZNPAYTESTVECTORKEY0001", signingKey, algorithm);
        var value = signer.Sign("POST", "/sandbox/v2/charges", null, headers, Encoding.UTF8.GetBytes(Body));
        Assert.Equal(AuthorizationHeaderParseError.None, AuthorizationHeader.TryParse(value, out var authorization));

        var check = RequestSignatureVerifier.Verify(authorization!, SigningVectors.TestPublicKey, "POST", "/sandbox/v2/charges", null,
            Lookup(headers), Encoding.UTF8.GetBytes(Body.Replace("14.00", "15.00", StringComparison.Ordinal)));

        Assert.Equal(SignatureCheckOutcome.InvalidSignature, check.Outcome);
    }

    [Fact]
    public void Sign_SpecDigestRequest_SignsTheVectorStringToSign()
    {
        // PSS is randomised, so compare what was signed rather than the signature bytes.
        var vector = SigningVectors.SignedCase("spec-digest-2.10a-v2");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, headerValue) in vector.Headers)
        {
            if (name != "authorization")
            {
                headers.Add(name, headerValue);
            }
        }

        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var signer = new RequestSigner(SigningVectors.RegisteredKeyId, signingKey);
        var value = signer.Sign(vector.Method, vector.Path, null, headers, Encoding.UTF8.GetBytes(vector.Body));
        Assert.Equal(AuthorizationHeaderParseError.None, AuthorizationHeader.TryParse(value, out var authorization));

        var check = RequestSignatureVerifier.Verify(authorization!, SigningVectors.TestPublicKey, vector.Method, vector.Path, null,
            Lookup(headers), Encoding.UTF8.GetBytes(vector.Body));

        Assert.Equal(SignatureCheckOutcome.Valid, check.Outcome);
        Assert.Equal(vector.StringToSign, check.StringToSign);
    }

    [Fact]
    public void Sign_HeaderNamesInAnyCase_AreLowerCasedAndSortedOrdinal()
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var headers = new Dictionary<string, string>
        {
            ["X-Amz-Pay-Region"] = "eu",
            ["Accept"] = "application/json",
            ["x-amz-pay-date"] = "20261127T120000Z",
            ["X-AMZ-PAY-HOST"] = "pay-api.amazon.eu",
        };

        var value = new RequestSigner("LIVE-ABC", signingKey).Sign("GET", "/live/v2/reports", null, headers, []);

        Assert.Equal(AuthorizationHeaderParseError.None, AuthorizationHeader.TryParse(value, out var authorization));
        Assert.Equal("accept;x-amz-pay-date;x-amz-pay-host;x-amz-pay-region", authorization!.SignedHeaders);
        Assert.Equal("LIVE-ABC", authorization.PublicKeyId);
        Assert.Equal(SignatureAlgorithm.RsassaPssV2, authorization.Algorithm);
        Assert.StartsWith("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=LIVE-ABC, SignedHeaders=accept;", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_SameHeaderInTwoCases_IsRefused()
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Accept"] = "a", ["accept"] = "b" };

        Assert.Throws<ArgumentException>(() => new RequestSigner("ID", signingKey).Sign("GET", "/", null, headers, []));
    }

    [Fact]
    public void Sign_HeaderNameWithSemicolon_IsRefused()
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["accept;x"] = "a" };

        Assert.Throws<ArgumentException>(() => new RequestSigner("ID", signingKey).Sign("GET", "/", null, headers, []));
    }

    [Theory]
    [InlineData("")]
    [InlineData("accept x")]
    [InlineData("accept:")]
    [InlineData("acc\u00e9pt")]
    public void Sign_HeaderNameThatIsNotAToken_IsRefused(string name)
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { [name] = "a" };

        Assert.Throws<ArgumentException>(() => new RequestSigner("ID", signingKey).Sign("GET", "/", null, headers, []));
    }

    [Fact]
    public void Sign_EveryTokenCharacter_IsAcceptedInAHeaderName()
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        const string name = "azAZ09!#$%&'*+-.^_`|~";
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { [name] = "a" };

        var authorization = new RequestSigner("ID", signingKey).Sign("GET", "/", null, headers, []);

        Assert.Contains("SignedHeaders=" + name.ToLowerInvariant() + ",", authorization, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_NoHeaders_OrANullValue_IsRefused()
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var signer = new RequestSigner("ID", signingKey);

        Assert.Throws<ArgumentException>(() => signer.Sign("GET", "/", null, new Dictionary<string, string>(), []));
        Assert.Throws<ArgumentNullException>(() => signer.Sign("GET", "/", null, new Dictionary<string, string> { ["accept"] = null! }, []));
    }

    [Theory]
    [InlineData("A B")]
    [InlineData(",AB")]
    [InlineData("A\tB")]
    [InlineData("A\rB")]
    [InlineData("A\nB")]
    public void Constructor_PublicKeyIdWithWhitespace_IsRefused(string publicKeyId)
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));

        Assert.Throws<ArgumentException>(() => new RequestSigner(publicKeyId, signingKey));
    }

    [Fact]
    public void Constructor_UndefinedAlgorithm_IsRefused()
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));

        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestSigner("ID", signingKey, (SignatureAlgorithm)7));
    }

    [Fact]
    public void Constructor_PublicKeyIdWithComma_IsRefused()
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));

        Assert.Throws<ArgumentException>(() => new RequestSigner("A,B", signingKey));
    }

    [Fact]
    public void FormatDate_WritesUtcBasicFormat_ThatParsesBack()
    {
        var local = new DateTimeOffset(2026, 11, 27, 13, 0, 5, TimeSpan.FromHours(1));

        var formatted = RequestSigner.FormatDate(local);

        Assert.Equal("20261127T120005Z", formatted);
        Assert.True(AmazonPayDate.TryParse(formatted, out var parsed));
        Assert.Equal(local, parsed);
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
    }

    private static void AssertRoundTrip(RsaSigningKey signingKey, RsaVerificationKey verificationKey, SignatureAlgorithm algorithm)
    {
        var headers = DefaultHeaders();
        headers["X-Amz-Pay-Idempotency-Key"] = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
        const string rawQuery = "reportTypes=A%2CB&pageSize=10";
        var body = Encoding.UTF8.GetBytes(Body);
        var signer = new RequestSigner("SANDBOX-AMZNPAYTESTVECTORKEY0002", signingKey, algorithm);

        var value = signer.Sign("post", "/v2/charges/", rawQuery, headers, body);

        Assert.Equal(AuthorizationHeaderParseError.None, AuthorizationHeader.TryParse(value, out var authorization));
        Assert.Equal(algorithm, authorization!.Algorithm);
        var check = RequestSignatureVerifier.Verify(authorization, verificationKey, "POST", "/v2/charges/", rawQuery, Lookup(headers), body);
        Assert.Equal(SignatureCheckOutcome.Valid, check.Outcome);
        Assert.StartsWith(SignatureAlgorithms.Name(algorithm) + "\n", check.StringToSign, StringComparison.Ordinal);

        // Exact salt both ways: relabelling the signature with the other algorithm must fail.
        var relabelled = authorization with
        {
            Algorithm = algorithm == SignatureAlgorithm.RsassaPss ? SignatureAlgorithm.RsassaPssV2 : SignatureAlgorithm.RsassaPss,
        };
        var relabelledCheck = RequestSignatureVerifier.Verify(relabelled, verificationKey, "POST", "/v2/charges/", rawQuery, Lookup(headers), body);
        Assert.Equal(SignatureCheckOutcome.InvalidSignature, relabelledCheck.Outcome);
    }

    private static Dictionary<string, string> DefaultHeaders() => new(StringComparer.Ordinal)
    {
        ["accept"] = "application/json",
        ["content-type"] = "application/json",
        ["x-amz-pay-date"] = RequestSigner.FormatDate(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero)),
        ["x-amz-pay-host"] = "pay-api.amazon.com",
        ["x-amz-pay-region"] = "na",
    };

    // A server's header collection is case-insensitive.
    private static Func<string, string?> Lookup(Dictionary<string, string> headers)
    {
        var map = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        return map.GetValueOrDefault;
    }
}
