using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Tillpoint.Browser.Tests;

/// <summary>
/// The made-up merchant site <c>https://merchant.example</c> the HTTP suite's helpers return buyers to: a local HTTPS
/// server that the browser reaches through a host-resolver rule, answering every page with where the buyer landed, or
/// with a page a test gave it (<see cref="AddPage"/>).
/// </summary>
public sealed class MerchantSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _pages;

    private MerchantSite(WebApplication app, int port, ConcurrentDictionary<string, string> pages)
    {
        _app = app;
        Port = port;
        _pages = pages;
    }

    public int Port { get; }

    public static async Task<MerchantSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Any appsettings.json that lands in the test output (the shop's does) must not narrow the hosts served.
        builder.Configuration["AllowedHosts"] = "*";
        using var certificate = SelfSigned();
        var pfx = certificate.Export(X509ContentType.Pkcs12);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(
            IPAddress.Loopback, 0, listen => listen.UseHttps(X509CertificateLoader.LoadPkcs12(pfx, null))));
        var app = builder.Build();
        var pages = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        app.Run(context =>
        {
            // Served from this loopback site rather than a browser route: Chromium lets only a page in the loopback
            // address space load Tillpoint's checkout.js from 127.0.0.1.
            if (pages.TryGetValue(context.Request.Path, out var page))
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                return context.Response.WriteAsync(page);
            }

            var url = WebUtility.HtmlEncode($"https://merchant.example{context.Request.Path}{context.Request.QueryString}");
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(
                $"<!doctype html><html lang=\"en\"><title>Merchant</title><h1 id=\"landed\">Back at the merchant</h1><p id=\"url\">{url}</p></html>");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new MerchantSite(app, new Uri(address).Port, pages);
    }

    /// <summary>Serves <paramref name="html"/> at <c>https://merchant.example</c><paramref name="path"/>.</summary>
    public void AddPage(string path, string html) => _pages[path] = html;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=merchant.example", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("merchant.example");
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }
}
