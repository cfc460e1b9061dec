using System.Text;

namespace Tillpoint.Protocol.Signing;

/// <summary>The result class of a request-signature check.</summary>
public enum SignatureCheckOutcome
{
    /// <summary>The signature is valid for the request as received.</summary>
    Valid,

    /// <summary>A header named in SignedHeaders was not received (<see cref="SignatureCheck.HeaderName"/>).</summary>
    MissingSignedHeader,

    /// <summary>A header the server requires to be signed is absent from SignedHeaders (<see cref="SignatureCheck.HeaderName"/>).</summary>
    RequiredHeaderNotSigned,

    /// <summary>The signature is not valid base64 or does not verify.</summary>
    InvalidSignature,
}

/// <summary>The result of <see cref="RequestSignatureVerifier.Verify"/>.</summary>
/// <param name="Outcome">What was decided.</param>
/// <param name="StringToSign">
/// The string-to-sign computed from the request as received (for the 403 echo message of spec §2.8); <see langword="null"/>
/// when it could not be computed because a signed header is missing.
/// </param>
/// <param name="HeaderName">The lower-case header name behind <see cref="SignatureCheckOutcome.MissingSignedHeader"/> or
/// <see cref="SignatureCheckOutcome.RequiredHeaderNotSigned"/>; otherwise <see langword="null"/>.</param>
public readonly record struct SignatureCheck(SignatureCheckOutcome Outcome, string? StringToSign, string? HeaderName);

/// <summary>Verifies the signature of an incoming request (spec §2.9 steps 5–6). Key lookup and clock checks are the server's.</summary>
public static class RequestSignatureVerifier
{
    // An 8192-bit modulus; a longer signature cannot be valid, and base64 that decodes to more does not fit the buffer,
    // which TryFromBase64String reports as a failure.
    private const int MaxSignatureBytes = 1024;

    // Spec §2.5: all SDKs sign these; unsigned, they could be replayed or altered.
    private static readonly string[] RequiredSignedHeaders = ["x-amz-pay-date", "x-amz-pay-host", "x-amz-pay-region"];

    /// <summary>
    /// Builds the canonical request from the declared SignedHeaders, requires <c>x-amz-pay-date</c>, <c>x-amz-pay-host</c>
    /// and <c>x-amz-pay-region</c> among them (case-insensitively), and verifies the signature with exactly the declared
    /// algorithm's salt length.
    /// </summary>
    /// <param name="authorization">The parsed <c>authorization</c> header.</param>
    /// <param name="key">The public key registered for <see cref="AuthorizationHeader.PublicKeyId"/>.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawPath">The request path exactly as received.</param>
    /// <param name="rawQuery">The raw query without the leading <c>?</c>, or <see langword="null"/>/empty.</param>
    /// <param name="headerValue">Looks up a received header by lower-case name; returns <see langword="null"/> when absent.</param>
    /// <param name="body">The exact body bytes as received.</param>
    /// <returns>The outcome, with the computed string-to-sign where available.</returns>
    /// <exception cref="ArgumentException"><paramref name="method"/> or <paramref name="rawPath"/> is null or empty.</exception>
    public static SignatureCheck Verify(AuthorizationHeader authorization, RsaVerificationKey key, string method, string rawPath,
        string? rawQuery, Func<string, string?> headerValue, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(key);

        var canonical = CanonicalRequest.Build(method, rawPath, rawQuery, authorization.SignedHeaders, headerValue, body);
        if (canonical.CanonicalRequest is null)
        {
            return new SignatureCheck(SignatureCheckOutcome.MissingSignedHeader, null, canonical.MissingHeader);
        }

        var stringToSign = CanonicalRequest.StringToSign(authorization.Algorithm, canonical.CanonicalRequest);
        var unsigned = FirstRequiredHeaderNotSigned(authorization.SignedHeaders);
        if (unsigned is not null)
        {
            return new SignatureCheck(SignatureCheckOutcome.RequiredHeaderNotSigned, stringToSign, unsigned);
        }

        return VerifyBase64(key, authorization.Algorithm, stringToSign, authorization.Signature)
            ? new SignatureCheck(SignatureCheckOutcome.Valid, stringToSign, null)
            : new SignatureCheck(SignatureCheckOutcome.InvalidSignature, stringToSign, null);
    }

    // Shared with ButtonSignature: decode base64 without heap allocation and verify the ASCII string-to-sign.
    internal static bool VerifyBase64(RsaVerificationKey key, SignatureAlgorithm algorithm, string stringToSign, string signatureBase64)
    {
        Span<byte> signature = stackalloc byte[MaxSignatureBytes];
        if (!Convert.TryFromBase64String(signatureBase64, signature, out var signatureLength))
        {
            return false;
        }

        // The string-to-sign is ASCII (algorithm name, LF, 64 hex digits), so its UTF-8 form is short.
        Span<byte> data = stackalloc byte[Encoding.UTF8.GetMaxByteCount(stringToSign.Length)];
        var dataLength = Encoding.UTF8.GetBytes(stringToSign, data);
        return key.Verify(algorithm, data[..dataLength], signature[..signatureLength]);
    }

    private static string? FirstRequiredHeaderNotSigned(string signedHeaders)
    {
        foreach (var required in RequiredSignedHeaders)
        {
            if (!ContainsName(signedHeaders, required))
            {
                return required;
            }
        }

        return null;
    }

    // Runs only after the canonical request was built, so no declared name is empty and no semicolon is at 0.
    private static bool ContainsName(string signedHeaders, string name)
    {
        var remaining = signedHeaders.AsSpan();
        while (true)
        {
            var semicolon = remaining.IndexOf(';');
            var declared = semicolon < 0 ? remaining : remaining[..semicolon];
            // ASCII folding only, as the canonical request folds names: a required header counts as signed only when
            // its own line is in the signed text.
            if (Ascii.EqualsIgnoreCase(declared, name))
            {
                return true;
            }

            if (semicolon < 0)
            {
                return false;
            }

            remaining = remaining[(semicolon + 1)..];
        }
    }
}
