using System.Text;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

/// <summary>Vectors/button-payload.json and the button signature scheme of spec §2.11.</summary>
public sealed class ButtonSignatureTests
{
    public static TheoryData<SignatureAlgorithm> Algorithms() => [SignatureAlgorithm.RsassaPss, SignatureAlgorithm.RsassaPssV2];

    [Fact]
    public void PayloadHash_MatchesVector()
    {
        var button = SigningVectors.ButtonPayload;

        Assert.Equal(button.PayloadSha256, CanonicalRequest.HexSha256(Encoding.UTF8.GetBytes(button.Payload)));
        Assert.Equal("8dec52d799607be40f82d5c8e7ecb6c171e6591c41b1111a576b16076c89381c", button.PayloadSha256);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void StringToSign_MatchesVector(SignatureAlgorithm algorithm)
    {
        var recorded = Recorded(algorithm);

        Assert.Equal(SignatureAlgorithms.SaltLength(algorithm), recorded.SaltLength);
        Assert.Equal(recorded.StringToSign, ButtonSignature.StringToSign(algorithm, SigningVectors.ButtonPayload.Payload));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void RecordedSignature_VerifiesWithItsOwnAlgorithm(SignatureAlgorithm algorithm)
    {
        var recorded = Recorded(algorithm);

        Assert.True(ButtonSignature.Verify(SigningVectors.TestPublicKey, algorithm, SigningVectors.ButtonPayload.Payload, recorded.Signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void RecordedSignature_FailsWithTheOtherAlgorithm(SignatureAlgorithm algorithm)
    {
        var recorded = Recorded(algorithm);

        Assert.False(ButtonSignature.Verify(SigningVectors.TestPublicKey, Other(algorithm), SigningVectors.ButtonPayload.Payload, recorded.Signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void RecordedSignature_FailsForThePhpEscapedPayload(SignatureAlgorithm algorithm)
    {
        // The payload is hashed exactly as received; the PHP SDK's stripcslashes is not imitated.
        var button = SigningVectors.ButtonPayload;
        Assert.Equal(button.PhpEscapedSha256, CanonicalRequest.HexSha256(Encoding.UTF8.GetBytes(button.PhpEscapedInput)));

        Assert.False(ButtonSignature.Verify(SigningVectors.TestPublicKey, algorithm, button.PhpEscapedInput, Recorded(algorithm).Signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Sign_WithTheFixedKey_VerifiesOnlyWithTheSameAlgorithm(SignatureAlgorithm algorithm)
    {
        using var key = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var payload = SigningVectors.ButtonPayload.Payload;

        var signature = ButtonSignature.Sign(key, algorithm, payload);

        Assert.True(ButtonSignature.Verify(SigningVectors.TestPublicKey, algorithm, payload, signature));
        Assert.False(ButtonSignature.Verify(SigningVectors.TestPublicKey, Other(algorithm), payload, signature));
        Assert.False(ButtonSignature.Verify(SigningVectors.TestPublicKey, algorithm, payload + " ", signature));
    }

    [Fact]
    public void Verify_InvalidBase64_IsFalse()
    {
        Assert.False(ButtonSignature.Verify(SigningVectors.TestPublicKey, SignatureAlgorithm.RsassaPssV2,
            SigningVectors.ButtonPayload.Payload, "%%%"));
    }

    private static ButtonSignatureVector Recorded(SignatureAlgorithm algorithm)
    {
        foreach (var vector in SigningVectors.ButtonPayload.Signatures)
        {
            if (vector.Algorithm == SignatureAlgorithms.Name(algorithm))
            {
                return vector;
            }
        }

        throw new InvalidOperationException($"No button vector for {algorithm}.");
    }

    private static SignatureAlgorithm Other(SignatureAlgorithm algorithm) =>
        algorithm == SignatureAlgorithm.RsassaPss ? SignatureAlgorithm.RsassaPssV2 : SignatureAlgorithm.RsassaPss;
}
