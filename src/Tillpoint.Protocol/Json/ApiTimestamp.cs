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

    /// <summary>Parses the API's timestamp format.</summary>
    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(
            // The literal Z already says UTC; the styles matter only where the local zone is not UTC.
            text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
