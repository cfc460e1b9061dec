namespace Tillpoint.Protocol.Signing;

/// <summary>Why an <c>authorization</c> header value could not be parsed.</summary>
public enum AuthorizationHeaderParseError
{
    /// <summary>The value was parsed.</summary>
    None,

    /// <summary>The value is empty, has no algorithm token, or a parameter is not <c>Key=Value</c> or is repeated.</summary>
    Malformed,

    /// <summary>The algorithm token is not one of the two known names.</summary>
    UnknownAlgorithm,

    /// <summary>There is no non-empty <c>PublicKeyId</c> parameter.</summary>
    MissingPublicKeyId,

    /// <summary>There is no non-empty <c>SignedHeaders</c> parameter.</summary>
    MissingSignedHeaders,

    /// <summary>There is no non-empty <c>Signature</c> parameter.</summary>
    MissingSignature,
}

/// <summary>
/// The value of the <c>authorization</c> request header (spec §2.4):
/// <c>{ALG} PublicKeyId={id}, SignedHeaders={h1;h2}, Signature={base64}</c>.
/// </summary>
/// <param name="Algorithm">The declared signature algorithm.</param>
/// <param name="PublicKeyId">The merchant's public key id.</param>
/// <param name="SignedHeaders">The declared SignedHeaders value, verbatim (it is signed as declared).</param>
/// <param name="Signature">The base64 signature, not yet decoded.</param>
public sealed record AuthorizationHeader(SignatureAlgorithm Algorithm, string PublicKeyId, string SignedHeaders, string Signature)
{
    private const string PublicKeyIdKey = "PublicKeyId";
    private const string SignedHeadersKey = "SignedHeaders";
    private const string SignatureKey = "Signature";

    /// <summary>
    /// Parses an <c>authorization</c> value. The algorithm is the token before the first space; the rest is a
    /// comma-separated list of <c>Key=Value</c> pairs, each split on its first <c>=</c> (base64 contains <c>=</c>).
    /// Keys are case-sensitive; unknown keys are ignored; a repeated known key is <see cref="AuthorizationHeaderParseError.Malformed"/>.
    /// </summary>
    /// <param name="value">The raw header value, or <see langword="null"/> when the header is absent.</param>
    /// <param name="header">The parsed header, or <see langword="null"/> on failure.</param>
    /// <returns><see cref="AuthorizationHeaderParseError.None"/> on success, otherwise the first problem found.</returns>
    public static AuthorizationHeaderParseError TryParse(string? value, out AuthorizationHeader? header)
    {
        header = null;
        if (string.IsNullOrEmpty(value))
        {
            return AuthorizationHeaderParseError.Malformed;
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return AuthorizationHeaderParseError.Malformed;
        }

        // The algorithm is judged first so that "unknown algorithm" wins over any later syntax problem (spec §2.9 step 1).
        if (!SignatureAlgorithms.TryParse(value.AsSpan(0, space), out var algorithm))
        {
            return AuthorizationHeaderParseError.UnknownAlgorithm;
        }

        string? publicKeyId = null;
        string? signedHeaders = null;
        string? signature = null;
        var rest = value.AsSpan(space + 1);
        while (true)
        {
            var comma = rest.IndexOf(',');
            var part = (comma < 0 ? rest : rest[..comma]).Trim(' ');
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                return AuthorizationHeaderParseError.Malformed;
            }

            var key = part[..equals];
            var pairValue = part[(equals + 1)..];
            if (key.SequenceEqual(PublicKeyIdKey))
            {
                if (!TryAssignOnce(ref publicKeyId, pairValue))
                {
                    return AuthorizationHeaderParseError.Malformed;
                }
            }
            else if (key.SequenceEqual(SignedHeadersKey))
            {
                if (!TryAssignOnce(ref signedHeaders, pairValue))
                {
                    return AuthorizationHeaderParseError.Malformed;
                }
            }
            else if (key.SequenceEqual(SignatureKey))
            {
                if (!TryAssignOnce(ref signature, pairValue))
                {
                    return AuthorizationHeaderParseError.Malformed;
                }
            }

            // A comma at 0 left an empty part, already refused above.
            if (comma < 0)
            {
                break;
            }

            rest = rest[(comma + 1)..];
        }

        if (string.IsNullOrEmpty(publicKeyId))
        {
            return AuthorizationHeaderParseError.MissingPublicKeyId;
        }

        if (string.IsNullOrEmpty(signedHeaders))
        {
            return AuthorizationHeaderParseError.MissingSignedHeaders;
        }

        if (string.IsNullOrEmpty(signature))
        {
            return AuthorizationHeaderParseError.MissingSignature;
        }

        header = new AuthorizationHeader(algorithm, publicKeyId, signedHeaders, signature);
        return AuthorizationHeaderParseError.None;
    }

    /// <summary>Formats the header value: <c>{ALG} PublicKeyId={id}, SignedHeaders={h}, Signature={sig}</c>.</summary>
    /// <returns>The value for the <c>authorization</c> header.</returns>
    public string Format() =>
        $"{SignatureAlgorithms.Name(Algorithm)} {PublicKeyIdKey}={PublicKeyId}, {SignedHeadersKey}={SignedHeaders}, {SignatureKey}={Signature}";

    // A repeated key is ambiguous (which one did the signer mean?), so it is rejected rather than last-wins.
    private static bool TryAssignOnce(ref string? target, ReadOnlySpan<char> value)
    {
        if (target is not null)
        {
            return false;
        }

        target = value.ToString();
        return true;
    }
}
