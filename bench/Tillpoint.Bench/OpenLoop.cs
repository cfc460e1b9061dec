using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace Tillpoint.Bench;

/// <summary>
/// What an open-loop phase measured over the requests scheduled inside its timed window. Latencies are from each
/// request's scheduled send time, so a stall also counts against the requests that should have been sent during it.
/// </summary>
internal sealed record OpenLoopResult(
    string Name,
    double TargetRate,
    long Scheduled,
    long Successes,
    long Failures,
    double Seconds,
    double P50Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    double SendLagP99Ms,
    int MostInFlight,
    IReadOnlyList<string> FailureSamples,
    ResourceUse WindowUse)
{
    /// <summary>Successful requests per second, over the time from the window's start to its last answer.</summary>
    public double AchievedRate => Seconds > 0 ? Successes / Seconds : 0;

    public double ServerCpuMicrosPerRequest => Successes > 0 ? WindowUse.Server.TotalMicroseconds / Successes : double.NaN;
}

/// <summary>
/// Open-loop load: requests are sent at a fixed mean rate with Poisson arrivals (exponential gaps drawn from a seeded
/// generator), whether or not earlier ones have been answered, over the load generator's HttpClient (at most
/// <c>--connections</c> connections; a request that finds them all busy waits in the client, and that wait counts).
/// Each latency runs from the request's scheduled send time, not the moment it was actually sent, so a stalled server
/// cannot hide its stall by slowing the sender down (coordinated omission). How late the sender itself was is reported
/// as the send lag.
/// </summary>
internal static partial class OpenLoop
{
    /// <summary>A request that has not been answered this long after its scheduled time is a failure.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends requests from <paramref name="source"/> at <paramref name="rate"/> per second on average for
    /// <paramref name="warmup"/> (not counted) and then <paramref name="duration"/>, and waits for every answer (each
    /// for at most 10 s). The number of requests is fixed by the seeded schedule before the first is sent.
    /// </summary>
    public static async Task<OpenLoopResult> RunAsync(
        string name, HttpClient client, IRequestSource source, double rate, TimeSpan warmup, TimeSpan duration, int seed, Func<ResourceUse> sampleCpu)
    {
        // The bench holds every pre-signed request, so a blocking gen2 collection of its own would pause the sender for
        // tens of milliseconds and show as the server's latency; workstation GC's low-latency mode defers them.
        var latencyMode = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.LowLatency;
        try
        {
            return await RunPhaseAsync(name, client, source, rate, warmup, duration, seed, sampleCpu);
        }
        finally
        {
            GCSettings.LatencyMode = latencyMode;
        }
    }

    private static async Task<OpenLoopResult> RunPhaseAsync(
        string name, HttpClient client, IRequestSource source, double rate, TimeSpan warmup, TimeSpan duration, int seed, Func<ResourceUse> sampleCpu)
    {
        var schedule = PoissonSchedule(rate, warmup + duration, seed);
        var firstTimed = Array.FindIndex(schedule, offset => offset >= TicksOf(warmup));
        firstTimed = firstTimed < 0 ? schedule.Length : firstTimed;
        var latencies = new long[schedule.Length];
        var lags = new long[schedule.Length];
        var failures = new string?[schedule.Length];
        var pending = new Task[schedule.Length];
        var inFlight = 0;
        var mostInFlight = 0;

        // A thread of its own that sleeps until each request's time (to the microsecond, where the platform allows),
        // rather than a timer with millisecond steps that would send requests in bursts and add its own lag.
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10);
        ResourceUse windowStartUse = default;
        var dispatcher = new Thread(() =>
        {
            for (var i = 0; i < schedule.Length; i++)
            {
                if (i == firstTimed)
                {
                    windowStartUse = sampleCpu();
                }

                var due = start + schedule[i];
                SleepUntil(due);
                var template = source.Next();
                if (template is null)
                {
                    failures[i] = "the pool of pre-signed requests ran dry";
                    pending[i] = Task.CompletedTask;
                    continue;
                }

                lags[i] = Stopwatch.GetTimestamp() - due;
                var now = Interlocked.Increment(ref inFlight);
                if (now > mostInFlight)
                {
                    mostInFlight = now;
                }

                pending[i] = SendAsync(client, template, due, i, latencies, failures, () => Interlocked.Decrement(ref inFlight));
            }
        })
        {
            IsBackground = true,
            Name = "open-loop sender",
            Priority = ThreadPriority.AboveNormal,
        };
        dispatcher.Start();
        await Task.Run(dispatcher.Join);
        if (firstTimed >= schedule.Length)
        {
            windowStartUse = sampleCpu();
        }

        await Task.WhenAll(pending);
        var windowUse = sampleCpu() - windowStartUse;

        var timed = firstTimed..;
        var ok = new List<long>(schedule.Length - firstTimed);
        long failed = 0, lastAnswer = 0;
        for (var i = firstTimed; i < schedule.Length; i++)
        {
            if (failures[i] is null)
            {
                ok.Add(latencies[i]);
                lastAnswer = Math.Max(lastAnswer, schedule[i] + latencies[i]);
            }
            else
            {
                failed++;
            }
        }

