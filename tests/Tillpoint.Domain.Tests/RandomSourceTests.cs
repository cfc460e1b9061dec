namespace Tillpoint.Domain.Tests;

/// <summary>Seeded runs repeat; cryptographic ones do not; Live secrets are never seeded.</summary>
public sealed class RandomSourceTests
{
    [Fact]
    public void TwoSourcesOfOneSeed_MakeTheSameIds()
    {
        var first = new RandomIdGenerator(RandomSource.Seeded(42));
        var second = new RandomIdGenerator(RandomSource.Seeded(42));

        string[] Draw(RandomIdGenerator ids) =>
        [
            ids.NewCheckoutSessionId(), ids.NewChargePermissionId(ReleaseEnvironment.Sandbox), ids.NewChargeId("S01-1234567-7654321"),
            ids.NewRefundId("S01-1234567-7654321"), ids.NewDisputeId("S01-1234567-7654321"), ids.NewRequestId(),
            ids.Random.GetString("ABC", 8), Convert.ToHexString(ids.Random.GetSecretBytes(ReleaseEnvironment.Sandbox, 8)),
        ];

        Assert.Equal(Draw(first), Draw(second));
    }

    [Fact]
    public void AnotherSeed_MakesOtherIds() =>
        Assert.NotEqual(
            new RandomIdGenerator(RandomSource.Seeded(1)).NewCheckoutSessionId(),
            new RandomIdGenerator(RandomSource.Seeded(2)).NewCheckoutSessionId());

    [Fact]
    public void ASeededGuid_IsAVersion4Uuid()
    {
        var guid = RandomSource.Seeded(7).NewGuid().ToString("D");

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", guid);
    }

    [Fact]
    public void LiveSecrets_OfASeededSource_DoNotRepeat()
    {
        var first = RandomSource.Seeded(42).GetSecretBytes(ReleaseEnvironment.Live, 32);
        var second = RandomSource.Seeded(42).GetSecretBytes(ReleaseEnvironment.Live, 32);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void ADerivedSource_RepeatsWithItsSeed_AndLeavesItsParentsSequenceAlone()
    {
        var parent = RandomSource.Seeded(5);
        var untouched = RandomSource.Seeded(5);

        var derived = Enumerable.Range(0, 10).Select(_ => 0.0).ToArray();
        var faults = parent.Derive("faults");
        for (var i = 0; i < derived.Length; i++)
        {
            derived[i] = faults.NextDouble();
        }

        var again = RandomSource.Seeded(5).Derive("faults");
        Assert.Equal(derived, derived.Select(_ => again.NextDouble()));
        Assert.Equal(untouched.GetInt32(0, int.MaxValue), parent.GetInt32(0, int.MaxValue));
        Assert.NotEqual(RandomSource.Seeded(5).Derive("faults").NextDouble(), RandomSource.Seeded(5).Derive("other").NextDouble());
    }

    [Fact]
    public void TheCryptographicSource_IsNotSeeded_AndDerivesItself()
    {
        Assert.False(RandomSource.Cryptographic.IsSeeded);
        Assert.True(RandomSource.Seeded(0).IsSeeded);
        Assert.Same(RandomSource.Cryptographic, RandomSource.Cryptographic.Derive("faults"));
        Assert.NotEqual(RandomSource.Cryptographic.GetBytes(16), RandomSource.Cryptographic.GetBytes(16));
    }

    [Fact]
    public void Draws_StayInTheirRanges()
    {
        foreach (var source in new[] { RandomSource.Cryptographic, RandomSource.Seeded(3) })
        {
            for (var i = 0; i < 1000; i++)
            {
                Assert.InRange(source.NextDouble(), 0, 0.9999999999);
                Assert.InRange(source.GetInt32(10, 20), 10, 19);
            }

            Assert.Matches("^[XY]{12}$", source.GetString("XY", 12));
            Assert.Equal(24, source.GetSecretBytes(ReleaseEnvironment.Sandbox, 24).Length);
        }
    }
}
