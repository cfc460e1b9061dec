using System.Globalization;

namespace Tillpoint.Protocol.Json;

/// <summary>The API's timestamp format, <c>yyyyMMddTHHmmssZ</c> in UTC; the .NET SDK parses nothing else.</summary>
public static class ApiTimestamp
{
    private const string Format = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Formats a time in UTC, without fractions.</summary>
    public static string ToText(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Formats a time, or null.</summary>
    public static string? ToText(DateTimeOffset? time) => time is { } t ? ToText(t) : null;

    /// <summary>
    /// Parses a time a client sent in a query or a report request: the API's basic format (what the SDKs send), extended
    /// ISO 8601 with an optional fraction and a Z or an offset, or the hyphenated time of the reference's own samples
    /// (<c>2022-08-04T00-00-00Z</c>).
    /// </summary>
    public static bool TryParseIso8601(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(
            text, Iso8601Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static readonly string[] Iso8601Formats =
    [
        Format, "yyyyMMdd'T'HHmmss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH-mm-ss'Z'",
    ];

    /// <summary>Parses the API's timestamp format.</summary>
    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(
            // The literal Z already says UTC; the styles matter only where the local zone is not UTC.
            text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
