using System.Security.Cryptography;
using System.Text;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Client.Tests;

/// <summary><see cref="AmazonPayClient.GenerateButtonSignature"/>: the button payload signature of spec §2.11.</summary>
public sealed class ButtonSignatureTests
{
    private const string Payload =
        """{"webCheckoutDetails":{"checkoutReviewReturnUrl":"https://shop.example/checkout/review"},"storeId":"amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId","scopes":["name","email"]}""";

    public static TheoryData<SignatureAlgorithm> Algorithms => new() { SignatureAlgorithm.RsassaPss, SignatureAlgorithm.RsassaPssV2 };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void GenerateButtonSignature_verifies_with_the_clients_algorithm_only(SignatureAlgorithm algorithm)
    {
        using var harness = new Harness(algorithm: algorithm);
        using var publicKey = RsaVerificationKey.FromPem(TestKeys.PublicKeyPem);

        var signature = harness.Client.GenerateButtonSignature(Payload);

        Assert.True(ButtonSignature.Verify(publicKey, algorithm, Payload, signature));
        Assert.False(ButtonSignature.Verify(publicKey, Other(algorithm), Payload, signature));
    }

    [Fact]
    public void GenerateButtonSignature_signs_the_algorithm_name_and_the_payloads_sha256_as_the_spec_writes_them()
    {
        using var harness = new Harness(algorithm: SignatureAlgorithm.RsassaPssV2);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.PublicKeyPem);

        var signature = Convert.FromBase64String(harness.Client.GenerateButtonSignature(Payload));

        // Built here by hand, not with the library, so a mistake in the library's formula cannot cancel out.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Payload)));
        var stringToSign = Encoding.UTF8.GetBytes("AMZN-PAY-RSASSA-PSS-V2\n" + hash);
        Assert.True(rsa.VerifyData(stringToSign, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [Fact]
    public void GenerateButtonSignature_covers_the_exact_string_so_a_reserialized_payload_does_not_verify()
    {
        using var harness = new Harness();
        using var publicKey = RsaVerificationKey.FromPem(TestKeys.PublicKeyPem);
        var escapedSlashes = Payload.Replace("/", "\\/", StringComparison.Ordinal);

        var signature = harness.Client.GenerateButtonSignature(Payload);

        Assert.False(ButtonSignature.Verify(publicKey, SignatureAlgorithm.RsassaPssV2, escapedSlashes, signature));
        Assert.False(ButtonSignature.Verify(publicKey, SignatureAlgorithm.RsassaPssV2, Payload + " ", signature));
    }

    [Fact]
    public void GenerateButtonSignature_is_randomized_yet_every_signature_verifies()
    {
        using var harness = new Harness();
        using var publicKey = RsaVerificationKey.FromPem(TestKeys.PublicKeyPem);

        var first = harness.Client.GenerateButtonSignature(Payload);
        var second = harness.Client.GenerateButtonSignature(Payload);

        // RSASSA-PSS draws a fresh salt each time: pages must not cache a signature expecting it to be stable, nor compare them.
        Assert.NotEqual(first, second);
        Assert.True(ButtonSignature.Verify(publicKey, SignatureAlgorithm.RsassaPssV2, Payload, first));
        Assert.True(ButtonSignature.Verify(publicKey, SignatureAlgorithm.RsassaPssV2, Payload, second));
    }

    [Fact]
    public void GenerateButtonSignature_sends_no_request()
    {
        using var harness = new Harness();

        harness.Client.GenerateButtonSignature(Payload);

        Assert.Empty(harness.Handler.Requests);
    }

    [Fact]
    public void GenerateButtonSignature_refuses_an_empty_or_null_payload()
    {
        using var harness = new Harness();

        Assert.Throws<ArgumentException>(() => harness.Client.GenerateButtonSignature(string.Empty));
        Assert.Throws<ArgumentNullException>(() => harness.Client.GenerateButtonSignature(null!));
    }

    [Fact]
    public void GenerateButtonSignature_after_dispose_throws()
    {
        var harness = new Harness();
        harness.Dispose();

        Assert.Throws<ObjectDisposedException>(() => harness.Client.GenerateButtonSignature(Payload));
    }

    private static SignatureAlgorithm Other(SignatureAlgorithm algorithm) =>
        algorithm == SignatureAlgorithm.RsassaPss ? SignatureAlgorithm.RsassaPssV2 : SignatureAlgorithm.RsassaPss;
}
