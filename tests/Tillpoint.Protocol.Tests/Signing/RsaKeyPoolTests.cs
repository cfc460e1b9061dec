using System.Reflection;
using System.Text;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

/// <summary>
/// The keys when their pool has no idle RSA instance (another thread holds it) and when the platform's RSA throws.
/// Each key keeps its pool private and no public call can force a miss, so the tests reach the pool by reflection.
/// </summary>
public sealed class RsaKeyPoolTests
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes(SigningVectors.SignedCase("spec-digest-2.10a-v2").StringToSign!);

    private static RsaInstancePool PoolOf(object key) =>
        (RsaInstancePool)key.GetType().GetField("_pool", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(key)!;

    private static byte[] SpecSignature()
    {
        AuthorizationHeader.TryParse(SigningVectors.SignedCase("spec-digest-2.10a-v2").HeaderMap()["authorization"], out var header);
        return Convert.FromBase64String(header!.Signature);
    }

    [Fact]
    public void VerificationKey_OnAPoolMiss_VerifiesWithAFreshImportOfTheSameKey()
    {
        using var key = RsaVerificationKey.FromPem(SigningVectors.ReadText("test-key-public.pem"));
        var pool = PoolOf(key);
        var held = pool.Rent();
        try
        {
            Assert.True(key.Verify(SignatureAlgorithm.RsassaPssV2, Data, SpecSignature()));
            Assert.False(key.Verify(SignatureAlgorithm.RsassaPssV2, [.. Data, (byte)'x'], SpecSignature()));
        }
        finally
        {
            pool.Return(held);
        }
    }

    [Fact]
    public void SigningKey_OnAPoolMiss_SignsWithAFreshImportOfTheSameKey()
    {
        using var key = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var pool = PoolOf(key);
        var held = pool.Rent();
        try
        {
            Assert.True(SigningVectors.TestPublicKey.Verify(SignatureAlgorithm.RsassaPssV2, Data, key.Sign(SignatureAlgorithm.RsassaPssV2, Data)));
        }
        finally
        {
            pool.Return(held);
        }
    }

    [Fact]
    public void Verify_WhenThePlatformRsaThrows_IsFalseNotAnException()
    {
        using var key = RsaVerificationKey.FromPem(SigningVectors.ReadText("test-key-public.pem"));
        var pool = PoolOf(key);
        var real = pool.Rent();
        pool.Return(new FailingRsa());

        Assert.False(key.Verify(SignatureAlgorithm.RsassaPssV2, Data, SpecSignature()));
        pool.Return(real);
    }
}
