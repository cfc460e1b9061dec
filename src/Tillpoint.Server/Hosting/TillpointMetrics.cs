using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tillpoint.Server.Hosting;

/// <summary>
/// Tillpoint's own instruments (meter <c>Tillpoint</c>), created once per process: like the meter provider that exports
/// them, they are process-wide, so servers started and stopped in one process (tests) never take a live series with them.
/// Every recording method is allocation-free: tags are strings the caller already holds, and status codes come from a
/// table of cached texts.
/// </summary>
internal static class TillpointMetrics
{
    public const string MeterName = "Tillpoint";

    // Seconds; from a cached read (~100 µs) to a slow durable write or an IPN receiver that times out.
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly string[] StatusTexts = CreateStatusTexts();

    private static readonly string[] FaultKindNames = Enum.GetNames<Throttling.FaultKind>();

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "tillpoint.requests", "{request}", "Merchant API requests answered, by operation and status code.");

    private static readonly Histogram<double> RequestDuration = Seconds(
        "tillpoint.request.duration", "Time to answer a merchant API request, by operation.");

    private static readonly Counter<long> SignatureFailures = Meter.CreateCounter<long>(
        "tillpoint.signature.failures", "{request}", "Merchant API requests refused by authentication, by reason code.");

    private static readonly Counter<long> IdempotentReplays = Meter.CreateCounter<long>(
        "tillpoint.idempotent.replays", "{request}", "Requests answered with the stored response of an earlier request with the same idempotency key.");

    private static readonly Counter<long> ThrottledRequests = Meter.CreateCounter<long>(
        "tillpoint.throttled", "{request}", "Merchant API requests refused 429 TooManyRequests by Amazon's quotas (serve --throttling), by operation.");

    private static readonly Counter<long> InjectedFaults = Meter.CreateCounter<long>(
        "tillpoint.faults.injected", "{request}", "Merchant API requests that met a fault the operator injected, by operation and kind.");

    private static readonly Histogram<double> StoreDuration = Seconds(
        "tillpoint.store.duration", "Store transactions: reads, and writes until durably committed, by kind.");

    private static readonly Counter<long> IpnAttempts = Meter.CreateCounter<long>(
        "tillpoint.ipn.attempts", "{attempt}", "Instant payment notification deliveries attempted, by outcome.");

    private static readonly Histogram<double> IpnDuration = Seconds(
        "tillpoint.ipn.duration", "Time of one instant payment notification delivery attempt, by outcome.");

    private static readonly ObservableGauge<long> IpnBacklog = Meter.CreateObservableGauge(
        "tillpoint.ipn.backlog", ObserveIpnBacklog, "{notification}", "Instant payment notifications waiting to be delivered.");

    private static Func<long>? _ipnBacklog;

    /// <summary>One answered merchant API request.</summary>
    public static void Request(string operation, int statusCode, long startedTimestamp)
    {
        var seconds = Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds;
        var operationTag = new KeyValuePair<string, object?>("operation", operation);
        Requests.Add(1, operationTag, new KeyValuePair<string, object?>("status_code", StatusText(statusCode)));
        RequestDuration.Record(seconds, operationTag);
    }

    /// <summary>A request refused before it reached its operation: bad signature, unknown key, stale date…</summary>
    public static void SignatureFailure(string reasonCode) =>
        SignatureFailures.Add(1, new KeyValuePair<string, object?>("reason", reasonCode));

    public static void IdempotentReplay() => IdempotentReplays.Add(1);

    public static void Throttled(string operation) => ThrottledRequests.Add(1, new KeyValuePair<string, object?>("operation", operation));

    /// <summary>One injected fault; the kind's name is one of four, so the tag set stays small.</summary>
    public static void FaultInjected(string operation, Throttling.FaultKind kind) =>
        InjectedFaults.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("kind", FaultKindNames[(int)kind]));

    public static void StoreRead(long startedTimestamp) =>
        StoreDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("kind", "read"));

    public static void StoreWrite(long startedTimestamp) =>
        StoreDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("kind", "write"));

    /// <summary>
    /// One delivery attempt of an instant payment notification. <paramref name="outcome"/> is a small fixed set chosen
    /// by the dispatcher (e.g. <c>delivered</c>, <c>rejected</c>, <c>timeout</c>, <c>error</c>), never a URL or an id.
    /// </summary>
    public static void IpnAttempt(string outcome, double seconds)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        IpnAttempts.Add(1, tag);
        IpnDuration.Record(seconds, tag);
    }

    /// <summary>
    /// Makes <c>tillpoint.ipn.backlog</c> report <paramref name="backlog"/> (called at each scrape, so it must be
    /// cheap). The last registration wins; until one is made, the gauge reports nothing.
    /// </summary>
    public static void RegisterIpnBacklog(Func<long> backlog)
    {
        // Touches the gauge so it exists before the first scrape, whatever the order of first use.
        _ = IpnBacklog.Enabled;
        Volatile.Write(ref _ipnBacklog, backlog);
    }

    private static IEnumerable<Measurement<long>> ObserveIpnBacklog() =>
        Volatile.Read(ref _ipnBacklog) is { } backlog ? [new Measurement<long>(backlog())] : [];

    // Every duration is in seconds with the same buckets, so that one scale reads them all.
    private static Histogram<double> Seconds(string name, string description) =>
        Meter.CreateHistogram(name, "s", description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    private static string StatusText(int statusCode) =>
        (uint)statusCode < (uint)StatusTexts.Length ? StatusTexts[statusCode] : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string[] CreateStatusTexts()
    {
        var texts = new string[600];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return texts;
    }
}

/// <summary>Times every store transaction, whatever the store, in one place.</summary>
internal sealed class MeasuredStore(ITillpointStore inner) : ITillpointStore
{
    public ITillpointStore Inner => inner;

    public async Task<T> WriteAsync<T>(Func<IWriteSession, T> command, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.WriteAsync(command, cancellationToken);
        }
        finally
        {
            TillpointMetrics.StoreWrite(started);
        }
    }

    public T Read<T>(Func<IStoreReader, T> query)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return inner.Read(query);
        }
        finally
        {
            TillpointMetrics.StoreRead(started);
        }
    }

    public void Dispose() => inner.Dispose();
}
