using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography.X509Certificates;
using Tillpoint.Client.Notifications;
using Tillpoint.Domain;
using Tillpoint.Protocol.Notifications;
using Tillpoint.Server.Ipn;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Ipn;

public sealed class IpnSigningTests
{
    private static IpnMessage ChargeMessage(string merchantId) => new(
        merchantId, IpnObjectTypes.Charge, "S01-1111111-2222222-C000001", "S01-1111111-2222222",
        IpnMessage.StateChange, Guid.NewGuid().ToString(), IpnMessage.Version2);

    [Fact]
    public async Task SignedEnvelope_VerifiesWithTheCertificateTheServerServes()
    {
        await using var host = await TillpointHost.StartAsync();
        var signer = host.Services.GetRequiredService<IpnSigner>();

        var envelope = await signer.SignAsync("A2EXAMPLE1234", ReleaseEnvironment.Sandbox, ChargeMessage("A2EXAMPLE1234"), TillpointHost.Start);

        Assert.Equal("arn:tillpoint:sns:local:A2EXAMPLE1234:ipn-sandbox", envelope.TopicArn);
        Assert.Equal("2026-11-27T12:00:00.000Z", envelope.Timestamp);
        var certificateUrl = new Uri(envelope.SigningCertURL);
        Assert.Equal(IpnSigner.CertificatePath, certificateUrl.AbsolutePath);
        using var http = host.Browser();
        var response = await http.GetAsync(certificateUrl);
        Assert.Equal("application/x-pem-file", response.Content.Headers.ContentType?.MediaType);
        using var certificate = X509Certificate2.CreateFromPem(await response.Content.ReadAsStringAsync());
        using var verifier = IpnVerifier.ForCertificate(certificate);
        var notification = await verifier.VerifyAsync(envelope.ToJson());
        Assert.Equal("S01-1111111-2222222-C000001", notification.Message.ObjectId);
    }

    [Fact]
    public async Task Verifier_FetchesTheCertificateFromTheSigningCertUrlOfALocalServer()
    {
        await using var host = await TillpointHost.StartAsync(options => options with { PublicUrl = null });
        var signer = host.Services.GetRequiredService<IpnSigner>();
        var envelope = await signer.SignAsync("A2EXAMPLE1234", ReleaseEnvironment.Live, ChargeMessage("A2EXAMPLE1234"), TillpointHost.Start);
        using var http = host.Browser();
        var options = new IpnVerifierOptions { HttpClient = http, AllowHttpOnLoopback = true, TrustAmazonSnsHosts = false };
        options.TrustedCertificateHosts.Add(new Uri(envelope.SigningCertURL).Host);
        using var verifier = new IpnVerifier(options);

        var notification = await verifier.VerifyAsync(envelope.ToJson());

        Assert.Equal("arn:tillpoint:sns:local:A2EXAMPLE1234:ipn-live", notification.Envelope.TopicArn);
        var tampered = envelope with { Message = ChargeMessage("A2OTHER").ToJson() };
        await Assert.ThrowsAsync<IpnVerificationException>(() => verifier.VerifyAsync(tampered.ToJson()));
    }

    [Fact]
    public async Task SigningKey_IsSharedThroughTheStoreAndSurvivesARestart()
    {
        var storage = TestStorage.Create();
        string firstPem;
        await using (var first = await TillpointHost.StartAsync(storage, ownsStorage: false))
        {
            firstPem = await first.Services.GetRequiredService<IpnSigner>().CertificatePemAsync();
        }

        await using var second = await TillpointHost.StartAsync(storage, ownsStorage: true);
        Assert.Equal(firstPem, await second.Services.GetRequiredService<IpnSigner>().CertificatePemAsync());
    }

    [Fact]
    public async Task ConfiguredCertificateUrl_IsTheOneEnvelopesCarry()
    {
        var url = new Uri("https://ipn-certs.example.com/tillpoint.pem");
        await using var host = await TillpointHost.StartAsync(options => options with { Ipn = options.Ipn with { CertificateUrl = url } });

        var envelope = await host.Services.GetRequiredService<IpnSigner>()
            .SignAsync("A2EXAMPLE1234", ReleaseEnvironment.Sandbox, ChargeMessage("A2EXAMPLE1234"), TillpointHost.Start);

        Assert.Equal(url.AbsoluteUri, envelope.SigningCertURL);
    }
}
