using System.Net.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Tillpoint.Domain;
using Tillpoint.Server.Api;
using Tillpoint.Server.Checkout;
using Tillpoint.Server.Docs;
using Tillpoint.Server.Ipn;
using Tillpoint.Server.Dashboard;
using Tillpoint.Server.Operator;
using Tillpoint.Server.Signing;
using Tillpoint.Storage;

namespace Tillpoint.Server.Hosting;

/// <summary>Builds the one process that serves the API, the hosted pages and health checks.</summary>
internal static class TillpointApp
{
    public const string RequestIdHeader = "x-amz-pay-request-id";

    public static WebApplication Build(ServerOptions options, IIdGenerator? ids = null, string[]? args = null)
    {
        // The data folder holds the database, the certificate's private key and the data-protection keys: made here,
        // before anything writes into it, it is owner-only whichever store is used.
        OwnerOnly.CreateFolder(options.DataDirectory);
        // The store (native SQLite or a PostgreSQL connection, migrations) and the TLS context (certificate chain) take a
        // good part of a start; they are prepared on the other core while the host is built. Requests wait for them;
        // StartAsync checks them.
        var startup = new StartupWork(
            Task.Run(() => TillpointStores.Open(options.StoreOptions)),
            options.Urls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
                ? Task.Run(() => Certificates.ServerAuthentication(options, options.SignatureClock))
                : null);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Not the working directory: the data folder usually sits inside it, and ASP.NET's configuration watcher
            // would wake on every database write.
            ContentRootPath = AppContext.BaseDirectory,
            Args = [.. args ?? [], "--hostBuilder:reloadConfigOnChange=false"],
        });
        ServerLogs.Configure(builder.Logging, options.LogFormat);

        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxRequestBodyBytes, 1024 * 1024);
            foreach (var url in options.Urls)
            {
                Listen(kestrel, url, startup.Tls);
            }
        });

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(startup);
        builder.Services.AddSingleton<MetricsExport>();
        // Timed only when the metrics are read: otherwise the wrapper would add a state machine to every write for nothing.
        builder.Services.AddSingleton<ITillpointStore>(_ => options.MetricsAccess == MetricsAccess.Off
            ? startup.Store.GetAwaiter().GetResult()
            : new MeasuredStore(startup.Store.GetAwaiter().GetResult()));
        builder.Services.AddHealthChecks().AddCheck<StoreReadinessCheck>("store", timeout: TimeSpan.FromSeconds(5));
        builder.Services.AddApiReference();
        builder.Services.AddSingleton(ids ?? RandomIdGenerator.Instance);
        builder.Services.AddSingleton<PublicKeyCache>();
        builder.Services.AddSingleton<SignatureAuthenticator>();
        builder.Services.AddSingleton<ApiServices>();
        builder.Services.AddSingleton<ApiOperations>();
        builder.Services.AddSingleton(services =>
        {
            var clocks = new BusinessClocks(options.Clock, services.GetRequiredService<ITillpointStore>(), options.ClockOffsetRefresh);
            clocks.Load();
            return clocks;
        });
        builder.Services.AddSingleton<IpnSigner>();
        builder.Services.AddSingleton<DueWorkSweeper>();
        builder.Services.AddHostedService<StartedAfterListening<DueWorkSweeper>>();
        builder.Services.AddIpn();
        builder.Services.AddDashboard();
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "tillpoint_antiforgery";
            antiforgery.Cookie.Path = "/";
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("Tillpoint");
        if (options.Store == StoreKind.Postgres)
        {
            // Nodes sharing a database share the key ring through it; one node alone keeps it in its data folder.
            builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services => new ConfigureOptions<KeyManagementOptions>(
                keys => keys.XmlRepository = new StoreXmlRepository(services.GetRequiredService<ITillpointStore>())));
        }
        else
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys")));
        }

        // Data protection loads (on a fresh data folder: creates) its key ring in a hosted service before Kestrel listens;
        // only the hosted pages and the dashboard use it. Without that service the first of them loads it instead, and
        // every start answers its first request 30-40 ms sooner (docs/benchmarks.md).
        var keyRingWarmUp = builder.Services.FirstOrDefault(service => service.ServiceType == typeof(IHostedService)
            && service.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
        if (keyRingWarmUp is not null)
        {
            builder.Services.Remove(keyRingWarmUp);
        }

        var app = builder.Build();
        app.Use(new UnreadRequestBodies(options.SignatureClock).KeepConnectionUsableAsync);
        app.Use(RequestIdAsync);
        // HSTS on HTTPS answers, except to localhost and loopback addresses (UseHsts's default): a browser applies it to
        // every port of the host, and would then refuse the plain-HTTP listener that local set-ups open the pages on.
        app.UseHsts();
        app.Use(HostedPageHeadersAsync);
        app.Use(ApiReference.ViewerHeadersAsync);
        app.MapGet("/healthz", (ITillpointStore store) =>
        {
            store.Read(reader => reader.ListMerchants().Count);
            return Results.Text("ok");
        });
        StoreReadinessCheck.Map(app);
        MetricsExport.Map(app, options);
        app.MapApiReference();
        app.MapMerchantApi();
        app.MapCheckoutButton();
        app.MapFavicon();
        app.MapHostedCheckout();
        app.MapHostedSignIn();
        app.MapOperator();
        app.MapIpnCertificate();
        app.MapDashboard();

        return app;
    }

    /// <summary>
    /// Starts listening and waits until the store and the TLS context are ready, so a bad database, certificate
    /// path or password fails the start instead of the first request.
    /// </summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        var startup = app.Services.GetRequiredService<StartupWork>();
        try
        {
            await app.StartAsync(cancellationToken);
            await startup.Store;
            // Resolved through the container, which then owns it: it is disposed (queued writes finished) on shutdown
            // even if no request ever used it.
            app.Services.GetRequiredService<ITillpointStore>();
            if (startup.Tls is not null)
            {
                await startup.Tls;
            }
        }
        catch when (!startup.Store.IsFaulted)
        {
            // The background services that did start are stopped as on any shutdown: disposed while still running, they
            // would end with an exception the host logs as a Critical failure of a service that never did any work. (When
            // the store could not be opened, the host created none of them: they all need it.)
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await app.StopAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Still stopping after 5 s: the failure to start is what the caller reports, not this.
            }

            throw;
        }

        if (app.Services.GetRequiredService<ServerOptions>().MetricsAccess != MetricsAccess.Off)
        {
            app.Services.GetRequiredService<MetricsExport>().Start();
        }
    }

    /// <summary>
    /// Every response carries a request id (the Java SDK fails without one), and so does the request's log line; an
    /// unexpected failure becomes a JSON 500 instead of an empty body.
    /// </summary>
    private static async Task RequestIdAsync(HttpContext context, RequestDelegate next)
    {
        var requestId = Guid.NewGuid().ToString("N");
        context.Response.Headers[RequestIdHeader] = requestId;
        var logger = context.RequestServices.GetRequiredService<ILogger<RequestLog>>();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await next(context);
            var status = context.Response.StatusCode;
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            // Refusals are what a developer looks for; successes are logged only when asked for (Debug).
            if (status >= 400)
            {
                RequestLog.Refused(logger, context.Request.Method, context.Request.Path, status, elapsed, requestId);
            }
            else
            {
                RequestLog.Served(logger, context.Request.Method, context.Request.Path, status, elapsed, requestId);
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // The client's framing, not a fault here: a body cut short, broken chunks, over Kestrel's size limit, too slow.
            RequestLog.Refused(
                logger, context.Request.Method, context.Request.Path, e.StatusCode,
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, requestId);
            context.Response.Clear();
            context.Response.Headers[RequestIdHeader] = requestId;
            var body = Errors.ApiErrors.Body(new DomainError(ErrorCode.InvalidRequest, e.Message));
            context.Response.StatusCode = e.StatusCode;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            RequestLog.Failed(logger, e, context.Request.Method, context.Request.Path, requestId);
            context.Response.Clear();
            context.Response.Headers[RequestIdHeader] = requestId;
            await Errors.ApiErrors.WriteAsync(
                context, new DomainError(ErrorCode.InternalServerError, $"An unexpected error occurred; request id {requestId}."));
        }
    }

    /// <summary>The hosted pages load nothing from elsewhere and must not be framed.</summary>
    private static Task HostedPageHeadersAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/checkout") || context.Request.Path.StartsWithSegments("/signin")
            || context.Request.Path.StartsWithSegments("/dashboard"))
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https: http:; frame-ancestors 'none'; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // What anti-forgery sets anyway; set first, it does not log a warning for every page it overrides.
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
        }

        return next(context);
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

/// <summary>Start-up work done in parallel with building the host.</summary>
internal sealed record StartupWork(Task<ITillpointStore> Store, Task<SslServerAuthenticationOptions>? Tls);

/// <summary>
/// One line per request carrying its request id as a field (a logging scope per request would cost every request an
/// allocation, logged or not).
/// </summary>
internal sealed partial class RequestLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms ({RequestId})")]
    public static partial void Served(ILogger logger, string method, PathString path, int statusCode, double elapsedMs, string requestId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Path} refused with {StatusCode} in {ElapsedMs:0.0} ms ({RequestId})")]
    public static partial void Refused(ILogger logger, string method, PathString path, int statusCode, double elapsedMs, string requestId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "{Method} {Path} failed unexpectedly ({RequestId})")]
    public static partial void Failed(ILogger logger, Exception exception, string method, PathString path, string requestId);
}
