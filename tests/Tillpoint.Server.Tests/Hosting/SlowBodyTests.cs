using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tillpoint.Server.Tests.Support;
using static Tillpoint.Server.Tests.Support.RawBytes;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>
/// A request body that arrives too slowly, or whose framing breaks off, is the client's mistake: it is answered 408 or
/// 400 in the API's error format and logged as a refusal (Information), never as a 500 with an Error and a stack trace.
/// </summary>
public sealed class SlowBodyTests
{
    [Theory]
    [InlineData("a body trickling in below Kestrel's minimum data rate", "slow", 408)]
    [InlineData("a chunked body whose framing breaks off", "broken-chunks", 400)]
    public async Task ApiRequest_WithABadBody_IsAClientError_InTheApisFormat_LoggedAsARefusal(string why, string kind, int status)
    {
        await using var host = await TillpointHost.StartAsync();
        var log = new CapturedLog();
        host.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        await using var connection = await RawHttpConnection.OpenAsync(host.HttpBase);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var answer = connection.ReadResponseAsync(cancellationToken: timeout.Token);
        await SendAsync(connection, kind, answer, timeout.Token);
        var response = await answer;

        Assert.True(response is not null, $"{why}: no answer");
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Headers["content-type"]);
        Assert.True(response.Headers.ContainsKey("x-amz-pay-request-id"), $"{why}: no request id");
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("InvalidRequest", body.RootElement.GetProperty("reasonCode").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("message").GetString()));
        var entries = log.Entries.ToList();
        Assert.Contains(entries, e => e.Level == LogLevel.Information && e.Message.Contains($"refused with {status}", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error || e.Exception is not null);
    }

    private static async Task SendAsync(RawHttpConnection connection, string kind, Task<RawResponse?> answer, CancellationToken cancellationToken)
    {
        const string Head = "POST /v2/checkoutSessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        switch (kind)
        {
            case "slow":
                // Two bytes a second, far below 240 a second: Kestrel gives up on it once its 5 s grace has passed.
                await connection.SendAsync(Ascii(Head + "Content-Length: 1000\r\n\r\n{\"a\":\""), cancellationToken);
                while (!answer.IsCompleted && await connection.SendAsync(Ascii("x"), cancellationToken))
                {
                    await Task.WhenAny(answer, Task.Delay(500, cancellationToken));
                }

                break;
            case "broken-chunks":
                await connection.SendAsync(Ascii(Head + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\nzz\r\n"), cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>Every log entry the server writes from the moment it is added, with its level and exception.</summary>
    private sealed class CapturedLog : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Entries.Enqueue((logLevel, category, formatter(state, exception), exception));
        }
    }
}
