using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tillpoint.Bench;

/// <summary>The self-signed certificates of the servers this run started; the load generator trusts exactly these.</summary>
internal sealed class TrustedCertificates
{
    private readonly ConcurrentDictionary<string, bool> _sha256 = new(StringComparer.OrdinalIgnoreCase);

    public void AddPem(string pemPath)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
        _sha256[certificate.GetCertHashString(HashAlgorithmName.SHA256)] = true;
    }

    public void AddPfx(string pfxPath)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(pfxPath, password: null);
        _sha256[certificate.GetCertHashString(HashAlgorithmName.SHA256)] = true;
    }

    public bool Contains(X509Certificate2? certificate) =>
        certificate is not null && _sha256.ContainsKey(certificate.GetCertHashString(HashAlgorithmName.SHA256));
}
