using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Tillpoint.Protocol.Notifications;

namespace Tillpoint.Client.Notifications;

/// <summary>A verified IPN: the envelope as posted and the notification it carries.</summary>
/// <param name="Envelope">The SNS envelope.</param>
/// <param name="Message">The notification; de-duplicate on <see cref="IpnMessage.NotificationId"/>.</param>
public sealed record IpnNotification(IpnEnvelope Envelope, IpnMessage Message);

/// <summary>The body is not a notification, or its signature does not hold.</summary>
public sealed class IpnVerificationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IpnVerificationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public IpnVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public IpnVerificationException()
    {
    }
}

/// <summary>Which signing certificates an <see cref="IpnVerifier"/> trusts.</summary>
public sealed class IpnVerifierOptions
{
    /// <summary>
    /// Trust only this certificate, whatever <c>SigningCertURL</c> says: nothing is fetched. The simplest and safest
    /// set-up against one Tillpoint (its certificate is served at <c>/ipn/signing-certificate.pem</c>).
    /// </summary>
    public X509Certificate2? PinnedCertificate { get; set; }

    /// <summary>
    /// Hosts, besides Amazon SNS's own, that <c>SigningCertURL</c> may name (exact names, compared case-insensitively),
    /// such as the host a Tillpoint serves at.
    /// </summary>
    public ICollection<string> TrustedCertificateHosts { get; } = new List<string>();

    /// <summary>Trust certificate URLs on Amazon SNS's hosts (<c>sns.&lt;region&gt;.amazonaws.com</c>), as AWS's validators do.</summary>
    public bool TrustAmazonSnsHosts { get; set; } = true;

    /// <summary>
    /// Accept <c>http:</c> certificate URLs whose host is a loopback address (a Tillpoint on the same machine, in
    /// development). Any other certificate URL must be HTTPS.
    /// </summary>
    public bool AllowHttpOnLoopback { get; set; }

    /// <summary>Used to fetch certificates; when null the verifier makes its own.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Fetched certificates are kept this long.</summary>
    public TimeSpan CertificateCacheDuration { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Verifies the IPNs a Tillpoint (or Amazon Pay) posts: parses the SNS envelope, checks the certificate URL against
/// the trusted hosts, fetches and caches the certificate, checks the SHA1withRSA (version 1) or SHA256withRSA
/// (version 2) signature, and reads the notification. Thread-safe; make one and keep it.
/// </summary>
public sealed partial class IpnVerifier : IDisposable
{
    private const int MaxCachedCertificates = 16;
    private const int MaxCertificateBytes = 64 * 1024;

    private readonly IpnVerifierOptions _options;
    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, CachedCertificate> _certificates = new(StringComparer.Ordinal);

    /// <summary>Creates a verifier.</summary>
    /// <param name="options">What to trust.</param>
    /// <param name="clock">For the certificate cache; the system clock when null.</param>
    public IpnVerifier(IpnVerifierOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _ownsHttpClient = options.HttpClient is null;
        _httpClient = options.HttpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>A verifier that trusts exactly <paramref name="certificate"/> and fetches nothing.</summary>
    public static IpnVerifier ForCertificate(X509Certificate2 certificate) =>
        new(new IpnVerifierOptions { PinnedCertificate = certificate, TrustAmazonSnsHosts = false });

    /// <summary>
    /// Verifies <paramref name="body"/>, the text of a posted IPN, and returns the notification; throws
    /// <see cref="IpnVerificationException"/> when it is not a signed notification from a trusted signer. Answer a
    /// refused body with 400 and a verified one with 200 after storing it.
    /// </summary>
    public async Task<IpnNotification> VerifyAsync(string body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        IpnEnvelope envelope;
        try
        {
            envelope = IpnEnvelope.Parse(body);
        }
        catch (FormatException e)
        {
            throw new IpnVerificationException(e.Message, e);
        }

        if (envelope.Type != IpnEnvelope.NotificationType)
        {
            throw new IpnVerificationException($"The envelope's Type is '{envelope.Type}', not '{IpnEnvelope.NotificationType}'.");
        }

        var certificate = _options.PinnedCertificate ?? await FetchCertificateAsync(envelope.SigningCertURL, cancellationToken);
        using var publicKey = certificate.GetRSAPublicKey()
            ?? throw new IpnVerificationException("The signing certificate has no RSA key.");
        if (!IpnSignature.Verify(envelope, publicKey))
        {
            throw new IpnVerificationException("The IPN signature does not verify.");
        }

        try
        {
            return new IpnNotification(envelope, IpnMessage.Parse(envelope.Message));
        }
        catch (FormatException e)
        {
            throw new IpnVerificationException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }

        foreach (var cached in _certificates.Values)
        {
            cached.Certificate.Dispose();
        }
    }

    /// <summary>Whether <paramref name="url"/> may be fetched: HTTPS (or loopback HTTP when allowed) on a trusted host.</summary>
    public bool IsTrustedCertificateUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        var https = uri.Scheme == Uri.UriSchemeHttps;
        var loopbackHttp = _options.AllowHttpOnLoopback && uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri);
        if (!https && !loopbackHttp)
        {
            return false;
        }

        return (_options.TrustAmazonSnsHosts && AmazonSnsHost().IsMatch(uri.IdnHost))
            || _options.TrustedCertificateHosts.Any(h => string.Equals(h, uri.IdnHost, StringComparison.OrdinalIgnoreCase)
                || string.Equals(h, uri.Host, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private async Task<X509Certificate2> FetchCertificateAsync(string url, CancellationToken cancellationToken)
    {
        if (!IsTrustedCertificateUrl(url))
        {
            throw new IpnVerificationException($"The SigningCertURL '{url}' is not on a trusted host (see IpnVerifierOptions).");
        }

        var now = _clock.GetUtcNow();
        if (_certificates.TryGetValue(url, out var cached) && cached.Until > now)
        {
            return cached.Certificate;
        }

        X509Certificate2 certificate;
        try
        {
            using var response = await _httpClient.GetAsync(new Uri(url), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > MaxCertificateBytes)
            {
                throw new IpnVerificationException($"The certificate at '{url}' is larger than {MaxCertificateBytes} bytes.");
            }

            var pem = await response.Content.ReadAsStringAsync(cancellationToken);
            certificate = X509Certificate2.CreateFromPem(pem.Length > MaxCertificateBytes ? pem[..MaxCertificateBytes] : pem);
        }
        catch (Exception e) when (e is HttpRequestException or CryptographicException or ArgumentException)
        {
            throw new IpnVerificationException($"The certificate at '{url}' could not be fetched: {e.Message}", e);
        }

        if (_certificates.Count >= MaxCachedCertificates)
        {
            _certificates.Clear();
        }

        _certificates[url] = new CachedCertificate(certificate, now + _options.CertificateCacheDuration);
        return certificate;
    }

    // AWS's own validators accept certificate URLs on these hosts only.
    [GeneratedRegex(@"^sns\.[a-zA-Z0-9\-]{3,}\.amazonaws\.com(\.cn)?$", RegexOptions.CultureInvariant)]
    private static partial Regex AmazonSnsHost();

    private sealed record CachedCertificate(X509Certificate2 Certificate, DateTimeOffset Until);
}
