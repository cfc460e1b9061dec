using System.Security.Cryptography;

namespace Tillpoint.Protocol.Tests;

/// <summary>
/// An RSA implementation whose verification fails with a <see cref="CryptographicException"/>, as some platform
/// providers do for a malformed signature where OpenSSL answers false.
/// </summary>
internal sealed class FailingRsa : RSA
{
    public override RSAParameters ExportParameters(bool includePrivateParameters) => throw new NotSupportedException();

    public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();

    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) =>
        throw new CryptographicException("The provider refused the signature.");

    public override bool VerifyHash(
        ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) =>
        throw new CryptographicException("The provider refused the signature.");
}
