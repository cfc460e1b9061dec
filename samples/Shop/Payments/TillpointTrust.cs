using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Tillpoint.Shop.Payments;

/// <summary>
/// Decides whether the shop trusts the TLS certificate Tillpoint presents: a certificate the system's CAs vouch for,
/// or exactly the self-signed certificate Tillpoint wrote to its data folder (<c>tillpoint-https.pem</c>), used as the
/// only extra trust anchor. It applies to the shop's own HTTP client alone; validation is never turned off.
/// </summary>
public sealed class TillpointTrust(string? pinnedCertificatePath, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private (DateTime WrittenAt, X509Certificate2 Certificate)? _pinned;

    public string? PinnedCertificatePath => pinnedCertificatePath;

    /// <summary>The callback for <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(X509Certificate? presented, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an unknown issuer is forgiven, and only for the pinned certificate: a wrong host name never is.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || presented is null || Pinned() is not { } pinned)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(pinned);
        // A self-signed certificate has no revocation list to ask.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = clock.GetUtcNow().UtcDateTime;
        return chain.Build(leaf) && leaf.RawDataMemory.Span.SequenceEqual(pinned.RawDataMemory.Span);
    }

    /// <summary>An HTTP client for the API that trusts what <see cref="Validate"/> trusts.</summary>
    public HttpClient CreateHttpClient() => new(
        new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(certificate, errors) },
        },
        disposeHandler: true)
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// Read when first needed and again whenever the file changes: Tillpoint may start after the shop, or make a new
    /// certificate when its data folder is reset.
    /// </summary>
    private X509Certificate2? Pinned()
    {
        if (pinnedCertificatePath is null || !File.Exists(pinnedCertificatePath))
        {
            return null;
        }

        var writtenAt = File.GetLastWriteTimeUtc(pinnedCertificatePath);
        lock (_gate)
        {
            if (_pinned is { } cached && cached.WrittenAt == writtenAt)
            {
                return cached.Certificate;
            }

            var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(pinnedCertificatePath));
            _pinned = (writtenAt, certificate);
            return certificate;
        }
    }
}
