using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Tillpoint.Server.Hosting;

/// <summary>How <c>tillpoint serve</c> writes its log.</summary>
public enum LogFormat
{
    /// <summary>One readable line per event: time, level, short category, message. For a person at a terminal.</summary>
    Text,

    /// <summary>One JSON object per line, with the full exception. For a log collector.</summary>
    Json,
}

/// <summary>The server's log: JSON for machines, one readable line per event for people.</summary>
internal static class ServerLogs
{
    /// <summary>ISO 8601 in UTC with milliseconds, e.g. <c>2026-12-07T03:16:51.670Z</c>.</summary>
    public const string JsonTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static void AddServerLogs(this ILoggingBuilder logging, LogFormat format)
    {
        // "Application started", the hosting environment, the content root (the binary's folder) and "Application is
        // shutting down": noise around what matters ("Now listening on", a start that failed), and the last one would
        // follow even a start that failed.
        logging.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        logging.ClearProviders();
        switch (format)
        {
            case LogFormat.Json:
                logging.AddJsonConsole(json =>
                {
                    json.IncludeScopes = true;
                    json.TimestampFormat = JsonTimestampFormat;
                    json.UseUtcTimestamp = true;
                });
                break;
            case LogFormat.Text:
                logging.AddConsole(console => console.FormatterName = TextLogFormatter.Name)
                    .AddConsoleFormatter<TextLogFormatter, ConsoleFormatterOptions>();
                break;
        }

        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The data-protection keys (anti-forgery, buyer cookie) are kept unencrypted in the data folder on purpose.
        logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // The host logs a start that failed ("Hosting failed to start", with the stack trace) before the exception reaches
        // serve, which says what failed in one line; a background service that fails later is still logged (Critical).
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }
}

/// <summary>
/// <c>12:03:51.670 info Lifetime: Now listening on: http://127.0.0.1:8080</c>. An exception is summed up on the same line
/// (its type and message, and those of its inner exceptions); the stack trace is in the JSON format.
/// </summary>
internal sealed class TextLogFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "tillpoint-text";

    /// <summary>The level in colour: only on a terminal, and never under NO_COLOR or TERM=dumb.</summary>
    internal bool Colours { get; init; } = !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("NO_COLOR") is null or ""
        && Environment.GetEnvironmentVariable("TERM") is not "dumb";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        // The wall clock's local time: a person at a terminal reads it against their own clock.
        textWriter.Write(TimeProvider.System.GetLocalNow().ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(' ');
        var (level, colour) = logEntry.LogLevel switch
        {
            LogLevel.Trace => ("trce", null),
            LogLevel.Debug => ("dbug", null),
            LogLevel.Information => ("info", null),
            LogLevel.Warning => ("warn", "\u001b[33m"),
            LogLevel.Error => ("fail", "\u001b[31m"),
            LogLevel.Critical => ("crit", "\u001b[1;31m"),
            LogLevel.None => ("none", null),
        };
        textWriter.Write(Colours && colour is not null ? $"{colour}{level}\u001b[0m" : level);
        textWriter.Write(' ');
        textWriter.Write(ShortCategory(logEntry.Category));
        textWriter.Write(": ");
        textWriter.Write(OneLine(message));
        for (var exception = logEntry.Exception; exception is not null; exception = exception.InnerException)
        {
            textWriter.Write(exception == logEntry.Exception ? " (" : " <- ");
            textWriter.Write(exception.GetType().Name);
            textWriter.Write(": ");
            textWriter.Write(OneLine(exception.Message));
            if (exception.InnerException is null)
            {
                textWriter.Write(')');
            }
        }

        textWriter.Write('\n');
    }

    /// <summary>"Microsoft.Hosting.Lifetime" is "Lifetime", "Tillpoint.Server.Ipn.IpnDispatcher" is "IpnDispatcher".</summary>
    internal static string ShortCategory(string category) => category[(category.LastIndexOf('.') + 1)..];

    private static string OneLine(string? text) =>
        text is null ? string.Empty : text.ReplaceLineEndings(" ");
}
