namespace Tillpoint.Protocol.Signing;

/// <summary>Parses <c>x-amz-pay-date</c> header values (spec §2.7).</summary>
public static class AmazonPayDate
{
    private const int BasicLength = 16;    // yyyyMMddTHHmmssZ
    private const int ExtendedLength = 20; // yyyy-MM-ddTHH:mm:ssZ (Node SDK)

    /// <summary>
    /// Parses exactly <c>yyyyMMddTHHmmssZ</c> or <c>yyyy-MM-ddTHH:mm:ssZ</c> (UTC, ASCII digits, no surrounding
    /// whitespace, no fractional seconds, no leap second).
    /// </summary>
    /// <param name="value">The header value.</param>
    /// <param name="time">The parsed instant with offset zero, or the default value when parsing fails.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is a valid date in one of the two formats.</returns>
    public static bool TryParse(string value, out DateTimeOffset time)
    {
        time = default;
        // A null value becomes an empty span, which has neither length.
        ReadOnlySpan<char> s = value;
        int year, month, day, hour, minute, second;
        if (s.Length == BasicLength)
        {
            if (s[8] != 'T' || s[15] != 'Z')
            {
                return false;
            }

            if (!TryDigits(s[0..4], out year) || !TryDigits(s[4..6], out month) || !TryDigits(s[6..8], out day)
                || !TryDigits(s[9..11], out hour) || !TryDigits(s[11..13], out minute) || !TryDigits(s[13..15], out second))
            {
                return false;
            }
        }
        else if (s.Length == ExtendedLength)
        {
            if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
            {
                return false;
            }

            if (!TryDigits(s[0..4], out year) || !TryDigits(s[5..7], out month) || !TryDigits(s[8..10], out day)
                || !TryDigits(s[11..13], out hour) || !TryDigits(s[14..16], out minute) || !TryDigits(s[17..19], out second))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        // Range-check by hand so that no exception is thrown for hostile input on the request path.
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        time = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            // char.IsDigit would accept non-ASCII digits; the wire format is ASCII only.
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
