using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Tillpoint.Domain.Throttling;

namespace Tillpoint.Server.Throttling;

/// <summary>Whether requests are held to Amazon's quotas (<c>serve --throttling</c>).</summary>
public enum ThrottlingMode
{
    /// <summary>No request is ever refused for its rate.</summary>
    Off,

    /// <summary>Amazon's per-operation quotas (<see cref="AmazonQuotas"/>): a request over its bucket is answered 429 TooManyRequests.</summary>
    Amazon,
}

/// <summary>A merchant's own choice (<c>tillpoint merchants set-throttling</c>): the server's mode unless it chose.</summary>
internal enum MerchantThrottling
{
    Default,
    Amazon,
    Off,
}

/// <summary>Where each merchant's choice of throttling is kept: a setting per merchant that chose, none for the default.</summary>
internal static class ThrottlingSettings
{
    public const string Prefix = "throttling.";

    public static string Name(MerchantThrottling choice) => choice.ToString().ToLowerInvariant();

    /// <summary>The choice named <paramref name="name"/> (as the command line and the dashboard name it), or null.</summary>
    public static MerchantThrottling? Parse(string? name) =>
        Enum.GetValues<MerchantThrottling>().Cast<MerchantThrottling?>().FirstOrDefault(choice => Name(choice!.Value) == name);

    /// <summary>What <paramref name="merchantId"/> chose: <see cref="MerchantThrottling.Default"/> unless it chose.</summary>
    public static MerchantThrottling Of(IStoreReader reader, string merchantId) =>
        Parse(reader.GetSetting(Prefix + merchantId)) ?? MerchantThrottling.Default;

    /// <summary>Every merchant that chose, by merchant id.</summary>
    public static IReadOnlyDictionary<string, ThrottlingMode> Read(IStoreReader reader) =>
        reader.GetSettings(Prefix)
            .Select(setting => (MerchantId: setting.Key[Prefix.Length..], Mode: ModeOf(setting.Value)))
            .Where(choice => choice.Mode is not null)
            .ToDictionary(choice => choice.MerchantId, choice => choice.Mode!.Value, StringComparer.Ordinal);

    /// <summary>What a merchant has chosen; false, and nothing stored, for an unknown merchant.</summary>
    public static Task<bool> SetAsync(ITillpointStore store, string merchantId, MerchantThrottling choice, CancellationToken cancellationToken) =>
        store.WriteAsync(
            write =>
            {
                if (write.GetMerchant(merchantId) is null)
                {
                    return false;
                }

                switch (choice)
                {
                    case MerchantThrottling.Default:
                        // The default is what no setting means, so choosing it leaves nothing behind.
                        write.DeleteSetting(Prefix + merchantId);
                        break;
                    case MerchantThrottling.Amazon:
                    case MerchantThrottling.Off:
                        write.PutSetting(Prefix + merchantId, Name(choice));
                        break;
                }

                return true;
            },
            cancellationToken);

    private static ThrottlingMode? ModeOf(string value) => value switch
    {
        "amazon" => ThrottlingMode.Amazon,
        "off" => ThrottlingMode.Off,
        _ => null,
    };
}

/// <summary>
/// Holds each merchant's requests to Amazon's quotas when throttling is on for it: one token bucket per merchant,
/// environment and operation, on the injected wall clock (<see cref="ServerOptions.SignatureClock"/>, which moving the
/// sandbox clock leaves alone). The buckets are this node's: several nodes sharing a database each allow the quota.
/// Merchants' own choices are re-read from the store at most a second after they change, as the sandbox clock is.
/// </summary>
internal sealed class RequestThrottle(ServerOptions options, ITillpointStore store)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string MerchantId, ReleaseEnvironment Environment, string Operation), TokenBucket> _buckets = new();
    private IReadOnlyDictionary<string, ThrottlingMode> _choices = new Dictionary<string, ThrottlingMode>();
    // Null until the first load: a timestamp has no value that is always long enough ago.
    private StrongBox<long>? _loadedAt;
    private int _refreshing;

    /// <summary>
    /// Takes a token for the request, or refuses it with how long until one is back. Operations without a quota (an unknown
    /// path) and merchants with throttling off always pass.
    /// </summary>
    public bool TryAdmit(string merchantId, ReleaseEnvironment environment, string operation, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (AmazonQuotas.Of(operation) is not { } quotas || ModeOf(merchantId) == ThrottlingMode.Off)
        {
            return true;
        }

        var now = options.SignatureClock.GetUtcNow();
        var bucket = _buckets.GetOrAdd(
            (merchantId, environment, operation), static (_, first) => new TokenBucket(first.Quota, first.Now), (Quota: quotas.In(environment), Now: now));
        lock (bucket)
        {
            return bucket.TryTake(now, out retryAfter);
        }
    }

    private ThrottlingMode ModeOf(string merchantId)
    {
        RefreshIfStale();
        return Volatile.Read(ref _choices).TryGetValue(merchantId, out var chosen) ? chosen : options.Throttling;
    }

    private void RefreshIfStale()
    {
        if (Volatile.Read(ref _loadedAt) is { } loadedAt && options.SignatureClock.GetElapsedTime(loadedAt.Value) < Refresh)
        {
            return;
        }

        // One caller re-reads; the others go on with the choices they have, at most one read behind.
        if (Interlocked.CompareExchange(ref _refreshing, 1, 0) != 0)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _choices, store.Read(ThrottlingSettings.Read));
            Volatile.Write(ref _loadedAt, new StrongBox<long>(options.SignatureClock.GetTimestamp()));
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }
}
