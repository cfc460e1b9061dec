using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tillpoint.Storage;

namespace Tillpoint.Server.Hosting;

/// <summary>
/// Tillpoint's own instruments (meter <c>Tillpoint</c>), created once. Every recording method is allocation-free: tags
/// are a <see cref="TagList"/> of strings the caller already holds, and status codes come from a table of cached texts.
/// </summary>
internal sealed class TillpointMetrics : IDisposable
{
    public const string MeterName = "Tillpoint";

    // Seconds; from a cached read (~100 µs) to a slow durable write or an IPN receiver that times out.
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly string[] StatusTexts = CreateStatusTexts();

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _signatureFailures;
    private readonly Counter<long> _idempotentReplays;
    private readonly Histogram<double> _storeDuration;
    private readonly Counter<long> _ipnAttempts;
    private readonly Histogram<double> _ipnDuration;
    private Func<long>? _ipnBacklog;

    public TillpointMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        var buckets = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };
        _requests = _meter.CreateCounter<long>(
            "tillpoint.requests", "{request}", "Merchant API requests answered, by operation and status code.");
        _requestDuration = _meter.CreateHistogram(
            "tillpoint.request.duration", "s", "Time to answer a merchant API request, by operation.", advice: buckets);
        _signatureFailures = _meter.CreateCounter<long>(
            "tillpoint.signature.failures", "{request}", "Merchant API requests refused by authentication, by reason code.");
        _idempotentReplays = _meter.CreateCounter<long>(
            "tillpoint.idempotent.replays", "{request}", "Requests answered with the stored response of an earlier request with the same idempotency key.");
        _storeDuration = _meter.CreateHistogram(
            "tillpoint.store.duration", "s", "Store transactions: reads, and writes until durably committed, by kind.", advice: buckets);
        _ipnAttempts = _meter.CreateCounter<long>(
            "tillpoint.ipn.attempts", "{attempt}", "Instant payment notification deliveries attempted, by outcome.");
        _ipnDuration = _meter.CreateHistogram(
            "tillpoint.ipn.duration", "s", "Time of one instant payment notification delivery attempt, by outcome.", advice: buckets);
        _meter.CreateObservableGauge(
            "tillpoint.ipn.backlog", ObserveIpnBacklog, "{notification}", "Instant payment notifications waiting to be delivered.");
    }

    /// <summary>One answered merchant API request.</summary>
    public void Request(string operation, int statusCode, long startedTimestamp)
    {
        var seconds = Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds;
        var operationTag = new KeyValuePair<string, object?>("operation", operation);
        _requests.Add(1, operationTag, new KeyValuePair<string, object?>("status_code", StatusText(statusCode)));
        _requestDuration.Record(seconds, operationTag);
    }

    /// <summary>A request refused before it reached its operation: bad signature, unknown key, stale date…</summary>
    public void SignatureFailure(string reasonCode) =>
        _signatureFailures.Add(1, new KeyValuePair<string, object?>("reason", reasonCode));

    public void IdempotentReplay() => _idempotentReplays.Add(1);

    public void StoreRead(long startedTimestamp) =>
        _storeDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("kind", "read"));

    public void StoreWrite(long startedTimestamp) =>
        _storeDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("kind", "write"));

    /// <summary>
    /// One delivery attempt of an instant payment notification. <paramref name="outcome"/> is a small fixed set chosen
    /// by the dispatcher (e.g. <c>delivered</c>, <c>rejected</c>, <c>timeout</c>, <c>error</c>), never a URL or an id.
    /// </summary>
    public void IpnAttempt(string outcome, double seconds)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _ipnAttempts.Add(1, tag);
        _ipnDuration.Record(seconds, tag);
    }

    /// <summary>
    /// Makes <c>tillpoint.ipn.backlog</c> report <paramref name="backlog"/> (called at each scrape, so it must be
    /// cheap). The last registration wins; until one is made, the gauge reports nothing.
    /// </summary>
    public void RegisterIpnBacklog(Func<long> backlog) => Volatile.Write(ref _ipnBacklog, backlog);

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveIpnBacklog() =>
        Volatile.Read(ref _ipnBacklog) is { } backlog ? [new Measurement<long>(backlog())] : [];

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
internal sealed class MeasuredStore(ITillpointStore inner, TillpointMetrics metrics) : ITillpointStore
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
            metrics.StoreWrite(started);
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
            metrics.StoreRead(started);
        }
    }

    public void Dispose() => inner.Dispose();
}
