using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tillpoint.Server.Tests.Support;

/// <summary>One POST the receiver got, and how it answered (<see cref="IpnReceiver.Hang"/> for no answer).</summary>
public sealed record ReceivedIpn(string Method, string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Body, int Answer);

/// <summary>
/// A merchant's IPN endpoint for tests: a real Kestrel server on 127.0.0.1 that records every request and answers each
/// with the next scripted answer (an HTTP status, or <see cref="Hang"/>: no answer until the caller gives up), then 200.
/// </summary>
public sealed class IpnReceiver : IAsyncDisposable
{
    /// <summary>Never answer: the sender's timeout ends the request.</summary>
    public const int Hang = -1;

    /// <summary>How long a test waits for a notification before failing: far longer than any delivery takes.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script = new();
    private readonly Channel<ReceivedIpn> _arrivals = Channel.CreateUnbounded<ReceivedIpn>();
    private readonly ConcurrentQueue<ReceivedIpn> _all = new();
    private readonly CancellationTokenSource _stopping = new();

    private IpnReceiver(WebApplication app) => _app = app;

    /// <summary>The endpoint URL to configure: plain HTTP on loopback, which Tillpoint allows.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Everything received so far, in order of arrival.</summary>
    public IReadOnlyList<ReceivedIpn> Received => [.. _all];

    public static async Task<IpnReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new IpnReceiver(app);
        app.MapPost("/ipn", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = $"{address}/ipn";
        return receiver;
    }

    /// <summary>Answers for the next calls, in order; once they are used up, every call gets 200.</summary>
    public void Script(params int[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    /// <summary>The next request to arrive (whatever it was answered), or a failure after <see cref="WaitLimit"/>.</summary>
    public async Task<ReceivedIpn> NextAsync()
    {
        using var limit = new CancellationTokenSource(WaitLimit);
        try
        {
            return await _arrivals.Reader.ReadAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException(
                $"The receiver got no further notification within {WaitLimit.TotalSeconds} s; it had answered [{string.Join(", ", _all.Select(r => r.Answer))}].");
        }
    }

    /// <summary>The next <paramref name="count"/> requests.</summary>
    public async Task<List<ReceivedIpn>> NextAsync(int count)
    {
        var received = new List<ReceivedIpn>();
        for (var i = 0; i < count; i++)
        {
            received.Add(await NextAsync());
        }

        return received;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var answer = _script.TryDequeue(out var scripted) ? scripted : 200;
        var received = new ReceivedIpn(
            context.Request.Method,
            context.Request.Path,
            context.Request.ContentType,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            answer);
        _all.Enqueue(received);
        _arrivals.Writer.TryWrite(received);
        if (answer == Hang)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, linked.Token);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up (its timeout), or the test is over.
            }

            return;
        }

        context.Response.StatusCode = answer;
        await context.Response.WriteAsync(answer is >= 200 and < 300 ? "ok" : $"scripted failure {answer}");
    }
}
