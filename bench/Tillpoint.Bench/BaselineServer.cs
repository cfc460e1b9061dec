using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Bench;

/// <summary>
/// The bare baseline: a minimal Kestrel app, configured like tillpoint's listener (HTTPS with a self-signed ECDSA
/// P-256 certificate, HTTP/1.1 and HTTP/2 offered, no Server header), with one GET route that serializes a Charge-shaped
/// object with the same source-generated serializer tillpoint uses. No signature check, no store: the difference between
/// this and tillpoint is what tillpoint's own work costs.
/// </summary>
internal static class BaselineServer
{
    public const string ChargePathPrefix = "/v2/charges/";

    public static async Task<int> RunAsync(int port, int httpPort, string certificatePath)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password: null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
            if (httpPort > 0)
            {
                // Plain HTTP for /healthz only, so its start-up can be timed the way tillpoint's is.
                kestrel.Listen(IPAddress.Loopback, httpPort);
            }
        });

        await using var app = builder.Build();
        app.MapGet(ChargePathPrefix + "{chargeId}", context =>
        {
            var charge = SampleCharge((string)context.Request.RouteValues["chargeId"]!);
            var body = JsonSerializer.SerializeToUtf8Bytes(charge, ApiJsonContext.Default.ChargeDto);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        });
        app.MapGet("/healthz", () => Results.Text("ok"));
        await app.RunAsync();
        return 0;
    }

    /// <summary>The same fields, and about the same values, as a seeded Authorized charge that tillpoint returns.</summary>
    public static ChargeDto SampleCharge(string chargeId) => new()
    {
        ChargeId = chargeId,
        ChargeAmount = new Price { Amount = "10.00", CurrencyCode = "USD" },
        ChargePermissionId = chargeId.Length > 8 ? chargeId[..^8] : chargeId,
        CaptureAmount = null,
        RefundedAmount = new Price { Amount = "0.00", CurrencyCode = "USD" },
        SoftDescriptor = Seeder.SoftDescriptor,
        ProviderMetadata = new ProviderMetadataDto(),
        StatusDetails = new StatusDetailsDto { State = "Authorized", LastUpdatedTimestamp = "20250101T000000Z" },
        CreationTimestamp = "20250101T000000Z",
        ExpirationTimestamp = "20250131T000000Z",
        ReleaseEnvironment = "Sandbox",
        MerchantMetadata = new MerchantMetadataDto
        {
            MerchantReferenceId = Seeder.MerchantReferenceId,
            MerchantStoreName = Seeder.MerchantStoreName,
            NoteToBuyer = Seeder.NoteToBuyer,
        },
    };

    /// <summary>Starts this binary again as <c>baseline-server</c> (a separate process, like tillpoint).</summary>
    public static ServerProcess Start(int port, int httpPort, string certificate, string workingDirectory)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The bench's own path is unknown.");
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Run as `dotnet tillpoint-bench.dll`: re-invoke the same way.
            arguments.Add(typeof(BaselineServer).Assembly.Location);
        }

        arguments.AddRange([
            "baseline-server", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--http-port", httpPort.ToString(CultureInfo.InvariantCulture), "--certificate", certificate]);
        return ServerProcess.Start(self, arguments, workingDirectory);
    }

    /// <summary>A self-signed ECDSA P-256 certificate for 127.0.0.1, made the way tillpoint makes its own.</summary>
    public static void WriteCertificate(string pfxPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=Tillpoint bench", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        File.WriteAllBytes(pfxPath, certificate.Export(X509ContentType.Pkcs12));
    }
}
