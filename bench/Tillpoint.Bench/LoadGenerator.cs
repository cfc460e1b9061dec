using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;

namespace Tillpoint.Bench;

/// <summary>One request, ready to send any number of times: method, URI, headers and body, all fixed in advance.</summary>
internal sealed class RequestTemplate(HttpMethod method, Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
{
    public Uri Uri => uri;

    public IReadOnlyList<KeyValuePair<string, string>> Headers => headers;

    public HttpRequestMessage Create()
    {
        var request = new HttpRequestMessage(method, uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            // Like AmazonPayClient: a content (and so a content-type) on every request, empty for a GET.
            Content = new ByteArrayContent(body),
        };
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }
}

/// <summary>Where a loop takes its next request from; null when there are no more.</summary>
internal interface IRequestSource
{
    RequestTemplate? Next();
}

/// <summary>The same request forever (a pre-signed Get replays: the signature has no nonce).</summary>
internal sealed class ReplaySource(RequestTemplate template) : IRequestSource
{
    public RequestTemplate? Next() => template;
}

/// <summary>The given requests in turn, forever (a pre-signed Get for each of several nodes).</summary>
internal sealed class CycleSource(IReadOnlyList<RequestTemplate> templates) : IRequestSource
{
    private long _next = -1;

    public RequestTemplate? Next() => templates[(int)(Interlocked.Increment(ref _next) % templates.Count)];
}

/// <summary>Each request once, in order, shared by every loop (pre-signed captures, one per charge).</summary>
internal sealed class PoolSource(IReadOnlyList<RequestTemplate> templates) : IRequestSource
{
    private int _next = -1;

    public int Count => templates.Count;

    public int Taken => Math.Min(Volatile.Read(ref _next) + 1, templates.Count);

    public RequestTemplate? Next()
    {
        var index = Interlocked.Increment(ref _next);
        return index < templates.Count ? templates[index] : null;
    }
}

/// <summary>What one phase measured. Only requests that completed inside the timed window count.</summary>
internal sealed record PhaseResult(
    string Name,
    long Successes,
    long Failures,
    double Seconds,
    double P50Ms,
    double P99Ms,
    double MeanBodyBytes,
    long WarmupRequests,
    bool Exhausted,
    IReadOnlyList<string> FailureSamples,
    ResourceUse WindowUse)
{
    public double RequestsPerSecond => Seconds > 0 ? Successes / Seconds : 0;

    /// <summary>Server CPU time per successful request in the window, in microseconds.</summary>
    public double ServerCpuMicrosPerRequest => Successes > 0 ? WindowUse.Server.TotalMicroseconds / Successes : double.NaN;

    /// <summary>Load generator (this process) CPU time per successful request in the window, in microseconds.</summary>
    public double ClientCpuMicrosPerRequest => Successes > 0 ? WindowUse.Client.TotalMicroseconds / Successes : double.NaN;

    /// <summary>Bytes the server wrote to files (its database, journals, logs) per successful request in the window.</summary>
    public double DatabaseCpuMicrosPerRequest => Successes > 0 ? WindowUse.Database.TotalMicroseconds / Successes : double.NaN;

    public double ServerFileBytesPerRequest => Successes > 0 ? WindowUse.ServerFileBytes / (double)Successes : double.NaN;
}

/// <summary>
/// CPU time used by the server process and by the bench (the load generator), and the bytes the server passed to
/// write calls on files. Unlike CPU time, the bytes do not depend on how busy the machine is.
/// </summary>
/// <remarks><see cref="Database"/> is the PostgreSQL server's CPU time, where the scaling benchmark can read it.</remarks>
internal readonly record struct ResourceUse(TimeSpan Server, TimeSpan Client, long ServerFileBytes = 0, TimeSpan Database = default)
{
    public static ResourceUse operator -(ResourceUse a, ResourceUse b) =>
        new(a.Server - b.Server, a.Client - b.Client, a.ServerFileBytes - b.ServerFileBytes, a.Database - b.Database);
}

/// <summary>
/// The in-process load generator: <c>connections</c> loops, each sending its next request as soon as the previous one
/// answered (closed loop), over one HttpClient that keeps at most <c>connections</c> HTTP/1.1 connections. Any
/// non-2xx answer or transport error is a failure; failures are counted in the warm-up too.
/// </summary>
internal sealed class LoadGenerator : IDisposable
{
    private readonly HttpClient _client;
    private readonly int _connections;

    public LoadGenerator(int connections, Func<System.Security.Cryptography.X509Certificates.X509Certificate2?, bool> trusted)
    {
        _connections = connections;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.None,
                // The servers' self-signed certificates, and only those.
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None
                    || trusted(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2),
            },
        };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client => _client;

    /// <summary>
    /// Runs the loops for <paramref name="warmup"/> (not counted) and then <paramref name="duration"/> (counted), or until
    /// <paramref name="source"/> runs dry. <paramref name="sampleCpu"/> is read at the start and end of the timed window.
    /// </summary>
    public async Task<PhaseResult> RunAsync(
        string name, IRequestSource source, TimeSpan warmup, TimeSpan duration, Func<ResourceUse> sampleCpu)
    {
        var start = Stopwatch.GetTimestamp();
        var windowStart = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = new Task<LoopStats>[_connections];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(() => LoopAsync(source, windowStart, windowEnd));
        }

        var loops = Task.WhenAll(tasks);
        var windowCpu = await SampleWindowUseAsync(windowStart, windowEnd, sampleCpu, loops);
        var stats = await loops;
        var successes = stats.Sum(s => s.Successes);
        var exhausted = stats.Any(s => s.Exhausted);
        var lastCompletion = stats.Max(s => s.LastCompletion);
        // A pool that ran dry ends the window early: the rate is over the time the requests actually took.
        var endOfWindow = exhausted && lastCompletion < windowEnd ? Math.Max(lastCompletion, windowStart) : windowEnd;
        var seconds = (endOfWindow - windowStart) / (double)Stopwatch.Frequency;
        var latencies = stats.SelectMany(s => s.Latencies).ToArray();
        Array.Sort(latencies);
        return new PhaseResult(
            name,
            successes,
            stats.Sum(s => s.Failures),
            seconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            successes == 0 ? 0 : stats.Sum(s => s.BodyBytes) / (double)successes,
            stats.Sum(s => s.WarmupRequests),
            exhausted,
            [.. stats.SelectMany(s => s.FailureSamples).Distinct().Take(5)],
            windowCpu);
    }

    public void Dispose() => _client.Dispose();

    private async Task<LoopStats> LoopAsync(IRequestSource source, long windowStart, long windowEnd)
    {
        var stats = new LoopStats();
        var buffer = new byte[16 * 1024];
        while (Stopwatch.GetTimestamp() < windowEnd)
        {
            var template = source.Next();
            if (template is null)
            {
                stats.Exhausted = true;
                break;
            }

            string? failure = null;
            long bodyBytes = 0;
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var request = template.Create();
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await using var body = await response.Content.ReadAsStreamAsync();
                int read;
                while ((read = await body.ReadAsync(buffer.AsMemory((int)Math.Min(bodyBytes, buffer.Length / 2)))) > 0)
                {
                    bodyBytes += read;
                }

                if (!response.IsSuccessStatusCode)
                {
                    var shown = (int)Math.Min(bodyBytes, buffer.Length / 2);
                    failure = $"HTTP {(int)response.StatusCode} {template.Uri.AbsolutePath}: {Encoding.UTF8.GetString(buffer, 0, Math.Min(shown, 300))}";
                }
            }
            catch (HttpRequestException e)
            {
                failure = $"{e.GetType().Name}: {e.Message}";
            }
            catch (IOException e)
            {
                failure = $"{e.GetType().Name}: {e.Message}";
            }

            var done = Stopwatch.GetTimestamp();
            if (failure is not null)
            {
                stats.Failures++;
                if (stats.FailureSamples.Count < 5)
                {
                    stats.FailureSamples.Add(failure);
                }
            }

            if (done < windowStart)
            {
                stats.WarmupRequests++;
                continue;
            }

            if (done > windowEnd)
            {
                break;
            }

            stats.LastCompletion = done;
            if (failure is null)
            {
                stats.Successes++;
                stats.BodyBytes += bodyBytes;
                stats.Latencies.Add(done - sent);
            }
        }

        return stats;
    }

    private static async Task<ResourceUse> SampleWindowUseAsync(long windowStart, long windowEnd, Func<ResourceUse> sampleCpu, Task loops)
    {
        await Task.WhenAny(DelayUntilAsync(windowStart), loops);
        var first = sampleCpu();
        await Task.WhenAny(DelayUntilAsync(windowEnd), loops);
        return sampleCpu() - first;
    }

    private static async Task DelayUntilAsync(long timestamp)
    {
        var remaining = (timestamp - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency;
        if (remaining > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(remaining));
        }
    }

    /// <summary>The <paramref name="quantile"/> of sorted Stopwatch tick counts, in milliseconds.</summary>
    internal static double Percentile(long[] sortedTicks, double quantile)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }

        var index = (int)Math.Ceiling(quantile * sortedTicks.Length) - 1;
        return sortedTicks[Math.Clamp(index, 0, sortedTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    private sealed class LoopStats
    {
        public long Successes { get; set; }

        public long Failures { get; set; }

        public long WarmupRequests { get; set; }

        public long BodyBytes { get; set; }

        public long LastCompletion { get; set; }

        public bool Exhausted { get; set; }

        public List<long> Latencies { get; } = new(4096);

        public List<string> FailureSamples { get; } = [];
    }
}
