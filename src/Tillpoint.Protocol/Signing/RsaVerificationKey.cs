using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Tillpoint.Protocol.Signing;

/// <summary>
/// An RSA public key that verifies Amazon Pay RSASSA-PSS signatures. Parse it once and cache it: instances are
/// thread-safe and verify in parallel without a global lock.
/// </summary>
public sealed class RsaVerificationKey : IDisposable
{
    private static readonly PemKeyFormat[] Formats =
    [
        new("PUBLIC KEY", static (rsa, der) => { rsa.ImportSubjectPublicKeyInfo(der, out var read); return read; }),
        new("RSA PUBLIC KEY", static (rsa, der) => { rsa.ImportRSAPublicKey(der, out var read); return read; }),
    ];

    // BouncyCastle key parameters are immutable, so one instance serves every thread.
    private readonly RsaKeyParameters _bouncyCastleKey;
    private readonly RsaInstancePool _pool;
    private readonly int _modulusBytes;
    private volatile bool _disposed;

    private RsaVerificationKey(RSA rsa)
    {
        var spki = rsa.ExportSubjectPublicKeyInfo();
        PublicKeyPem = PemEncoding.WriteString("PUBLIC KEY", spki);
        _bouncyCastleKey = (RsaKeyParameters)PublicKeyFactory.CreateKey(spki);
        _modulusBytes = (_bouncyCastleKey.Modulus.BitLength + 7) / 8;
        _pool = new RsaInstancePool(rsa, () =>
        {
            var extra = RSA.Create();
            extra.ImportSubjectPublicKeyInfo(spki, out _);
            return extra;
        });
    }

    /// <summary>The key as SubjectPublicKeyInfo PEM (<c>BEGIN PUBLIC KEY</c>), whatever form it was read from.</summary>
    public string PublicKeyPem { get; }

    /// <summary>Reads an RSA public key from PEM: SubjectPublicKeyInfo (<c>BEGIN PUBLIC KEY</c>) or PKCS#1 (<c>BEGIN RSA PUBLIC KEY</c>).</summary>
    /// <param name="pem">The PEM text; the first PEM block is used.</param>
    /// <returns>The parsed key.</returns>
    /// <exception cref="ArgumentException">No PEM block, a different label, or a key shorter than 2048 bits.</exception>
    /// <exception cref="CryptographicException">The PEM does not hold a valid RSA public key.</exception>
    public static RsaVerificationKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem); // clearer than the same refusal one call later
        return new RsaVerificationKey(PemKey.ImportRsa(pem, nameof(pem), Formats));
    }

    /// <summary>
    /// Verifies an RSASSA-PSS (SHA-256, MGF1-SHA-256) signature with exactly the salt length of
    /// <paramref name="algorithm"/>: 32 via the built-in provider, 20 via BouncyCastle. The salt is never auto-detected,
    /// because that would accept a V1 signature labelled V2 and vice versa.
    /// </summary>
    /// <param name="algorithm">The declared algorithm.</param>
    /// <param name="data">The signed message (the UTF-8 string-to-sign).</param>
    /// <param name="signature">The decoded signature; it must be exactly as long as the modulus.</param>
    /// <returns><see langword="true"/> when the signature is valid.</returns>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public bool Verify(SignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!SignatureAlgorithms.IsDefined(algorithm))
        {
            return false;
        }

        // RFC 8017 §8.1.2 step 1: a signature is exactly k octets; BouncyCastle would otherwise accept short ones.
        if (signature.Length != _modulusBytes)
        {
            return false;
        }

        return algorithm == SignatureAlgorithm.RsassaPssV2
            ? VerifyBuiltIn(data, signature)
            : VerifyBouncyCastle(SignatureAlgorithms.SaltLength(algorithm), data, signature);
    }

    /// <summary>Releases the pooled RSA instances.</summary>
    public void Dispose()
    {
        _disposed = true;
        _pool.Dispose();
    }

    private bool VerifyBuiltIn(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        // RSASignaturePadding.Pss fixes the salt at the hash length (32), which is exactly V2.
        var rsa = _pool.Rent();
        try
        {
            return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }
        catch (CryptographicException)
        {
            return false;
        }
        finally
        {
            _pool.Return(rsa); // not returned, it would be replaced by an import on the next miss
        }
    }

    private bool VerifyBouncyCastle(int saltLength, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        // The built-in API cannot take a salt length, so salt 20 goes through BouncyCastle (known-to-work §3).
        // The signer objects are cheap and not thread-safe, hence one per call.
        var signer = new PssSigner(new RsaEngine(), new Sha256Digest(), saltLength);
        // Verifying direction: in the signing one the RSA output is padded to the modulus length, one byte too long
        // for the encoded message of a key of 8k+1 bits.
        signer.Init(false, _bouncyCastleKey);
        signer.BlockUpdate(data);
        try
        {
            return signer.VerifySignature(signature.ToArray());
        }
        catch (CryptoException)
        {
            // e.g. DataLengthException when the signature value is not below the modulus.
            return false;
        }
    }
}
