using System.Text;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

/// <summary>
/// Every case of Vectors/signed-requests.json. This layer has no clock and no key registry; the README's registry
/// (the test key under two ids) is modelled by <see cref="SigningVectors.LookUpKey"/>.
/// </summary>
public sealed class SignedRequestVectorTests
{
    private const string Accept = "accept";

    public static TheoryData<string> AcceptCases() => Cases(Accept, null);

    public static TheoryData<string> RejectCases(string failsAt) => Cases("reject", failsAt);

    [Theory]
    [MemberData(nameof(AcceptCases))]
    public void AcceptCase_VerifiesValid_WithTheVectorStringToSign(string name)
    {
        var vector = SigningVectors.SignedCase(name);
        var authorization = ParseAuthorization(vector);
        var key = SigningVectors.LookUpKey(authorization.PublicKeyId);
        Assert.NotNull(key);

        var check = Verify(vector, authorization, key);

        Assert.Equal(SignatureCheckOutcome.Valid, check.Outcome);
        Assert.Equal(vector.StringToSign, check.StringToSign);
        Assert.Null(check.HeaderName);
        // Both date formats in use by the SDKs must parse for the server's clock check.
        Assert.True(AmazonPayDate.TryParse(vector.HeaderMap()["x-amz-pay-date"], out _));
    }

    [Theory]
    [MemberData(nameof(RejectCases), "signature")]
    public void SignatureStageReject_IsInvalidSignature_WithTheVectorStringToSign(string name)
    {
        var vector = SigningVectors.SignedCase(name);
        var authorization = ParseAuthorization(vector);

        var check = Verify(vector, authorization, SigningVectors.TestPublicKey);

        Assert.Equal(SignatureCheckOutcome.InvalidSignature, check.Outcome);
        Assert.Equal(vector.StringToSign, check.StringToSign);
        if (vector.SignedStringToSign is not null)
        {
            // The signature is genuine for what the client signed, so the tampering is what made it fail. The signer's
            // algorithm is the prefix of what it signed (it differs from the declared one in reject-algorithm-name-changed).
            var signedWith = vector.SignedStringToSign[..vector.SignedStringToSign.IndexOf('\n', StringComparison.Ordinal)];
            Assert.True(SignatureAlgorithms.TryParse(signedWith, out var signerAlgorithm));
            Assert.True(VerifyRaw(signerAlgorithm, vector.SignedStringToSign, authorization.Signature));
        }
    }

    [Theory]
    [MemberData(nameof(RejectCases), "missing-header")]
    public void MissingHeaderStageReject_IsMissingSignedHeader(string name)
    {
        var vector = SigningVectors.SignedCase(name);
        var authorization = ParseAuthorization(vector);

        var check = Verify(vector, authorization, SigningVectors.TestPublicKey);

        Assert.Equal(SignatureCheckOutcome.MissingSignedHeader, check.Outcome);
        Assert.Equal("x-amz-pay-idempotency-key", check.HeaderName);
        Assert.Null(vector.StringToSign);
        Assert.Null(check.StringToSign);
    }

    [Theory]
    [MemberData(nameof(RejectCases), "policy")]
    public void PolicyStageReject_IsRequiredHeaderNotSigned_ThoughTheSignatureIsGenuine(string name)
    {
        var vector = SigningVectors.SignedCase(name);
        var authorization = ParseAuthorization(vector);

        var check = Verify(vector, authorization, SigningVectors.TestPublicKey);

        Assert.Equal(SignatureCheckOutcome.RequiredHeaderNotSigned, check.Outcome);
        Assert.Equal("x-amz-pay-date", check.HeaderName);
        Assert.Equal(vector.StringToSign, check.StringToSign);
        Assert.True(VerifyRaw(authorization.Algorithm, vector.StringToSign!, authorization.Signature));
    }

