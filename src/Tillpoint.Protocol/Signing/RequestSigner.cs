using System.Globalization;
using System.Text;

namespace Tillpoint.Protocol.Signing;

/// <summary>Signs outgoing requests the way the Amazon Pay SDKs do (used by the C# client library and tests).</summary>
public sealed class RequestSigner
{
    private readonly string _publicKeyId;
    private readonly RsaSigningKey _key;
    private readonly SignatureAlgorithm _algorithm;

    /// <summary>Creates a signer.</summary>
    /// <param name="publicKeyId">The public key id written into the <c>authorization</c> header.</param>
    /// <param name="key">The private key.</param>
    /// <param name="algorithm">The algorithm; V2 (salt 32) by default.</param>
    /// <exception cref="ArgumentException"><paramref name="publicKeyId"/> is empty or contains whitespace or a comma.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="algorithm"/> is not a defined value.</exception>
    public RequestSigner(string publicKeyId, RsaSigningKey key, SignatureAlgorithm algorithm = SignatureAlgorithm.RsassaPssV2)
    {
        ArgumentException.ThrowIfNullOrEmpty(publicKeyId);
        ArgumentNullException.ThrowIfNull(key);
        if (!SignatureAlgorithms.IsDefined(algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown signature algorithm.");
        }

        // Such characters would break the "Key=Value, Key=Value" syntax of the header.
        if (publicKeyId.AsSpan().IndexOfAny(" \t\r\n,") >= 0)
        {
            throw new ArgumentException("The public key id must not contain whitespace or commas.", nameof(publicKeyId));
        }

        _publicKeyId = publicKeyId;
        _key = key;
        _algorithm = algorithm;
    }

    /// <summary>
    /// Signs a request over every header in <paramref name="headers"/> (names lower-cased and sorted ordinally in
    /// SignedHeaders). Add <c>x-amz-pay-date</c>, <c>x-amz-pay-host</c>, <c>x-amz-pay-region</c> and the rest to
    /// <paramref name="headers"/> first, and send exactly those values.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawPath">The request path exactly as it will be sent (already percent-encoded).</param>
    /// <param name="rawQuery">The raw query as it will be sent, without <c>?</c>, or <see langword="null"/>/empty.</param>
    /// <param name="headers">The headers to sign; names in any case, each name once.</param>
    /// <param name="body">The exact body bytes that will be sent.</param>
    /// <returns>The value for the <c>authorization</c> header.</returns>
    /// <exception cref="ArgumentException">No headers, a name that is not an HTTP token, or a name repeated in another case.</exception>
    public string Sign(string method, string rawPath, string? rawQuery, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Count == 0)
        {
            throw new ArgumentException("At least one header must be signed.", nameof(headers));
        }

        var lowered = new Dictionary<string, string>(headers.Count, StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            if (!IsToken(name))
            {
                throw new ArgumentException($"'{name}' is not a valid header name.", nameof(headers));
            }

            ArgumentNullException.ThrowIfNull(value, nameof(headers));
            if (!lowered.TryAdd(name.ToLowerInvariant(), value))
            {
                throw new ArgumentException($"Header '{name}' is given more than once.", nameof(headers));
            }
        }

        var names = new string[lowered.Count];
        lowered.Keys.CopyTo(names, 0);
        Array.Sort(names, StringComparer.Ordinal);
        var signedHeaders = string.Join(';', names);

        var canonical = CanonicalRequest.Build(method, rawPath, rawQuery, signedHeaders, lowered.GetValueOrDefault, body);
        var stringToSign = CanonicalRequest.StringToSign(_algorithm, canonical.CanonicalRequest!);
        var signature = Convert.ToBase64String(_key.Sign(_algorithm, Encoding.UTF8.GetBytes(stringToSign)));
        return new AuthorizationHeader(_algorithm, _publicKeyId, signedHeaders, signature).Format();
    }

    /// <summary>Formats an <c>x-amz-pay-date</c> value: <c>yyyyMMddTHHmmssZ</c> in UTC.</summary>
    /// <param name="time">The signing time (supplied by the caller's clock).</param>
    /// <returns>The header value.</returns>
    public static string FormatDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    // RFC 9110 token: the only characters a header name may hold; also keeps ';' out of SignedHeaders.
    private static bool IsToken(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            var ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
