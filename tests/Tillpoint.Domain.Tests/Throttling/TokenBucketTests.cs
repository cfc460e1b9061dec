using Tillpoint.Domain.Throttling;

namespace Tillpoint.Domain.Tests.Throttling;

/// <summary>Amazon's quotas as token buckets: a burst at once, then the restore rate, never more than the burst.</summary>
public sealed class TokenBucketTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    public void TryTake_AtOnce_AllowsTheBurstAndRefusesTheNext(int burst)
    {
        var bucket = new TokenBucket(new RequestQuota(burst, 1), T0);

        for (var i = 0; i < burst; i++)
        {
            Assert.True(bucket.TryTake(T0, out var none));
            Assert.Equal(TimeSpan.Zero, none);
        }

        Assert.False(bucket.TryTake(T0, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
    }

    [Fact]
    public void TryTake_AtTheRestoreRate_IsNeverRefused()
    {
        var bucket = new TokenBucket(new RequestQuota(2, 4), T0);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(bucket.TryTake(T0 + TimeSpan.FromMilliseconds(250 * i), out _), $"request {i}");
        }
    }

    [Fact]
    public void TryTake_JustBeforeATokenIsBack_IsRefused_AndAtIt_Allowed()
    {
        var bucket = new TokenBucket(new RequestQuota(1, 2), T0);
        Assert.True(bucket.TryTake(T0, out _));

        Assert.False(bucket.TryTake(T0 + TimeSpan.FromMilliseconds(499), out var retryAfter));
        Assert.Equal(1, retryAfter.TotalMilliseconds, 3);
        Assert.True(bucket.TryTake(T0 + TimeSpan.FromMilliseconds(500), out _));
    }

    [Fact]
    public void Refill_AfterALongPause_StopsAtTheBurst()
    {
        var bucket = new TokenBucket(new RequestQuota(5, 1), T0);
        for (var i = 0; i < 5; i++)
        {
            bucket.TryTake(T0, out _);
        }

        Assert.Equal(0, bucket.Available(T0));
        Assert.Equal(5, bucket.Available(T0 + TimeSpan.FromHours(1)));
        Assert.Equal(2, new TokenBucket(new RequestQuota(2, 1), T0).Available(T0 + TimeSpan.FromDays(1)));
    }

    [Fact]
    public void AFractionalRestoreRate_RestoresPartTokensThatAddUp()
    {
        var bucket = new TokenBucket(new RequestQuota(1, 0.5), T0);
        Assert.True(bucket.TryTake(T0, out _));

        Assert.False(bucket.TryTake(T0 + TimeSpan.FromSeconds(1), out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
        Assert.True(bucket.TryTake(T0 + TimeSpan.FromSeconds(2), out _));
    }

    [Fact]
    public void AClockThatStepsBack_MintsNoTokens()
    {
        var bucket = new TokenBucket(new RequestQuota(1, 1), T0);
        Assert.True(bucket.TryTake(T0, out _));

        Assert.False(bucket.TryTake(T0 - TimeSpan.FromHours(1), out _));
        Assert.False(bucket.TryTake(T0 + TimeSpan.FromMilliseconds(999), out _));
        Assert.True(bucket.TryTake(T0 + TimeSpan.FromSeconds(1), out _));
    }

    [Fact]
    public void ARefusal_TakesNoToken()
    {
        var bucket = new TokenBucket(new RequestQuota(1, 1), T0);
        Assert.True(bucket.TryTake(T0, out _));

        for (var i = 0; i < 10; i++)
        {
            Assert.False(bucket.TryTake(T0 + TimeSpan.FromMilliseconds(100), out _));
        }

        Assert.True(bucket.TryTake(T0 + TimeSpan.FromSeconds(1), out _));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(-1, 1.0)]
    [InlineData(1, 0.0)]
    [InlineData(1, -1.0)]
    [InlineData(1, double.NaN)]
    [InlineData(1, double.PositiveInfinity)]
    public void AQuotaWithoutABurstOrARate_IsRefused(int burst, double restorePerSecond) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(new RequestQuota(burst, restorePerSecond), T0));

    [Fact]
    public void AQuota_SaysItsBurstAndRate() =>
        Assert.Equal("40 burst, 16/s", new RequestQuota(40, 16).ToString());
}