    [Theory]
    [MemberData(nameof(RejectCases), "header-parse")]
    public void HeaderParseStageReject_IsUnknownAlgorithm_ThoughTheSignatureIsGenuine(string name)
    {
        var vector = SigningVectors.SignedCase(name);

        var error = AuthorizationHeader.TryParse(vector.HeaderMap()["authorization"], out var header);

        Assert.Equal(AuthorizationHeaderParseError.UnknownAlgorithm, error);
        Assert.Null(header);
        // The vector's signature is a valid salt-32 PSS signature over the "-V3" string-to-sign, so refusing it is
        // purely the parser's decision.
        Assert.StartsWith("AMZN-PAY-RSASSA-PSS-V3\n", vector.StringToSign, StringComparison.Ordinal);
        var signature = SignatureParameter(vector.HeaderMap()["authorization"]);
        Assert.True(VerifyRaw(SignatureAlgorithm.RsassaPssV2, vector.StringToSign!, signature));
    }

    [Theory]
    [MemberData(nameof(RejectCases), "key")]
    public void KeyStageReject_HasAnUnregisteredKeyId_AndAValidSignature(string name)
    {
        var vector = SigningVectors.SignedCase(name);
        var authorization = ParseAuthorization(vector);

        // Key lookup is the server's stage; this layer only shows that the signature itself is fine.
        Assert.Null(SigningVectors.LookUpKey(authorization.PublicKeyId));
        var check = Verify(vector, authorization, SigningVectors.TestPublicKey);
        Assert.Equal(SignatureCheckOutcome.Valid, check.Outcome);
        Assert.Equal(vector.StringToSign, check.StringToSign);
    }

    [Theory]
    [MemberData(nameof(RejectCases), "clock")]
    public void ClockStageReject_HasAFutureDate_AndAValidSignature(string name)
    {
        var vector = SigningVectors.SignedCase(name);
        var authorization = ParseAuthorization(vector);

        // The clock check is the server's stage; this layer parses the date and verifies the signature.
        var check = Verify(vector, authorization, SigningVectors.TestPublicKey);
        Assert.Equal(SignatureCheckOutcome.Valid, check.Outcome);
        Assert.Equal(vector.StringToSign, check.StringToSign);
        Assert.True(AmazonPayDate.TryParse(vector.HeaderMap()["x-amz-pay-date"], out var date));
        Assert.Equal(new DateTimeOffset(2099, 12, 31, 23, 59, 59, TimeSpan.Zero), date);
    }

    [Fact]
    public void Verify_V1DeclaredButSalt32_IsRejected()
    {
        var vector = SigningVectors.SignedCase("reject-v1-declared-but-salt-32");
        var authorization = ParseAuthorization(vector);
        Assert.Equal(SignatureAlgorithm.RsassaPss, authorization.Algorithm);

        var check = Verify(vector, authorization, SigningVectors.TestPublicKey);

        Assert.Equal(SignatureCheckOutcome.InvalidSignature, check.Outcome);
        // Only the salt is wrong: the same bytes verify with salt 32, which an auto-detecting verifier would accept.
        Assert.True(VerifyRaw(SignatureAlgorithm.RsassaPssV2, check.StringToSign!, authorization.Signature));
    }

    [Fact]
    public void Verify_V2DeclaredButSalt20_IsRejected()
    {
        var vector = SigningVectors.SignedCase("reject-v2-declared-but-salt-20");
        var authorization = ParseAuthorization(vector);
        Assert.Equal(SignatureAlgorithm.RsassaPssV2, authorization.Algorithm);

        var check = Verify(vector, authorization, SigningVectors.TestPublicKey);

        Assert.Equal(SignatureCheckOutcome.InvalidSignature, check.Outcome);
        Assert.True(VerifyRaw(SignatureAlgorithm.RsassaPss, check.StringToSign!, authorization.Signature));
    }

    [Fact]
    public void Verify_MixedCaseSignedHeaders_IsSignedVerbatim()
    {
        var vector = SigningVectors.SignedCase("node-sdk-v2-mixed-case-signedheaders");
        var authorization = ParseAuthorization(vector);
        var canonical = vector.CanonicalRequest!;

        Assert.Contains(";X-Amz-Pay-Idempotency-Key;", canonical, StringComparison.Ordinal);
        Assert.Contains("\nx-amz-pay-idempotency-key:", canonical, StringComparison.Ordinal);
        Assert.Equal(SignatureCheckOutcome.Valid, Verify(vector, authorization, SigningVectors.TestPublicKey).Outcome);
    }

