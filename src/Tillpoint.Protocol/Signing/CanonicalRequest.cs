using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Tillpoint.Protocol.Signing;

/// <summary>The outcome of <see cref="CanonicalRequest.Build"/>.</summary>
/// <param name="CanonicalRequest">The canonical request, or <see langword="null"/> when a declared header is absent.</param>
/// <param name="MissingHeader">The lower-case name of the first declared header that is absent, otherwise <see langword="null"/>.</param>
public readonly record struct CanonicalRequestResult(string? CanonicalRequest, string? MissingHeader);

/// <summary>Builds the canonical request and string-to-sign of spec §2.2 and §2.3.</summary>
public static class CanonicalRequest
{
    private const int MaxStackBytes = 1024;

    // A typical canonical request is ~400 chars, whose worst-case UTF-8 bound is ~1.2 KB; keep it off the pool.
    private const int MaxStackHashInputBytes = 4096;

    // Names every SDK signs. Matching them avoids allocating a lower-cased copy per header per request.
    private static readonly string[] KnownHeaderNames =
    [
        "accept",
        "content-type",
        "x-amz-pay-date",
        "x-amz-pay-host",
        "x-amz-pay-region",
        "x-amz-pay-idempotency-key",
        "user-agent",
        "x-amz-pay-authtoken",
        "x-amz-pay-simulation-code",
    ];

    [ThreadStatic]
    private static StringBuilder? t_cachedBuilder;

    /// <summary>
    /// Builds the canonical request:
    /// <c>METHOD\nrawPath\ncanonicalQuery\n</c>, one <c>name:value\n</c> line per declared header, an empty line,
    /// the declared SignedHeaders verbatim, <c>\n</c>, and the lower-case hex SHA-256 of <paramref name="body"/>.
    /// </summary>
    /// <param name="method">The HTTP method; written upper-case.</param>
    /// <param name="rawPath">The request path exactly as received (percent-encoding and trailing slash kept).</param>
    /// <param name="rawQuery">The raw query string without the leading <c>?</c>, or <see langword="null"/>/empty.</param>
    /// <param name="signedHeaders">The SignedHeaders value as declared (<c>;</c>-separated); written verbatim.</param>
    /// <param name="headerValue">Looks up a received header by lower-case name; returns <see langword="null"/> when absent.</param>
    /// <param name="body">The exact body bytes (empty when there is no body).</param>
    /// <returns>The canonical request, or the name of the first declared header that was not received.</returns>
    /// <exception cref="ArgumentException"><paramref name="method"/> or <paramref name="rawPath"/> is null or empty.</exception>
    public static CanonicalRequestResult Build(string method, string rawPath, string? rawQuery, string signedHeaders,
        Func<string, string?> headerValue, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(rawPath);
        ArgumentNullException.ThrowIfNull(signedHeaders);
        ArgumentNullException.ThrowIfNull(headerValue);

        var sb = AcquireBuilder();
        AppendUpperAscii(sb, method);
        sb.Append('\n').Append(rawPath).Append('\n');
        if (!string.IsNullOrEmpty(rawQuery))
        {
            AppendCanonicalQuery(sb, rawQuery);
        }

        sb.Append('\n');

        var remaining = signedHeaders.AsSpan();
        while (true)
        {
            var semicolon = remaining.IndexOf(';');
            var declared = semicolon < 0 ? remaining : remaining[..semicolon];
            var name = LowerCaseName(declared);

            // An empty name (e.g. "a;;b") can never be a received header; do not ask the lookup about it.
            var value = name.Length == 0 ? null : headerValue(name);
            if (value is null)
            {
                ReleaseBuilder(sb);
                return new CanonicalRequestResult(null, name);
            }

            sb.Append(name).Append(':');
            AppendNormalizedValue(sb, value);
            sb.Append('\n');
            if (semicolon < 0)
            {
                break;
            }

            remaining = remaining[(semicolon + 1)..];
        }

        sb.Append('\n').Append(signedHeaders).Append('\n');
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        Convert.TryToHexStringLower(hash, hex, out _);
        sb.Append(hex);

        var result = sb.ToString();
        ReleaseBuilder(sb);
        return new CanonicalRequestResult(result, null);
    }

    /// <summary>
    /// Canonicalises a raw query string: split on <c>&amp;</c>, split each parameter on its first <c>=</c>,
    /// percent-decode name and value (<c>+</c> stays a literal plus), RFC 3986-encode them again, sort by encoded
    /// name then encoded value (ordinal) and join as <c>name=value</c> with <c>&amp;</c>.
    /// </summary>
    /// <param name="rawQuery">The raw query without the leading <c>?</c>, or <see langword="null"/>/empty.</param>
    /// <returns>The canonical query string; empty when there is no query.</returns>
    /// <remarks>Empty parameters (<c>a=1&amp;&amp;b=2</c>) are skipped. A <c>%</c> not followed by two hex digits is taken literally.</remarks>
    public static string CanonicalQueryString(string? rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return string.Empty;
        }

