using System.Buffers.Text;
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
    public const string PasswordFileName = "tillpoint-https.pfx.password";

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
        var passwordPath = Path.Combine(options.DataDirectory, PasswordFileName);
        if (TryLoadGenerated(path, passwordPath) is { } existing)
        {
            if (existing.NotAfter > clock.GetUtcNow().UtcDateTime.AddDays(7))
            {
                return existing;
            }

            existing.Dispose();
        }

        var created = CreateSelfSigned(clock.GetUtcNow());
        OwnerOnly.CreateFolder(options.DataDirectory);
        Save(created, path, passwordPath);
        // The PEM holds only the certificate, which clients of any local user may need to trust, so it keeps the usual mode.
        File.WriteAllText(Path.Combine(options.DataDirectory, PemFileName), created.ExportCertificatePem());
        return created;
    }

    /// <summary>
    /// The generated certificate, or null when there is none or it cannot be opened (a crash between writing the
    /// password and the PFX): a self-signed certificate is then simply made again.
    /// </summary>
    private static X509Certificate2? TryLoadGenerated(string path, string passwordPath)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        // Files an earlier version left readable to others lose that now.
        OwnerOnly.Restrict(path);
        var password = File.Exists(passwordPath) ? File.ReadAllText(passwordPath).Trim() : null;
        try
        {
            // Only a key about to be saved again under a password needs to be exportable.
            var flags = password is null ? X509KeyStorageFlags.Exportable : X509KeyStorageFlags.DefaultKeySet;
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, flags);
            if (password is null)
            {
                // Written by a version that kept no password: the key gets one now.
                Save(certificate, path, passwordPath);
            }

            return certificate;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the PFX under a fresh random password kept beside it, both owner-only from the start: a copy of the PFX
    /// alone (a backup, an attachment) does not give its private key away.
    /// </summary>
    private static void Save(X509Certificate2 certificate, string path, string passwordPath)
    {
        var password = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        OwnerOnly.Replace(passwordPath, Encoding.ASCII.GetBytes(password + "\n"));
        OwnerOnly.Replace(path, certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password));
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
