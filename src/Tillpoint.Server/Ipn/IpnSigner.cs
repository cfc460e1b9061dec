using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Tillpoint.Protocol.Notifications;

namespace Tillpoint.Server.Ipn;

/// <summary>
/// Signs IPN envelopes the way SNS does (version 1, SHA1withRSA) with a certificate of Tillpoint's own, and knows the
/// URL that certificate is served at (<see cref="CertificatePath"/>, or the configured one).
/// </summary>
/// <remarks>
/// The key and certificate are made on first use, not at start-up (an RSA key takes a good part of a second), and
/// kept in the store's settings: every node sharing a database signs with the same key, and the certificate any of
/// them serves verifies every notification.
/// </remarks>
internal sealed class IpnSigner(ITillpointStore store, ServerOptions options, IServer server) : IDisposable
{
    public const string CertificatePath = "/ipn/signing-certificate.pem";
    public const string CertificateSetting = "ipn-signing-certificate";
    public const string KeySetting = "ipn-signing-key";

    private readonly SemaphoreSlim _loading = new(1, 1);
    private SigningMaterial? _material;
    private string? _certificateUrl;

    /// <summary>The SNS topic a notification is published to: one per merchant and environment.</summary>
    public static string TopicArn(string merchantId, ReleaseEnvironment environment) => environment switch
    {
        ReleaseEnvironment.Sandbox => $"arn:tillpoint:sns:local:{merchantId}:ipn-sandbox",
        ReleaseEnvironment.Live => $"arn:tillpoint:sns:local:{merchantId}:ipn-live",
    };

    /// <summary>A signed envelope for <paramref name="message"/>, ready to post as <see cref="IpnEnvelope.ToJson"/>.</summary>
    public async Task<IpnEnvelope> SignAsync(
        string merchantId, ReleaseEnvironment environment, IpnMessage message, DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var material = await LoadAsync(cancellationToken);
        var envelope = new IpnEnvelope
        {
            Type = IpnEnvelope.NotificationType,
            MessageId = Guid.NewGuid().ToString(),
            TopicArn = TopicArn(merchantId, environment),
            Message = message.ToJson(),
            Timestamp = IpnEnvelope.FormatTimestamp(timestamp),
            SignatureVersion = IpnSignature.Version1,
            Signature = string.Empty,
            SigningCertURL = CertificateUrl(),
        };
        return IpnSignature.Sign(envelope, material.Key);
    }

    /// <summary>The PEM certificate receivers verify signatures with.</summary>
    public async Task<string> CertificatePemAsync(CancellationToken cancellationToken = default) =>
        (await LoadAsync(cancellationToken)).CertificatePem;

    /// <summary>
    /// The configured URL; otherwise the public URL's, otherwise the first address this node listens on (HTTPS
    /// preferred), read once the server is bound, so an ephemeral port is the real one.
    /// </summary>
    public string CertificateUrl()
    {
        if (_certificateUrl is not null)
        {
            return _certificateUrl;
        }

        var url = options.Ipn.CertificateUrl?.AbsoluteUri
            ?? (options.PublicUrl is { } publicUrl ? new Uri(publicUrl, CertificatePath).AbsoluteUri : null)
            ?? new Uri(new Uri(ListeningAddress()), CertificatePath).AbsoluteUri;
        _certificateUrl = url;
        return url;
    }

    private string ListeningAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var chosen = addresses.FirstOrDefault(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault()
            ?? options.Urls[0];
        // A wildcard bind is reachable on loopback; receivers outside the machine need the public URL set.
        return chosen.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://[::1]", StringComparison.Ordinal);
    }

    private async Task<SigningMaterial> LoadAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _material) is { } loaded)
        {
            return loaded;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_material is not null)
            {
                return _material;
            }

            // Read and, when absent, created in one command, so nodes starting together agree on one key.
            var (certificatePem, keyPem) = await store.WriteAsync(
                session =>
                {
                    var certificate = session.GetSetting(CertificateSetting);
                    var key = session.GetSetting(KeySetting);
                    if (certificate is not null && key is not null)
                    {
                        return (certificate, key);
                    }

                    var created = Create(options.SignatureClock.GetUtcNow());
                    session.PutSetting(CertificateSetting, created.Certificate);
                    session.PutSetting(KeySetting, created.Key);
                    return created;
                },
                cancellationToken);
            var rsa = RSA.Create();
            rsa.ImportFromPem(keyPem);
            _material = new SigningMaterial(certificatePem, rsa);
            return _material;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose()
    {
        _material?.Key.Dispose();
        _loading.Dispose();
    }

    private static (string Certificate, string Key) Create(DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Tillpoint IPN signing, O=Tillpoint", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private sealed record SigningMaterial(string CertificatePem, RSA Key);
}

internal static class IpnCertificateEndpoint
{
    /// <summary>The signing certificate, public and unauthenticated, as SNS serves its own.</summary>
    public static void MapIpnCertificate(this IEndpointRouteBuilder app) =>
        app.MapGet(IpnSigner.CertificatePath, async (IpnSigner signer, CancellationToken cancellationToken) =>
            Results.Text(await signer.CertificatePemAsync(cancellationToken), "application/x-pem-file"));
}