    [Fact]
    public void Verify_UndecodableSignature_IsInvalidSignature()
    {
        var vector = SigningVectors.SignedCase("v2-get-checkout-session-no-body");
        var authorization = ParseAuthorization(vector) with { Signature = "not*base64!" };

        var check = Verify(vector, authorization, SigningVectors.TestPublicKey);

        Assert.Equal(SignatureCheckOutcome.InvalidSignature, check.Outcome);
        Assert.Equal(vector.StringToSign, check.StringToSign);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(1025)]
    [InlineData(100_000)]
    public void Verify_SignatureLongerThanAnyKey_IsInvalidSignature_NotAnException(int bytes)
    {
        var vector = SigningVectors.SignedCase("v2-get-checkout-session-no-body");
        var authorization = ParseAuthorization(vector) with { Signature = Convert.ToBase64String(new byte[bytes]) };

        var check = Verify(vector, authorization, SigningVectors.TestPublicKey);

        Assert.Equal(SignatureCheckOutcome.InvalidSignature, check.Outcome);
    }

    [Fact]
    public void SpecDigestVector_CanonicalHash_MatchesTheDigestText()
    {
        // Spec §2.10(a) prints SHA-256(canonical) independently of the vector file.
        var vector = SigningVectors.SignedCase("spec-digest-2.10a-v1");

        Assert.Equal("AMZN-PAY-RSASSA-PSS\n259f33e0638ae5b2660fc42d70b964a1d1fdeb4790c9bf0fd4e72d5548f1dbf7", vector.StringToSign);
        Assert.Equal("e3ff249dac84a58f0b7e77a429e35daa1ed66c748f0355fd85f99195e7c43493",
            CanonicalRequest.HexSha256(Encoding.UTF8.GetBytes(vector.Body)));
    }

    [Fact]
    public void VectorFile_EveryCaseIsCoveredByAStageTheory()
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        string?[] stages = [null, "signature", "missing-header", "policy", "header-parse", "key", "clock"];
        foreach (var stage in stages)
        {
            foreach (var name in CaseNames(stage is null ? Accept : "reject", stage))
            {
                Assert.True(covered.Add(name));
            }
        }

        Assert.Equal(28, SigningVectors.Signed.Count);
        Assert.Equal(28, covered.Count);
        Assert.Equal(12, CaseNames(Accept, null).Count);
        Assert.Equal(11, CaseNames("reject", "signature").Count);
    }

    private static TheoryData<string> Cases(string expect, string? failsAt) => new(CaseNames(expect, failsAt));

    private static List<string> CaseNames(string expect, string? failsAt)
    {
        var names = new List<string>();
        foreach (var vector in SigningVectors.Signed)
        {
            if (vector.Expect == expect && vector.FailsAt == failsAt)
            {
                names.Add(vector.Name);
            }
        }

        return names;
    }

    private static AuthorizationHeader ParseAuthorization(SignedVector vector)
    {
        var error = AuthorizationHeader.TryParse(vector.HeaderMap()["authorization"], out var header);
        Assert.Equal(AuthorizationHeaderParseError.None, error);
        return header!;
    }

    // Verifies the request exactly as received: the raw request-target split at '?', the headers looked up
    // case-insensitively like a server's header collection, the body bytes as sent.
    private static SignatureCheck Verify(SignedVector vector, AuthorizationHeader authorization, RsaVerificationKey key)
    {
        var headers = vector.HeaderMap();
        var question = vector.Target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question < 0 ? vector.Target : vector.Target[..question];
        var rawQuery = question < 0 ? null : vector.Target[(question + 1)..];
        Assert.Equal(vector.Path, rawPath);
        Assert.Equal(vector.Query.Count > 0, rawQuery is not null);

        return RequestSignatureVerifier.Verify(authorization, key, vector.Method, rawPath, rawQuery,
            headers.GetValueOrDefault, Encoding.UTF8.GetBytes(vector.Body));
    }

    private static bool VerifyRaw(SignatureAlgorithm algorithm, string stringToSign, string signatureBase64) =>
        SigningVectors.TestPublicKey.Verify(algorithm, Encoding.UTF8.GetBytes(stringToSign), Convert.FromBase64String(signatureBase64));

    private static string SignatureParameter(string authorizationValue)
    {
        const string marker = "Signature=";
        var index = authorizationValue.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0);
        return authorizationValue[(index + marker.Length)..];
    }
}
