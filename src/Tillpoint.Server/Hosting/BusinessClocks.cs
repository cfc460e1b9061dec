using System.Globalization;
using Tillpoint.Domain;
using Tillpoint.Storage;

namespace Tillpoint.Server;

/// <summary>
/// Business time per environment. Live follows the server's clock. Sandbox runs ahead of it by an offset the operator
/// advances to make 30-day expiries happen in a test; the offset is stored, so it survives restarts.
/// </summary>
internal sealed class BusinessClocks(TimeProvider clock)
{
    public const string SandboxOffsetSetting = "sandbox-clock-offset-ms";

    private long _sandboxOffsetMs;

    public TimeSpan SandboxOffset => TimeSpan.FromMilliseconds(Volatile.Read(ref _sandboxOffsetMs));

    public DateTimeOffset Now(ReleaseEnvironment environment) =>
        environment == ReleaseEnvironment.Sandbox ? clock.GetUtcNow() + SandboxOffset : clock.GetUtcNow();

    /// <summary>Reads the stored offset (at start-up).</summary>
    public void Load(ITillpointStore store) => Volatile.Write(ref _sandboxOffsetMs, store.Read(ReadOffset));

    /// <summary>Moves the sandbox clock forward by <paramref name="by"/>, durably, and returns the new offset.</summary>
    public async Task<TimeSpan> AdvanceSandboxAsync(ITillpointStore store, TimeSpan by, CancellationToken cancellationToken)
    {
        var offset = await store.WriteAsync(
            session =>
            {
                var next = ReadOffset(session) + (long)by.TotalMilliseconds;
                session.PutSetting(SandboxOffsetSetting, next.ToString(CultureInfo.InvariantCulture));
                return next;
            },
            cancellationToken);
        Volatile.Write(ref _sandboxOffsetMs, offset);
        return TimeSpan.FromMilliseconds(offset);
    }

    private static long ReadOffset(IStoreReader reader) =>
        reader.GetSetting(SandboxOffsetSetting) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;
}
