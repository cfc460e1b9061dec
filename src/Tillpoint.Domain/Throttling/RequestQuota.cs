namespace Tillpoint.Domain.Throttling;

/// <summary>
/// One of Amazon's request quotas (spec §12.1): a bucket of <paramref name="Burst"/> requests ("maximum request quota")
/// that regains <paramref name="RestorePerSecond"/> requests a second ("restore rate").
/// </summary>
public readonly record struct RequestQuota(int Burst, double RestorePerSecond)
{
    public override string ToString() =>
        $"{Burst} burst, {RestorePerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture)}/s";
}

/// <summary>
/// A token bucket of a <see cref="RequestQuota"/>: it starts full, each request takes a token, and tokens come back at
/// the restore rate up to the burst. Time is an argument (any monotonic instant); a clock that steps back is taken as
/// standing still, so it never mints tokens. Not thread-safe: the caller serializes the requests of one bucket.
/// </summary>
public sealed class TokenBucket
{
    private readonly RequestQuota _quota;
    private double _tokens;
    private DateTimeOffset _updated;

    public TokenBucket(RequestQuota quota, DateTimeOffset now)
    {
        if (quota.Burst < 1 || !(quota.RestorePerSecond > 0) || double.IsInfinity(quota.RestorePerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(quota), quota, "A quota has a burst of at least 1 and a positive, finite restore rate.");
        }

        _quota = quota;
        _tokens = quota.Burst;
        _updated = now;
    }

    /// <summary>The requests that may be made at once at <paramref name="now"/> (whole tokens).</summary>
    public int Available(DateTimeOffset now)
    {
        Refill(now);
        return (int)Math.Floor(_tokens);
    }

    /// <summary>
    /// Takes a token for a request at <paramref name="now"/>. When none is left, the request is refused and
    /// <paramref name="retryAfter"/> says how long until one is back.
    /// </summary>
    public bool TryTake(DateTimeOffset now, out TimeSpan retryAfter)
    {
        Refill(now);
        if (_tokens >= 1)
        {
            _tokens -= 1;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _quota.RestorePerSecond);
        return false;
    }

    private void Refill(DateTimeOffset now)
    {
        // At the same instant nothing would be refilled, so `<` here would do the same.
        if (now <= _updated)
        {
            return;
        }

        _tokens = Math.Min(_quota.Burst, _tokens + ((now - _updated).TotalSeconds * _quota.RestorePerSecond));
        _updated = now;
    }
}
