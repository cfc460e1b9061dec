using System.Text;

namespace Tillpoint.Protocol.Signing;

/// <summary>
/// The button payload signature (spec §2.11): <c>ALG + "\n" + lowercase-hex(SHA-256(UTF-8(payloadJSON)))</c> signed
/// with RSASSA-PSS. The payload is hashed as the exact string given; it is never re-serialised.
/// </summary>
public static class ButtonSignature
{
    /// <summary>Returns the string-to-sign for a button payload.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="payloadJson">The exact <c>payloadJSON</c> string.</param>
    /// <returns>The string-to-sign.</returns>
    public static string StringToSign(SignatureAlgorithm algorithm, string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        return CanonicalRequest.StringToSignOfText(SignatureAlgorithms.Name(algorithm), payloadJson);
    }

    /// <summary>Signs a button payload.</summary>
    /// <param name="key">The merchant's private key.</param>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="payloadJson">The exact <c>payloadJSON</c> string.</param>
    /// <returns>The base64 signature.</returns>
    public static string Sign(RsaSigningKey key, SignatureAlgorithm algorithm, string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(key);
        var stringToSign = StringToSign(algorithm, payloadJson);
        return Convert.ToBase64String(key.Sign(algorithm, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>Verifies a button payload signature with exactly the algorithm's salt length.</summary>
    /// <param name="key">The merchant's public key.</param>
    /// <param name="algorithm">The declared algorithm.</param>
    /// <param name="payloadJson">The exact <c>payloadJSON</c> string received.</param>
    /// <param name="signatureBase64">The base64 signature.</param>
    /// <returns><see langword="true"/> when the signature is valid base64 and verifies.</returns>
    public static bool Verify(RsaVerificationKey key, SignatureAlgorithm algorithm, string payloadJson, string signatureBase64)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(signatureBase64);
        var stringToSign = StringToSign(algorithm, payloadJson);
        return RequestSignatureVerifier.VerifyBase64(key, algorithm, stringToSign, signatureBase64);
    }
}
