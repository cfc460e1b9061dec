namespace Tillpoint.Server.Ipn;

/// <summary>Attempts by outcome since the start, for metrics to read.</summary>
internal sealed class IpnCounters
{
    private readonly long[] _attempts = new long[Enum.GetValues<IpnAttemptOutcome>().Length];

    public void Count(IpnAttemptOutcome outcome) => Interlocked.Increment(ref _attempts[(int)outcome]);

    public long Attempts(IpnAttemptOutcome outcome) => Interlocked.Read(ref _attempts[(int)outcome]);
}