        var sb = AcquireBuilder();
        AppendCanonicalQuery(sb, rawQuery);
        var result = sb.ToString();
        ReleaseBuilder(sb);
        return result;
    }

    /// <summary>Canonicalises already-decoded query parameters (used by signers); same encoding and order as the raw overload.</summary>
    /// <param name="decodedPairs">Decoded name/value pairs in any order; a <see langword="null"/> value counts as empty.</param>
    /// <returns>The canonical query string; empty when there are no pairs.</returns>
    /// <exception cref="ArgumentException">A pair has a <see langword="null"/> name.</exception>
    public static string CanonicalQueryString(IEnumerable<KeyValuePair<string, string>> decodedPairs)
    {
        ArgumentNullException.ThrowIfNull(decodedPairs);

        var parameters = new List<QueryParameter>();
        foreach (var pair in decodedPairs)
        {
            if (pair.Key is null)
            {
                throw new ArgumentException("A query parameter name is null.", nameof(decodedPairs));
            }

            parameters.Add(new QueryParameter(EncodeDecoded(pair.Key), EncodeDecoded(pair.Value ?? string.Empty)));
        }

        if (parameters.Count == 0)
        {
            return string.Empty;
        }

        var sb = AcquireBuilder();
        AppendSorted(sb, parameters);
        var result = sb.ToString();
        ReleaseBuilder(sb);
        return result;
    }

    /// <summary>Returns <c>ALG + "\n" + lowercase-hex(SHA-256(UTF-8(canonicalRequest)))</c> (spec §2.3).</summary>
    /// <param name="algorithm">The algorithm whose name prefixes the string.</param>
    /// <param name="canonicalRequest">The canonical request.</param>
    /// <returns>The string-to-sign.</returns>
    public static string StringToSign(SignatureAlgorithm algorithm, string canonicalRequest)
    {
        ArgumentNullException.ThrowIfNull(canonicalRequest);
        return StringToSignOfText(SignatureAlgorithms.Name(algorithm), canonicalRequest);
    }

    /// <summary>Returns the lower-case hex SHA-256 of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to hash.</param>
    /// <returns>64 lower-case hex characters.</returns>
    public static string HexSha256(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }

    // Shared with ButtonSignature: ALG + "\n" + hex(sha256(utf8(text))).
    internal static string StringToSignOfText(string algorithmName, string text)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> buffer = maxBytes <= MaxStackHashInputBytes ? stackalloc byte[MaxStackHashInputBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            SHA256.HashData(buffer[..written], hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        Convert.TryToHexStringLower(hash, hex, out _);
        return string.Concat(algorithmName, "\n", hex);
    }

    private static void AppendCanonicalQuery(StringBuilder sb, string rawQuery)
    {
        var parameters = new List<QueryParameter>();
        var remaining = rawQuery.AsSpan();
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

    private static void AppendSorted(StringBuilder sb, List<QueryParameter> parameters)
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
        if (raw.IsEmpty)
        {
            return string.Empty;
        }

        if (IsAllUnreserved(raw))
        {
            return raw.ToString();
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(raw.Length);
        byte[]? rented = null;
        Span<byte> buffer = maxBytes <= MaxStackBytes ? stackalloc byte[MaxStackBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            // Escapes are ASCII, so decoding can run in place over the UTF-8 bytes of the raw text.
            var length = Encoding.UTF8.GetBytes(raw, buffer);
            length = PercentDecodeInPlace(buffer[..length]);
            return PercentEncode(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string EncodeDecoded(string decoded)
    {
        if (IsAllUnreserved(decoded))
        {
            return decoded;
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(decoded.Length);
        byte[]? rented = null;
        Span<byte> buffer = maxBytes <= MaxStackBytes ? stackalloc byte[MaxStackBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(decoded, buffer);
            return PercentEncode(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
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
                chars[i++] = UpperHex[b >> 4];
                chars[i++] = UpperHex[b & 0xF];
            }
        }

        return new string(chars);
    }

    private static ReadOnlySpan<char> UpperHex => "0123456789ABCDEF";

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

    // Header names are ASCII tokens; only ASCII letters are folded so that e.g. the Kelvin sign never turns into "k".
    private static string LowerCaseName(ReadOnlySpan<char> declared)
    {
        foreach (var known in KnownHeaderNames)
        {
            if (declared.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        if (declared.IsEmpty)
        {
            return string.Empty;
        }

        return string.Create(declared.Length, declared, static (dest, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                var c = src[i];
                dest[i] = c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;
            }
        });
    }

    private static void AppendUpperAscii(StringBuilder sb, string method)
    {
        foreach (var c in method)
        {
            sb.Append(c is >= 'a' and <= 'z' ? (char)(c - ('a' - 'A')) : c);
        }
    }

    // Trim and collapse inner whitespace runs to one space, as the Java and .NET SDKs do before signing.
    private static void AppendNormalizedValue(StringBuilder sb, string value)
    {
        var span = value.AsSpan().Trim(HeaderWhitespace);
        while (!span.IsEmpty)
        {
            var ws = span.IndexOfAny(HeaderWhitespace);
            if (ws < 0)
            {
                sb.Append(span);
                return;
            }

            sb.Append(span[..ws]).Append(' ');
            span = span[ws..].TrimStart(HeaderWhitespace);
        }
    }

    private static ReadOnlySpan<char> HeaderWhitespace => " \t\r\n\v\f";

    private static StringBuilder AcquireBuilder()
    {
        var sb = t_cachedBuilder;
        if (sb is null)
        {
            return new StringBuilder(512);
        }

        // Take it out so that a nested use on the same thread gets its own builder.
        t_cachedBuilder = null;
        return sb.Clear();
    }

    private static void ReleaseBuilder(StringBuilder sb)
    {
        // Do not pin an unusually large buffer to the thread forever.
        if (sb.Capacity <= 8192)
        {
            t_cachedBuilder = sb;
        }
    }

    private readonly record struct QueryParameter(string Name, string Value);
}
