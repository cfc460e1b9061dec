using System.Security.Cryptography;

namespace Tillpoint.Protocol.Signing;

/// <summary>Reads the first PEM block of a text and checks its label, so that a wrong kind of key fails loudly.</summary>
internal static class PemKey
{
    public const int MinimumKeySizeBits = 2048;

    public static (string Label, byte[] Der) ReadFirst(string pem, string parameterName, params ReadOnlySpan<string> allowedLabels)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new ArgumentException("No PEM block found.", parameterName);
        }

        var label = pem[fields.Label];
        var allowed = false;
        foreach (var candidate in allowedLabels)
        {
            if (string.Equals(label, candidate, StringComparison.Ordinal))
            {
                allowed = true;
                break;
            }
        }

        if (!allowed)
        {
            throw new ArgumentException($"Unsupported PEM label '{label}'; expected {string.Join(" or ", allowedLabels.ToArray())}.", parameterName);
        }

        return (label, Convert.FromBase64String(pem[fields.Base64Data]));
    }

    /// <summary>
    /// Imports the first PEM block into a new RSA key with <paramref name="import"/> (which returns the bytes it
    /// read), refusing trailing data and keys under 2048 bits. The DER copy is wiped afterwards.
    /// </summary>
    public static RSA ImportRsa(string pem, string parameterName, string[] allowedLabels, Func<RSA, string, byte[], int> import)
    {
        var (label, der) = ReadFirst(pem, parameterName, allowedLabels);
        var rsa = RSA.Create();
        try
        {
            if (import(rsa, label, der) != der.Length)
            {
                throw new CryptographicException("Trailing data after the key.");
            }

            RequireMinimumSize(rsa, parameterName);
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

    public static void RequireMinimumSize(RSA rsa, string parameterName)
    {
        // Amazon Pay keys are RSA-2048; anything smaller is refused rather than silently trusted.
        if (rsa.KeySize < MinimumKeySizeBits)
        {
            throw new ArgumentException($"RSA key of {rsa.KeySize} bits is too small; at least {MinimumKeySizeBits} bits are required.", parameterName);
        }
    }
}
