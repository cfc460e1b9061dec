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
        CanonicalQuery.AppendRaw(sb, rawQuery);
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
            // Not reached with a semicolon at 0: that empty name was reported missing above.
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

        return new CanonicalRequestResult(ToStringAndRelease(sb), null);
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
        var sb = AcquireBuilder();
        CanonicalQuery.AppendRaw(sb, rawQuery);
        return ToStringAndRelease(sb);
    }

    /// <summary>Canonicalises already-decoded query parameters (used by signers); same encoding and order as the raw overload.</summary>
    /// <param name="decodedPairs">Decoded name/value pairs in any order; a <see langword="null"/> value counts as empty.</param>
    /// <returns>The canonical query string; empty when there are no pairs.</returns>
    /// <exception cref="ArgumentException">A pair has a <see langword="null"/> name.</exception>
    public static string CanonicalQueryString(IEnumerable<KeyValuePair<string, string>> decodedPairs)
    {
        ArgumentNullException.ThrowIfNull(decodedPairs);

        var parameters = CanonicalQuery.EncodeDecoded(decodedPairs, nameof(decodedPairs));
        var sb = AcquireBuilder();
        CanonicalQuery.AppendSorted(sb, parameters);
        return ToStringAndRelease(sb);
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
        using (var utf8 = new Utf8Scratch(text, stackalloc byte[MaxStackHashInputBytes]))
        {
            SHA256.HashData(utf8.Bytes, hash);
        }

        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        Convert.TryToHexStringLower(hash, hex, out _);
        return string.Concat(algorithmName, "\n", hex);
    }

    // Header names are ASCII tokens; only ASCII letters are folded so that e.g. the Kelvin sign never turns into "k"
    // (OrdinalIgnoreCase would also fold "ı" into "i"). The known names only save the allocation.
    private static string LowerCaseName(ReadOnlySpan<char> declared)
    {
        foreach (var known in KnownHeaderNames)
        {
            if (Ascii.EqualsIgnoreCase(declared, known))
            {
                return known;
            }
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
            // Never 0: the span starts with a non-space character here.
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

    private static string ToStringAndRelease(StringBuilder sb)
    {
        var text = sb.ToString();
        ReleaseBuilder(sb);
        return text;
    }

    private static void ReleaseBuilder(StringBuilder sb)
    {
        // Do not pin an unusually large buffer to the thread forever. Caching or not only changes allocations.
        if (sb.Capacity <= 8192)
        {
            t_cachedBuilder = sb;
        }
    }
}
