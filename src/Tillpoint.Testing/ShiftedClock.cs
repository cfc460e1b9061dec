namespace Tillpoint.Testing;

/// <summary>The real time moved by a fixed amount: a business clock that starts where a test wants and then runs on.</summary>
internal sealed class ShiftedClock(TimeSpan shift) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
}
