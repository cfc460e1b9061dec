using System.Runtime.CompilerServices;

namespace Tillpoint.Server;

/// <summary>
/// Business time per environment. Live follows the server's clock. Sandbox runs ahead of it by an offset the operator
/// advances to make 30-day expiries happen in a test; the offset is stored, so it survives restarts.
/// </summary>
/// <remarks>
/// Several nodes may share one database, and the operator may advance the sandbox clock through any of them. Each node
/// therefore re-reads the stored offset when its copy is older than <c>refresh</c> (a second by default), measured on
/// the clock's monotonic timestamp: another node's advance shows here at most that much later. The offset only moves forward,
/// so a copy is only ever raised.
/// </remarks>
internal sealed class BusinessClocks(TimeProvider clock, ITillpointStore store, TimeSpan refresh)
{
    public const string SandboxOffsetSetting = "sandbox-clock-offset-ms";

    private long _sandboxOffsetMs;
    // Null until the first load: a timestamp has no value that is always long enough ago.
    private StrongBox<long>? _loadedAt;
    private int _refreshing;

    /// <summary>How far the sandbox runs ahead, as this node last read it (at most <c>refresh</c> ago).</summary>
    public TimeSpan SandboxOffset
    {
        get
        {
            RefreshIfStale();
            return TimeSpan.FromMilliseconds(Volatile.Read(ref _sandboxOffsetMs));
        }
    }

    public DateTimeOffset Now(ReleaseEnvironment environment) =>
        environment == ReleaseEnvironment.Sandbox ? clock.GetUtcNow() + SandboxOffset : clock.GetUtcNow();

    /// <summary>Reads the stored offset (at start-up).</summary>
    public void Load()
    {
        Raise(store.Read(ReadOffset));
        Volatile.Write(ref _loadedAt, new StrongBox<long>(clock.GetTimestamp()));
    }

    /// <summary>
    /// Moves the sandbox clock forward by <paramref name="by"/>, durably, and returns the new offset; null, changing
    /// nothing, when the offset would pass <paramref name="maxOffset"/>.
    /// </summary>
    public async Task<TimeSpan?> AdvanceSandboxAsync(TimeSpan by, TimeSpan maxOffset, CancellationToken cancellationToken)
    {
        // Read, checked and written in one command, so advances made at once through several nodes add up and the
        // limit holds for their sum.
        var offset = await store.WriteAsync(
            session =>
            {
                var next = ReadOffset(session) + (long)by.TotalMilliseconds;
                if (next > (long)maxOffset.TotalMilliseconds)
                {
                    return (long?)null;
                }

                session.PutSetting(SandboxOffsetSetting, next.ToString(CultureInfo.InvariantCulture));
                return next;
            },
            cancellationToken);
        if (offset is not { } advanced)
        {
            return null;
        }

        Raise(advanced);
        return TimeSpan.FromMilliseconds(advanced);
    }

    private void RefreshIfStale()
    {
        if (Volatile.Read(ref _loadedAt) is { } loadedAt && clock.GetElapsedTime(loadedAt.Value) < refresh)
        {
            return;
        }

        // One caller re-reads; the others go on with the copy they have, which is at most one read behind.
        if (Interlocked.CompareExchange(ref _refreshing, 1, 0) != 0)
        {
            return;
        }

        try
        {
            Load();
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    /// <summary>Keeps the larger offset: a read that raced with an advance must not move the clock back.</summary>
    private void Raise(long offsetMs)
    {
        var current = Volatile.Read(ref _sandboxOffsetMs);
        while (offsetMs > current)
        {
            var seen = Interlocked.CompareExchange(ref _sandboxOffsetMs, offsetMs, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static long ReadOffset(IStoreReader reader) =>
        reader.GetSetting(SandboxOffsetSetting) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;
}

internal static class BusinessTimeServices
{
    /// <summary>The business clocks (read from the store at start-up) and the sweeper that acts on what falls due by them.</summary>
    public static IServiceCollection AddBusinessTime(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton(provider =>
        {
            var clocks = new BusinessClocks(options.Clock, provider.GetRequiredService<ITillpointStore>(), options.ClockOffsetRefresh);
            clocks.Load();
            return clocks;
        });
        services.AddSingleton<Hosting.DueWorkSweeper>();
        services.AddHostedService<Hosting.StartedAfterListening<Hosting.DueWorkSweeper>>();
        return services;
    }
}
