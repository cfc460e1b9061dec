using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Tillpoint.Server.Hosting;

/// <summary>Kestrel as <c>tillpoint serve</c> runs it: the listeners of <see cref="ServerOptions.Urls"/>, HTTPS from a context prepared at start-up.</summary>
internal static class TillpointKestrel
{
    public static void UseTillpointKestrel(this ConfigureWebHostBuilder webHost, ServerOptions options, Task<SslServerAuthenticationOptions>? tls)
    {
        webHost.UseKestrelHttpsConfiguration();
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxRequestBodyBytes, 1024 * 1024);
            foreach (var url in options.Urls)
            {
                Listen(kestrel, url, tls);
            }
        });
    }

    private static void Listen(KestrelServerOptions kestrel, string url, Task<SslServerAuthenticationOptions>? tls)
    {
        var uri = new Uri(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
        var https = uri.Scheme == Uri.UriSchemeHttps;
        var address = uri.Host == "localhost" ? System.Net.IPAddress.Loopback : System.Net.IPAddress.Parse(uri.Host.Trim('[', ']'));
        kestrel.Listen(address, uri.Port, listen =>
        {
            // HTTP/2 needs TLS to be negotiated, so plain HTTP is HTTP/1.1 only.
            listen.Protocols = https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            if (https)
            {
                listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = _ => new ValueTask<SslServerAuthenticationOptions>(tls!) });
            }
        });
    }
}
