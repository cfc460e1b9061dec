using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Tillpoint.Protocol.Signing;

/// <summary>An RSA private key that makes Amazon Pay RSASSA-PSS signatures (for clients and tests). Thread-safe.</summary>
public sealed class RsaSigningKey : IDisposable
{
    private const int GeneratedKeySizeBits = 2048;
    private static readonly PemKeyFormat[] Formats =
    [
        new("PRIVATE KEY", static (rsa, der) => { rsa.ImportPkcs8PrivateKey(der, out var read); return read; }),
        new("RSA PRIVATE KEY", static (rsa, der) => { rsa.ImportRSAPrivateKey(der, out var read); return read; }),
    ];

    private readonly byte[] _pkcs8;
    private readonly RsaKeyParameters _bouncyCastleKey;
    private readonly RsaInstancePool _pool;
    private readonly string _publicKeyPem;
    private volatile bool _disposed;

    private RsaSigningKey(RSA rsa)
    {
        var pkcs8 = rsa.ExportPkcs8PrivateKey();
        _pkcs8 = pkcs8;
        _publicKeyPem = PemEncoding.WriteString("PUBLIC KEY", rsa.ExportSubjectPublicKeyInfo());
        _bouncyCastleKey = (RsaKeyParameters)PrivateKeyFactory.CreateKey(pkcs8);
        _pool = new RsaInstancePool(rsa, () =>
        {
            var extra = RSA.Create();
            extra.ImportPkcs8PrivateKey(pkcs8, out _);
            return extra;
        });
    }

    /// <summary>Reads an unencrypted RSA private key from PEM: PKCS#8 (<c>BEGIN PRIVATE KEY</c>) or PKCS#1 (<c>BEGIN RSA PRIVATE KEY</c>).</summary>
    /// <param name="pem">The PEM text; the first PEM block is used.</param>
    /// <returns>The parsed key.</returns>
    /// <exception cref="ArgumentException">No PEM block, a different label, or a key shorter than 2048 bits.</exception>
    /// <exception cref="CryptographicException">The PEM does not hold a valid RSA private key.</exception>
    public static RsaSigningKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem); // clearer than the same refusal one call later
        return new RsaSigningKey(PemKey.ImportRsa(pem, nameof(pem), Formats));
    }

    /// <summary>Generates a new RSA-2048 key pair.</summary>
    /// <returns>The new key.</returns>
    public static RsaSigningKey Generate() => new(RSA.Create(GeneratedKeySizeBits));

    /// <summary>Exports the private key as PKCS#8 PEM (<c>BEGIN PRIVATE KEY</c>).</summary>
    /// <returns>The PEM text.</returns>
    public string ExportPrivateKeyPem()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return PemEncoding.WriteString("PRIVATE KEY", _pkcs8);
    }

    /// <summary>Exports the public key as SubjectPublicKeyInfo PEM (<c>BEGIN PUBLIC KEY</c>).</summary>
    /// <returns>The PEM text.</returns>
    public string ExportPublicKeyPem()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _publicKeyPem;
    }

    /// <summary>
    /// Signs with RSASSA-PSS (SHA-256, MGF1-SHA-256) and the algorithm's exact salt: 20 via BouncyCastle for V1,
    /// 32 via the built-in provider for V2.
    /// </summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="data">The message (the UTF-8 string-to-sign).</param>
    /// <returns>The signature, as long as the modulus.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="algorithm"/> is not a defined value.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] Sign(SignatureAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var saltLength = SignatureAlgorithms.SaltLength(algorithm);
        if (algorithm == SignatureAlgorithm.RsassaPssV2)
        {
            var rsa = _pool.Rent();
            try
            {
                // Without this block BouncyCastle below makes the same V2 signature (salt 32), only more slowly.
                return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            }
            finally
            {
                _pool.Return(rsa); // not returned, it would be replaced by an import on the next miss
            }
        }

        // Blinded engine: the private-key operation must not leak timing. Init without randomness uses BouncyCastle's
        // shared thread-safe SecureRandom for the salt.
        var signer = new PssSigner(new RsaBlindedEngine(), new Sha256Digest(), saltLength);
        signer.Init(true, _bouncyCastleKey);
        signer.BlockUpdate(data);
        return signer.GenerateSignature();
    }

    /// <summary>Releases the pooled RSA instances and wipes the exported key bytes.</summary>
    public void Dispose()
    {
        _disposed = true;
        _pool.Dispose();
        CryptographicOperations.ZeroMemory(_pkcs8);
    }
}