        var sorted = ok.ToArray();
        Array.Sort(sorted);
        var lagSorted = lags[timed];
        Array.Sort(lagSorted);
        var seconds = Math.Max(lastAnswer - TicksOf(warmup), 1) / (double)Stopwatch.Frequency;
        return new OpenLoopResult(
            name,
            rate,
            schedule.Length - firstTimed,
            sorted.Length,
            failed,
            seconds,
            LoadGenerator.Percentile(sorted, 0.50),
            LoadGenerator.Percentile(sorted, 0.99),
            LoadGenerator.Percentile(sorted, 0.999),
            sorted.Length == 0 ? double.NaN : Milliseconds(sorted[^1]),
            LoadGenerator.Percentile(lagSorted, 0.99),
            mostInFlight,
            [.. failures.Where(f => f is not null).Select(f => f!).Distinct().Take(5)],
            windowUse);
    }

    /// <summary>
    /// Offsets (Stopwatch ticks from the start) of Poisson arrivals at <paramref name="rate"/> per second within
    /// <paramref name="span"/>: exponential gaps from a generator seeded with <paramref name="seed"/>, so every run sends
    /// the same pattern.
    /// </summary>
    internal static long[] PoissonSchedule(double rate, TimeSpan span, int seed)
    {
        var random = new Random(seed);
        var end = TicksOf(span);
        var offsets = new List<long>((int)Math.Min(int.MaxValue / 2, (rate * span.TotalSeconds * 1.1) + 16));
        var t = 0.0;
        while (true)
        {
            // 1 - NextDouble() is in (0, 1]: the logarithm is finite.
            t += -Math.Log(1.0 - random.NextDouble()) / rate * Stopwatch.Frequency;
            if (t >= end)
            {
                return [.. offsets];
            }

            offsets.Add((long)t);
        }
    }

    /// <summary>How the sender waits for each request's time, for the progress output.</summary>
    public static string SenderClock => MonotonicClock.Available
        ? "the sender sleeps with clock_nanosleep until each request's time"
        : "the sender sleeps in whole milliseconds (no clock_nanosleep here): expect a millisecond of sender lag";

    /// <summary>How many requests a phase of <paramref name="span"/> at <paramref name="rate"/> sends with this seed.</summary>
    internal static int CountOf(double rate, TimeSpan span, int seed) => PoissonSchedule(rate, span, seed).Length;

    private static async Task SendAsync(
        HttpClient client, RequestTemplate template, long due, int index, long[] latencies, string?[] failures, Func<int> done)
    {
        // Off the sender thread at once: it must be back in time for the next request.
        await Task.Yield();
        var buffer = new byte[4096];
        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            using var request = template.Create();
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var shown = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(shown), timeout.Token)) > 0)
            {
                shown = Math.Min(shown + read, buffer.Length / 2);
            }

            if (!response.IsSuccessStatusCode)
            {
                failures[index] = $"HTTP {(int)response.StatusCode} {template.Uri.AbsolutePath}: {Encoding.UTF8.GetString(buffer, 0, Math.Min(shown, 300))}";
            }
        }
        catch (OperationCanceledException)
        {
            failures[index] = $"no answer within {RequestTimeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException e)
        {
            failures[index] = $"{e.GetType().Name}: {e.Message}";
        }
        catch (IOException e)
        {
            failures[index] = $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            latencies[index] = Stopwatch.GetTimestamp() - due;
            done();
        }
    }

    private static void SleepUntil(long due)
    {
        while (true)
        {
            var left = due - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return;
            }

            if (MonotonicClock.Available)
            {
                MonotonicClock.SleepUntil(due);
                return;
            }

            // Elsewhere: whole milliseconds, then yield for the rest.
            if (left > Stopwatch.Frequency / 500)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    private static long TicksOf(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>
    /// On Linux, Stopwatch reads CLOCK_MONOTONIC in nanoseconds, so the sender can sleep until an exact Stopwatch
    /// timestamp with clock_nanosleep (accurate to the kernel's timer slack, about 50 µs) instead of whole milliseconds.
    /// </summary>
    private static partial class MonotonicClock
    {
        private const int ClockMonotonic = 1;
        private const int AbsoluteTime = 1;

        public static bool Available { get; } =
            OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000 && Matches();

        public static void SleepUntil(long timestamp)
        {
            var until = new Timespec { Seconds = timestamp / 1_000_000_000, Nanoseconds = timestamp % 1_000_000_000 };
            // EINTR (a signal) wakes it early; the caller's loop sleeps again.
            _ = ClockNanosleep(ClockMonotonic, AbsoluteTime, in until, IntPtr.Zero);
        }

        /// <summary>The two clocks agree to within a millisecond (the assumption above holds on this runtime).</summary>
        private static bool Matches()
        {
            try
            {
                if (ClockGettime(ClockMonotonic, out var now) != 0)
                {
                    return false;
                }

                var difference = Stopwatch.GetTimestamp() - ((now.Seconds * 1_000_000_000) + now.Nanoseconds);
                return Math.Abs(difference) < 1_000_000;
            }
            catch (DllNotFoundException)
            {
                return false;
            }
            catch (EntryPointNotFoundException)
            {
                return false;
            }
        }

        [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
        private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remain);

        [LibraryImport("libc", EntryPoint = "clock_gettime")]
        private static partial int ClockGettime(int clock, out Timespec time);

        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }
    }
}
