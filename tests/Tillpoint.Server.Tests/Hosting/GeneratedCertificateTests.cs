using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tillpoint.Server.Hosting;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>
/// The HTTPS certificate made on first run keeps its private key under a random password, kept beside it owner-only,
/// so that a copy of the PFX alone does not give the key away.
/// </summary>
public sealed class GeneratedCertificateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tillpoint-certificate-").FullName;

    private string PfxPath => Path.Combine(_folder, Certificates.FileName);

    private string PasswordPath => Path.Combine(_folder, Certificates.PasswordFileName);

    private ServerOptions Options => new() { DataDirectory = _folder, SignatureClock = new TestClock(TillpointHost.Start) };

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void FirstRun_ProtectsThePfxWithThePasswordKeptBesideIt()
    {
        using var created = Certificates.Load(Options, Options.SignatureClock);

        Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12FromFile(PfxPath, password: null));
        using var opened = X509CertificateLoader.LoadPkcs12FromFile(PfxPath, File.ReadAllText(PasswordPath).Trim());
        Assert.Equal(created.Thumbprint, opened.Thumbprint);
        Assert.True(opened.HasPrivateKey);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PasswordPath));
        }
    }

    [Fact]
    public void NextRun_LoadsTheSameCertificate()
    {
        using var first = Certificates.Load(Options, Options.SignatureClock);
        using var second = Certificates.Load(Options, Options.SignatureClock);

        Assert.Equal(first.Thumbprint, second.Thumbprint);
    }

    [Fact]
    public void APfxWithoutPassword_FromAnEarlierVersion_IsKeptAndGetsAPassword()
    {
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            using var old = request.CreateSelfSigned(TillpointHost.Start.AddDays(-1), TillpointHost.Start.AddYears(1));
            File.WriteAllBytes(PfxPath, old.Export(X509ContentType.Pkcs12));
        }

        using var unprotected = X509CertificateLoader.LoadPkcs12FromFile(PfxPath, password: null);

        using var loaded = Certificates.Load(Options, Options.SignatureClock);

        Assert.Equal(unprotected.Thumbprint, loaded.Thumbprint);
        Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12FromFile(PfxPath, password: null));
        using var reopened = X509CertificateLoader.LoadPkcs12FromFile(PfxPath, File.ReadAllText(PasswordPath).Trim());
        Assert.Equal(unprotected.Thumbprint, reopened.Thumbprint);
    }

    [Fact]
    public void APfxThatCannotBeOpened_IsMadeAgain()
    {
        using var first = Certificates.Load(Options, Options.SignatureClock);
        File.WriteAllText(PasswordPath, "not-the-password\n");

        using var second = Certificates.Load(Options, Options.SignatureClock);

        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
        using var reopened = X509CertificateLoader.LoadPkcs12FromFile(PfxPath, File.ReadAllText(PasswordPath).Trim());
        Assert.Equal(second.Thumbprint, reopened.Thumbprint);
    }
}
