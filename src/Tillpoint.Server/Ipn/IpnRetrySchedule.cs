namespace Tillpoint.Server.Ipn;

/// <summary>When a failed delivery is tried again: exponential backoff with jitter, capped.</summary>
internal static class IpnRetrySchedule
{
    /// <summary>Each delay is moved by up to this fraction either way, so receivers that failed together are not retried together.</summary>
    public const double Jitter = 0.2;

    /// <summary>
    /// The wait after the <paramref name="failedAttempts"/>-th failure: <paramref name="first"/> × 2^(n−1), at most
    /// <paramref name="max"/>, then scaled by 1 ± <see cref="Jitter"/> according to <paramref name="random"/> in [0, 1).
    /// </summary>
    public static TimeSpan Delay(int failedAttempts, TimeSpan first, TimeSpan max, double random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(failedAttempts);
        // 2^30 × anything sensible is far past any cap; the exponent is bounded so the product cannot overflow.
        var exponential = first.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 - Jitter + (2 * Jitter * random)));
    }
}
