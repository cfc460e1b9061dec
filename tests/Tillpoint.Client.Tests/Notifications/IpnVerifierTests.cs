using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tillpoint.Client.Notifications;
using Tillpoint.Protocol.Notifications;

namespace Tillpoint.Client.Tests.Notifications;

public sealed class IpnVerifierTests : IDisposable
{
    private const string CertificateUrl = "https://ipn.tillpoint.test/ipn/signing-certificate.pem";

    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;

    public IpnVerifierTests()
    {
        var request = new CertificateRequest("CN=Tillpoint IPN signing test", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var withKey = request.CreateSelfSigned(DateTimeOffset.Now.AddDays(-1), DateTimeOffset.Now.AddYears(1));
        _certificate = X509CertificateLoader.LoadCertificate(withKey.Export(X509ContentType.Cert));
    }

    public void Dispose()
    {
        _key.Dispose();
        _certificate.Dispose();
    }

    private string SignedBody(string certificateUrl = CertificateUrl, string type = IpnEnvelope.NotificationType, string? message = null)
    {
        var envelope = new IpnEnvelope
        {
            Type = type,
            MessageId = Guid.NewGuid().ToString(),
            TopicArn = "arn:tillpoint:sns:local:A2EXAMPLE1234:ipn-sandbox",
            Message = message ?? new IpnMessage("A2EXAMPLE1234", IpnObjectTypes.Refund, "S01-1234567-1234567-R123456",
                "S01-1234567-1234567", IpnMessage.StateChange, "n-1", IpnMessage.Version2).ToJson(),
            Timestamp = IpnEnvelope.FormatTimestamp(DateTimeOffset.UnixEpoch),
            SignatureVersion = IpnSignature.Version1,
            Signature = string.Empty,
            SigningCertURL = certificateUrl,
        };
        return IpnSignature.Sign(envelope, _key).ToJson();
    }

    private CapturingHandler CertificateServer() =>
        new(_ => CapturingHandler.Response(HttpStatusCode.OK, _certificate.ExportCertificatePem(), requestId: null, contentType: "application/x-pem-file"));

    [Fact]
    public async Task VerifyAsync_WithAPinnedCertificate_ReturnsTheNotificationAndFetchesNothing()
    {
        using var verifier = IpnVerifier.ForCertificate(_certificate);

        var notification = await verifier.VerifyAsync(SignedBody(certificateUrl: "https://anywhere.example/x.pem"));

        Assert.Equal(IpnObjectTypes.Refund, notification.Message.ObjectType);
        Assert.Equal("S01-1234567-1234567-R123456", notification.Message.ObjectId);
        Assert.Equal("n-1", notification.Message.NotificationId);
    }

    [Fact]
    public async Task VerifyAsync_RefusesATamperedMessage()
    {
        using var verifier = IpnVerifier.ForCertificate(_certificate);
        var body = SignedBody().Replace("R123456", "R123457", StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<IpnVerificationException>(() => verifier.VerifyAsync(body));
        Assert.Contains("signature", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task VerifyAsync_FetchesTheCertificateFromATrustedHostOnceAndCachesIt()
    {
        var server = CertificateServer();
        using var http = new HttpClient(server);
        var options = new IpnVerifierOptions { HttpClient = http };
        options.TrustedCertificateHosts.Add("ipn.tillpoint.test");
        using var verifier = new IpnVerifier(options);

        await verifier.VerifyAsync(SignedBody());
        await verifier.VerifyAsync(SignedBody());

        var fetch = Assert.Single(server.Requests);
        Assert.Equal(CertificateUrl, fetch.Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://evil.example/ipn/signing-certificate.pem")]
    [InlineData("http://ipn.tillpoint.test/ipn/signing-certificate.pem")]
    [InlineData("http://127.0.0.1:8080/ipn/signing-certificate.pem")]
    [InlineData("https://sns.us-east-1.amazonaws.com.evil.example/cert.pem")]
    [InlineData("not a url")]
    public async Task VerifyAsync_RefusesACertificateUrlThatIsNotTrusted(string url)
    {
        var server = CertificateServer();
        using var http = new HttpClient(server);
        var options = new IpnVerifierOptions { HttpClient = http };
        options.TrustedCertificateHosts.Add("ipn.tillpoint.test");
        using var verifier = new IpnVerifier(options);

        await Assert.ThrowsAsync<IpnVerificationException>(() => verifier.VerifyAsync(SignedBody(certificateUrl: url)));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void IsTrustedCertificateUrl_FollowsTheOptions()
    {
        var options = new IpnVerifierOptions { AllowHttpOnLoopback = true };
        using var verifier = new IpnVerifier(options);

        Assert.True(verifier.IsTrustedCertificateUrl("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem"));
        Assert.True(verifier.IsTrustedCertificateUrl("https://sns.cn-north-1.amazonaws.com.cn/x.pem"));
        Assert.False(verifier.IsTrustedCertificateUrl("http://sns.eu-west-1.amazonaws.com/x.pem"));
        Assert.False(verifier.IsTrustedCertificateUrl("http://127.0.0.1:8080/ipn/signing-certificate.pem"));
        options.TrustedCertificateHosts.Add("127.0.0.1");
        Assert.True(verifier.IsTrustedCertificateUrl("http://127.0.0.1:8080/ipn/signing-certificate.pem"));
        Assert.False(verifier.IsTrustedCertificateUrl("http://user@127.0.0.1:8080/ipn/signing-certificate.pem"));
    }

    [Fact]
    public async Task VerifyAsync_RefusesAnEnvelopeThatIsNotANotification()
    {
        using var verifier = IpnVerifier.ForCertificate(_certificate);

        await Assert.ThrowsAsync<IpnVerificationException>(() => verifier.VerifyAsync(SignedBody(type: "SubscriptionConfirmation")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("plain text")]
    public async Task VerifyAsync_RefusesABodyThatIsNotAnEnvelope(string body)
    {
        using var verifier = IpnVerifier.ForCertificate(_certificate);

        await Assert.ThrowsAsync<IpnVerificationException>(() => verifier.VerifyAsync(body));
    }

    [Fact]
    public async Task VerifyAsync_RefusesASignedEnvelopeWhoseMessageIsNotANotification()
    {
        using var verifier = IpnVerifier.ForCertificate(_certificate);

        await Assert.ThrowsAsync<IpnVerificationException>(() => verifier.VerifyAsync(SignedBody(message: "{\"hello\":1}")));
    }
}
