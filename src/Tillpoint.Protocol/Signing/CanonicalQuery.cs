using System.Text;

namespace Tillpoint.Protocol.Signing;

/// <summary>
/// The canonical query string of spec §2.2: parameters percent-decoded, RFC 3986-encoded again, sorted by encoded name
/// then encoded value (ordinal) and joined as <c>name=value</c> with <c>&amp;</c>.
/// </summary>
internal static class CanonicalQuery
{
    private const int MaxStackBytes = 1024;

    private static ReadOnlySpan<char> UpperHex => "0123456789ABCDEF";

    /// <summary>Appends the canonical form of a raw query (still percent-encoded, without the leading <c>?</c>).</summary>
    public static void AppendRaw(StringBuilder sb, ReadOnlySpan<char> rawQuery)
    {
        // Most requests have no query: skip the list.
        if (rawQuery.IsEmpty)
        {
            return;
        }

        var parameters = new List<QueryParameter>();
        var remaining = rawQuery;
        while (true)
        {
            var ampersand = remaining.IndexOf('&');
            var segment = ampersand < 0 ? remaining : remaining[..ampersand];
            if (!segment.IsEmpty)
            {
                var equals = segment.IndexOf('=');
                var name = equals < 0 ? segment : segment[..equals];
                var value = equals < 0 ? [] : segment[(equals + 1)..];
                parameters.Add(new QueryParameter(ReencodeRaw(name), ReencodeRaw(value)));
            }

            if (ampersand < 0)
            {
                break;
            }

            remaining = remaining[(ampersand + 1)..];
        }

        AppendSorted(sb, parameters);
    }

    /// <summary>Encodes already-decoded pairs; a <see langword="null"/> value counts as empty.</summary>
    /// <exception cref="ArgumentException">A pair has a <see langword="null"/> name.</exception>
    public static List<QueryParameter> EncodeDecoded(IEnumerable<KeyValuePair<string, string>> decodedPairs, string parameterName)
    {
        var parameters = new List<QueryParameter>();
        foreach (var pair in decodedPairs)
        {
            if (pair.Key is null)
            {
                throw new ArgumentException("A query parameter name is null.", parameterName);
            }

            parameters.Add(new QueryParameter(EncodeDecoded(pair.Key), EncodeDecoded(pair.Value ?? string.Empty)));
        }

        return parameters;
    }

    public static void AppendSorted(StringBuilder sb, List<QueryParameter> parameters)
    {
        parameters.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });

        for (var i = 0; i < parameters.Count; i++)
        {
            if (i > 0)
            {
                sb.Append('&');
            }

            sb.Append(parameters[i].Name).Append('=').Append(parameters[i].Value);
        }
    }

    // Raw (still percent-encoded) name or value -> decode -> RFC 3986 encode.
    private static string ReencodeRaw(ReadOnlySpan<char> raw)
    {
        // A fast path: encoding an all-unreserved text gives it back unchanged.
        if (IsAllUnreserved(raw))
        {
            return raw.ToString();
        }

        // Escapes are ASCII, so decoding can run in place over the UTF-8 bytes of the raw text.
        using var utf8 = new Utf8Scratch(raw, stackalloc byte[MaxStackBytes]);
        return PercentEncode(utf8.Bytes[..PercentDecodeInPlace(utf8.Bytes)]);
    }

    private static string EncodeDecoded(string decoded)
    {
        // A fast path, as in ReencodeRaw.
        if (IsAllUnreserved(decoded))
        {
            return decoded;
        }

        using var utf8 = new Utf8Scratch(decoded, stackalloc byte[MaxStackBytes]);
        return PercentEncode(utf8.Bytes);
    }

    private static int PercentDecodeInPlace(Span<byte> bytes)
    {
        var write = 0;
        for (var read = 0; read < bytes.Length; read++)
        {
            var b = bytes[read];
            if (b == (byte)'%' && read + 2 < bytes.Length && HexValue(bytes[read + 1]) is var hi and >= 0 && HexValue(bytes[read + 2]) is var lo and >= 0)
            {
                bytes[write++] = (byte)((hi << 4) | lo);
                read += 2;
            }
            else
            {
                bytes[write++] = b;
            }
        }

        return write;
    }

    private static string PercentEncode(ReadOnlySpan<byte> bytes)
    {
        var length = 0;
        foreach (var b in bytes)
        {
            length += IsUnreserved(b) ? 1 : 3;
        }

        // Stack or heap only decides where the characters are built.
        Span<char> chars = length <= MaxStackBytes ? stackalloc char[length] : new char[length];
        var i = 0;
        foreach (var b in bytes)
        {
            if (IsUnreserved(b))
            {
                chars[i++] = (char)b;
            }
            else
            {
                chars[i++] = '%';
                chars[i++] = UpperHex[b >> 4]; // a byte: >> and >>> agree
                chars[i++] = UpperHex[b & 0xF];
            }
        }

        return new string(chars);
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => -1,
    };

    private static bool IsAllUnreserved(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            // Non-ASCII first, so that the cast cannot wrap onto an unreserved byte (DEL is reserved either way).
            if (c > 0x7F || !IsUnreserved((byte)c))
            {
                return false;
            }
        }

        return true;
    }

    // RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
    private static bool IsUnreserved(byte b) =>
        b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';

    internal readonly record struct QueryParameter(string Name, string Value);
}
