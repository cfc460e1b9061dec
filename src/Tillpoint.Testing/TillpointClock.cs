using System.Globalization;
using Tillpoint.Client;

namespace Tillpoint.Testing;

/// <summary>
/// The sandbox clock of a <see cref="TillpointTestServer"/>, through its operator endpoints: moving it expires what
/// would expire in that time (a checkout session after 24 hours, an authorization after 30 days) and settles what
/// is pending, before the call returns.
/// </summary>
public sealed class TillpointClock
{
    private readonly TillpointOperatorClient _operator;

    internal TillpointClock(TillpointOperatorClient @operator) => _operator = @operator;

    /// <summary>The sandbox's current time.</summary>
    /// <param name="ct">Cancels the call.</param>
    public async Task<DateTimeOffset> NowAsync(CancellationToken ct = default) =>
        Parse((await _operator.GetClockAsync(ct).ConfigureAwait(false)).Now);

    /// <summary>Moves the sandbox clock forward by <paramref name="by"/> (whole seconds) and returns its new time.</summary>
    /// <param name="by">How far: positive, whole seconds.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is zero or negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="by"/> has a fraction of a second.</exception>
    public async Task<DateTimeOffset> AdvanceAsync(TimeSpan by, CancellationToken ct = default) =>
        Parse((await _operator.AdvanceClockAsync(by, ct).ConfigureAwait(false)).Now);

    private static DateTimeOffset Parse(string? now) =>
        DateTimeOffset.Parse(
            now ?? throw new InvalidOperationException("The operator clock answered without a time."),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
