using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Shop.Payments;

namespace Tillpoint.Shop.Tests.Units;

public sealed class TillpointTrustTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("tillpoint-shop-trust-").FullName;

    private string PemPath => Path.Combine(_directory, "tillpoint-https.pem");

    [Fact]
    public void PinnedCertificate_IsTrusted_DespiteItsUnknownIssuer()
    {
        using var certificate = SelfSigned();
        File.WriteAllText(PemPath, certificate.ExportCertificatePem());
        var trust = new TillpointTrust(PemPath, new TestClock(Now));

        Assert.True(trust.Validate(certificate, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void AnotherSelfSignedCertificate_IsRefused()
    {
        using var pinned = SelfSigned();
        using var impostor = SelfSigned();
        File.WriteAllText(PemPath, pinned.ExportCertificatePem());
        var trust = new TillpointTrust(PemPath, new TestClock(Now));

        Assert.False(trust.Validate(impostor, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void PinnedCertificate_ForTheWrongHostName_IsRefused()
    {
        using var certificate = SelfSigned();
        File.WriteAllText(PemPath, certificate.ExportCertificatePem());
        var trust = new TillpointTrust(PemPath, new TestClock(Now));

        Assert.False(trust.Validate(certificate, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(trust.Validate(null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void PinnedCertificate_PastItsExpiry_IsRefused()
    {
        using var certificate = SelfSigned();
        File.WriteAllText(PemPath, certificate.ExportCertificatePem());
        var trust = new TillpointTrust(PemPath, new TestClock(Now.AddDays(60)));

        Assert.False(trust.Validate(certificate, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void WithoutAPin_OnlyWhatTheSystemTrustsIsAccepted()
    {
        using var certificate = SelfSigned();
        var missingFile = new TillpointTrust(PemPath, new TestClock(Now));
        var noPin = new TillpointTrust(null, new TestClock(Now));

        Assert.False(missingFile.Validate(certificate, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(noPin.Validate(certificate, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.True(noPin.Validate(certificate, SslPolicyErrors.None));
    }

    [Fact]
    public void ANewCertificateInThePinnedFile_IsPickedUp()
    {
        using var old = SelfSigned();
        using var renewed = SelfSigned();
        File.WriteAllText(PemPath, old.ExportCertificatePem());
        var trust = new TillpointTrust(PemPath, new TestClock(Now));
        Assert.True(trust.Validate(old, SslPolicyErrors.RemoteCertificateChainErrors));

        File.WriteAllText(PemPath, renewed.ExportCertificatePem());
        File.SetLastWriteTimeUtc(PemPath, DateTime.UtcNow.AddMinutes(1));

        Assert.True(trust.Validate(renewed, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(trust.Validate(old, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Like the certificate Tillpoint makes on first run: ECDSA, localhost and 127.0.0.1, 30 days.</summary>
    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
    }
}
