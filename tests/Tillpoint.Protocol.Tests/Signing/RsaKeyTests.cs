using System.Security.Cryptography;
using System.Text;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

public sealed class RsaKeyTests
{
    private static byte[] SpecDigestData(string name) => Encoding.UTF8.GetBytes(SigningVectors.SignedCase(name).StringToSign!);

    private static byte[] SpecDigestSignature(string name)
    {
        var authorization = SigningVectors.SignedCase(name).HeaderMap()["authorization"];
        AuthorizationHeader.TryParse(authorization, out var header);
        return Convert.FromBase64String(header!.Signature);
    }

    [Fact]
    public void VerificationKey_FromSpki_ExposesTheSameSpkiPem()
    {
        var expected = SigningVectors.ReadText("test-key-public.pem").Trim();

        Assert.Equal(expected, SigningVectors.TestPublicKey.PublicKeyPem.Trim());
    }

    [Fact]
    public void VerificationKey_FromPkcs1RsaPublicKey_VerifiesTheSpecDigestVectors()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(SigningVectors.ReadText("test-key-public.pem"));
        using var key = RsaVerificationKey.FromPem(rsa.ExportRSAPublicKeyPem());

        Assert.True(key.Verify(SignatureAlgorithm.RsassaPss, SpecDigestData("spec-digest-2.10a-v1"), SpecDigestSignature("spec-digest-2.10a-v1")));
        Assert.True(key.Verify(SignatureAlgorithm.RsassaPssV2, SpecDigestData("spec-digest-2.10a-v2"), SpecDigestSignature("spec-digest-2.10a-v2")));
        Assert.Equal(SigningVectors.TestPublicKey.PublicKeyPem, key.PublicKeyPem);
    }

    [Fact]
    public void VerificationKey_FromPrivateKeyPem_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => RsaVerificationKey.FromPem(SigningVectors.ReadText("test-key-private.pem")));
    }

    [Fact]
    public void VerificationKey_FromTextWithoutPem_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => RsaVerificationKey.FromPem("not a key"));
    }

    [Fact]
    public void VerificationKey_SmallerThan2048Bits_IsRefused()
    {
        using var weak = RSA.Create(1024);

        Assert.Throws<ArgumentException>(() => RsaVerificationKey.FromPem(weak.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void VerificationKey_WithTrailingDataAfterTheKey_IsRefused()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(SigningVectors.ReadText("test-key-public.pem"));
        var pem = PemEncoding.WriteString("PUBLIC KEY", [.. rsa.ExportSubjectPublicKeyInfo(), 0]);

        Assert.Throws<CryptographicException>(() => RsaVerificationKey.FromPem(pem));
    }

    [Fact]
    public void SigningKey_WithTrailingDataAfterTheKey_IsRefused()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(SigningVectors.ReadText("test-key-private.pem"));
        var pem = PemEncoding.WriteString("PRIVATE KEY", [.. rsa.ExportPkcs8PrivateKey(), 0]);

        Assert.Throws<CryptographicException>(() => RsaSigningKey.FromPem(pem));
    }

    [Fact]
    public void Verify_UndefinedAlgorithm_IsFalseNotAnException()
    {
        Assert.False(SigningVectors.TestPublicKey.Verify((SignatureAlgorithm)7, SpecDigestData("spec-digest-2.10a-v2"), SpecDigestSignature("spec-digest-2.10a-v2")));
    }

    [Fact]
    public void SigningKey_AfterDispose_RefusesEveryUse()
    {
        var key = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.ExportPrivateKeyPem());
        Assert.Throws<ObjectDisposedException>(() => key.ExportPublicKeyPem());
        Assert.Throws<ObjectDisposedException>(() => key.Sign(SignatureAlgorithm.RsassaPss, "x"u8));
        Assert.Throws<ObjectDisposedException>(() => key.Sign(SignatureAlgorithm.RsassaPssV2, "x"u8));
    }

    [Fact]
    public void Verify_EachSpecDigestSignature_OnlyWithItsOwnSalt()
    {
        var key = SigningVectors.TestPublicKey;

        Assert.True(key.Verify(SignatureAlgorithm.RsassaPss, SpecDigestData("spec-digest-2.10a-v1"), SpecDigestSignature("spec-digest-2.10a-v1")));
        Assert.False(key.Verify(SignatureAlgorithm.RsassaPssV2, SpecDigestData("spec-digest-2.10a-v1"), SpecDigestSignature("spec-digest-2.10a-v1")));
        Assert.True(key.Verify(SignatureAlgorithm.RsassaPssV2, SpecDigestData("spec-digest-2.10a-v2"), SpecDigestSignature("spec-digest-2.10a-v2")));
        Assert.False(key.Verify(SignatureAlgorithm.RsassaPss, SpecDigestData("spec-digest-2.10a-v2"), SpecDigestSignature("spec-digest-2.10a-v2")));
    }

    [Theory]
    [InlineData(SignatureAlgorithm.RsassaPss)]
    [InlineData(SignatureAlgorithm.RsassaPssV2)]
    public void Verify_SignatureOfWrongLengthOrValue_IsFalseNotAnException(SignatureAlgorithm algorithm)
    {
        var key = SigningVectors.TestPublicKey;
        var data = "x"u8.ToArray();

        Assert.False(key.Verify(algorithm, data, []));
        Assert.False(key.Verify(algorithm, data, new byte[255]));
        Assert.False(key.Verify(algorithm, data, new byte[257]));
        // A value above the modulus: BouncyCastle throws internally for it.
        Assert.False(key.Verify(algorithm, data, Enumerable.Repeat((byte)0xFF, 256).ToArray()));
    }

    [Fact]
    public void Verify_V1DeclaredButSalt32_IsRejected()
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var data = "AMZN-PAY-RSASSA-PSS\n00"u8.ToArray();

        var salt32 = signingKey.Sign(SignatureAlgorithm.RsassaPssV2, data);

        Assert.False(SigningVectors.TestPublicKey.Verify(SignatureAlgorithm.RsassaPss, data, salt32));
        Assert.True(SigningVectors.TestPublicKey.Verify(SignatureAlgorithm.RsassaPssV2, data, salt32));
    }

    [Fact]
    public void Verify_V2DeclaredButSalt20_IsRejected()
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var data = "AMZN-PAY-RSASSA-PSS-V2\n00"u8.ToArray();

        var salt20 = signingKey.Sign(SignatureAlgorithm.RsassaPss, data);

        Assert.False(SigningVectors.TestPublicKey.Verify(SignatureAlgorithm.RsassaPssV2, data, salt20));
        Assert.True(SigningVectors.TestPublicKey.Verify(SignatureAlgorithm.RsassaPss, data, salt20));
    }

    [Theory]
    [InlineData(SignatureAlgorithm.RsassaPss)]
    [InlineData(SignatureAlgorithm.RsassaPssV2)]
    public void KeyOf2049Bits_SignsAndVerifies(SignatureAlgorithm algorithm)
    {
        // A modulus one bit over a whole number of bytes: the signature has 257 bytes but the encoded message only 256,
        // so BouncyCastle's verifier must run the RSA engine in its verifying direction, whose output is not padded.
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-2049-private.pem"));
        using var publicKey = RsaVerificationKey.FromPem(signingKey.ExportPublicKeyPem());
        var data = "AMZN-PAY-RSASSA-PSS\nabc"u8.ToArray();

        var signature = signingKey.Sign(algorithm, data);

        Assert.Equal(257, signature.Length);
        Assert.True(publicKey.Verify(algorithm, data, signature));
        Assert.False(publicKey.Verify(algorithm, "AMZN-PAY-RSASSA-PSS\nabd"u8, signature));
    }

    [Fact]
    public void Verify_ManyThreadsAtOnce_EveryResultIsCorrect()
    {
        // Correctness under contention only; nothing is timed.
        using var key = RsaVerificationKey.FromPem(SigningVectors.ReadText("test-key-public.pem"));
        var v1Data = SpecDigestData("spec-digest-2.10a-v1");
        var v1Signature = SpecDigestSignature("spec-digest-2.10a-v1");
        var v2Data = SpecDigestData("spec-digest-2.10a-v2");
        var v2Signature = SpecDigestSignature("spec-digest-2.10a-v2");
        var wrong = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(8, Environment.ProcessorCount * 4) }, i =>
        {
            var ok = (i % 4) switch
            {
                0 => key.Verify(SignatureAlgorithm.RsassaPssV2, v2Data, v2Signature),
                1 => key.Verify(SignatureAlgorithm.RsassaPss, v1Data, v1Signature),
                2 => !key.Verify(SignatureAlgorithm.RsassaPssV2, v1Data, v1Signature),
                _ => !key.Verify(SignatureAlgorithm.RsassaPss, v2Data, v2Signature),
            };
            if (!ok)
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void Sign_ManyThreadsAtOnce_EverySignatureVerifies()
    {
        using var signingKey = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var data = "AMZN-PAY-RSASSA-PSS-V2\nabc"u8.ToArray();
        var wrong = 0;

        Parallel.For(0, 64, i =>
        {
            var algorithm = i % 2 == 0 ? SignatureAlgorithm.RsassaPss : SignatureAlgorithm.RsassaPssV2;
            if (!SigningVectors.TestPublicKey.Verify(algorithm, data, signingKey.Sign(algorithm, data)))
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }

    [Theory]
    [InlineData(SignatureAlgorithm.RsassaPss)]
    [InlineData(SignatureAlgorithm.RsassaPssV2)]
    public void Verify_AfterDispose_Throws(SignatureAlgorithm algorithm)
    {
        var key = RsaVerificationKey.FromPem(SigningVectors.ReadText("test-key-public.pem"));
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Verify(algorithm, "x"u8, new byte[256]));
    }

    [Fact]
    public void SigningKey_FromPkcs8_ExportsTheMatchingPublicKey()
    {
        using var key = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));

        Assert.Equal(SigningVectors.ReadText("test-key-public.pem").Trim(), key.ExportPublicKeyPem().Trim());
        Assert.Equal(SigningVectors.ReadText("test-key-private.pem").Trim(), key.ExportPrivateKeyPem().Trim());
    }

    [Fact]
    public void SigningKey_FromPkcs1RsaPrivateKey_SignsVerifiably()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(SigningVectors.ReadText("test-key-private.pem"));
        using var key = RsaSigningKey.FromPem(rsa.ExportRSAPrivateKeyPem());
        var data = "AMZN-PAY-RSASSA-PSS\nabc"u8.ToArray();

        Assert.True(SigningVectors.TestPublicKey.Verify(SignatureAlgorithm.RsassaPss, data, key.Sign(SignatureAlgorithm.RsassaPss, data)));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", key.ExportPrivateKeyPem(), StringComparison.Ordinal);
    }

    [Fact]
    public void SigningKey_FromPublicKeyPem_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-public.pem")));
    }

    [Fact]
    public void SigningKey_Generate_Is2048BitAndRoundTripsThroughPem()
    {
        using var generated = RsaSigningKey.Generate();
        using var reloaded = RsaSigningKey.FromPem(generated.ExportPrivateKeyPem());
        using var publicKey = RsaVerificationKey.FromPem(generated.ExportPublicKeyPem());
        using var rsa = RSA.Create();
        rsa.ImportFromPem(generated.ExportPublicKeyPem());
        var data = "AMZN-PAY-RSASSA-PSS-V2\nabc"u8.ToArray();

        Assert.Equal(2048, rsa.KeySize);
        Assert.Equal(generated.ExportPublicKeyPem(), reloaded.ExportPublicKeyPem());
        Assert.True(publicKey.Verify(SignatureAlgorithm.RsassaPssV2, data, reloaded.Sign(SignatureAlgorithm.RsassaPssV2, data)));
    }
}
