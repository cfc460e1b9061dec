using System.Security.Cryptography;

namespace Tillpoint.Protocol.Signing;

/// <summary>A PEM label a key may carry, and how to import its DER bytes into an RSA key (returns the bytes read).</summary>
internal sealed record PemKeyFormat(string Label, Func<RSA, byte[], int> Import);

/// <summary>Reads the first PEM block of a text and checks its label, so that a wrong kind of key fails loudly.</summary>
internal static class PemKey
{
    public const int MinimumKeySizeBits = 2048;

    /// <summary>
    /// Imports the first PEM block into a new RSA key with the format its label names, refusing other labels, trailing
    /// data and keys under 2048 bits. The DER copy is wiped afterwards.
    /// </summary>
    public static RSA ImportRsa(string pem, string parameterName, IReadOnlyList<PemKeyFormat> formats)
    {
        // Without this check an empty label would be refused below, with a vaguer message.
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new ArgumentException("No PEM block found.", parameterName);
        }

        var label = pem[fields.Label];
        var format = formats.FirstOrDefault(f => string.Equals(f.Label, label, StringComparison.Ordinal))
            ?? throw new ArgumentException($"Unsupported PEM label '{label}'; expected {string.Join(" or ", formats.Select(f => f.Label))}.", parameterName);
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        var rsa = RSA.Create();
        try
        {
            if (format.Import(rsa, der) != der.Length)
            {
                throw new CryptographicException("Trailing data after the key.");
            }

            // Amazon Pay keys are RSA-2048; anything smaller is refused rather than silently trusted.
            if (rsa.KeySize < MinimumKeySizeBits)
            {
                throw new ArgumentException($"RSA key of {rsa.KeySize} bits is too small; at least {MinimumKeySizeBits} bits are required.", parameterName);
            }

            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }
}
