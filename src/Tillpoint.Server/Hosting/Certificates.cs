using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tillpoint.Server.Hosting;

/// <summary>
/// The HTTPS certificate. The official SDKs only speak HTTPS, so without a configured certificate one is generated
/// on first run and kept in the data folder (with its PEM beside it, for clients that want to trust it).
/// </summary>
internal static class Certificates
{
    public const string FileName = "tillpoint-https.pfx";
    public const string PemFileName = "tillpoint-https.pem";

    /// <summary>The TLS settings: the certificate with its chain built once (building it costs a good part of a start).</summary>
    public static SslServerAuthenticationOptions ServerAuthentication(ServerOptions options, TimeProvider clock) => new()
    {
        ServerCertificateContext = SslStreamCertificateContext.Create(Load(options, clock), additionalCertificates: null, offline: true),
        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
    };

    public static X509Certificate2 Load(ServerOptions options, TimeProvider clock)
    {
        if (options.CertificatePath is not null)
        {
            if (!File.Exists(options.CertificatePath))
            {
                throw new FileNotFoundException($"The certificate file {options.CertificatePath} does not exist.", options.CertificatePath);
            }

            return X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword);
        }

        var path = Path.Combine(options.DataDirectory, FileName);
        if (File.Exists(path))
        {
            // Its private key has no password: a file an earlier version left readable to others loses that now.
            OwnerOnly.Restrict(path);
            var existing = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
            if (existing.NotAfter > clock.GetUtcNow().UtcDateTime.AddDays(7))
            {
                return existing;
            }

            existing.Dispose();
        }

        var created = CreateSelfSigned(clock.GetUtcNow());
        OwnerOnly.CreateFolder(options.DataDirectory);
        // The PFX holds the private key without a password, so it is owner-only from the start. The PEM holds only the
        // certificate, which clients of any local user may need to trust, so it keeps the usual mode.
        OwnerOnly.Replace(path, created.Export(X509ContentType.Pkcs12));
        File.WriteAllText(Path.Combine(options.DataDirectory, PemFileName), created.ExportCertificatePem());
        return created;
    }

    private static X509Certificate2 CreateSelfSigned(DateTimeOffset now)
    {
        // ECDSA P-256: generated in milliseconds (RSA-2048 can take half a second), and every SDK's TLS stack accepts it.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=Tillpoint", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        // The PFX round trip gives a key that every platform's TLS stack can use.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null, X509KeyStorageFlags.Exportable);
    }
}
