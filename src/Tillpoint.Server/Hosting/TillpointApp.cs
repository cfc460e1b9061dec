using Tillpoint.Server.Api;
using Tillpoint.Server.Checkout;
using Tillpoint.Server.Dashboard;
using Tillpoint.Server.Docs;
using Tillpoint.Server.Ipn;
using Tillpoint.Server.Operator;
using Tillpoint.Server.Signing;
using Tillpoint.Server.Throttling;

namespace Tillpoint.Server.Hosting;

/// <summary>Builds the one process that serves the API, the hosted pages, the dashboard and health checks.</summary>
internal static class TillpointApp
{
    public static WebApplication Build(ServerOptions options, IIdGenerator? ids = null, string[]? args = null)
    {
        // The data folder holds the database, the certificate's private key and the data-protection keys: made here,
        // before anything writes into it, it is owner-only whichever store is used.
        OwnerOnly.CreateFolder(options.DataDirectory);
        var startup = StartupWork.Begin(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Not the working directory: the data folder usually sits inside it, and ASP.NET's configuration watcher
            // would wake on every database write.
            ContentRootPath = AppContext.BaseDirectory,
            Args = [.. args ?? [], "--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.AddServerLogs(options.LogFormat);
        builder.WebHost.UseTillpointKestrel(options, startup.Tls);

        builder.Services.AddSingleton(options);
        builder.Services.AddTillpointStore(options, startup);
        builder.Services.AddObservability();
        builder.Services.AddApiReference();
        builder.Services.AddRequestSigning();
        builder.Services.AddMerchantApi(ids ?? new RandomIdGenerator(options.Random));
        builder.Services.AddApiGate(options);
        builder.Services.AddBusinessTime(options);
        builder.Services.AddIpn();
        builder.Services.AddDashboard();
        builder.Services.AddHostedPageProtection(options);
        builder.Services.AddHostedPages();

        var app = builder.Build();
        app.Use(new UnreadRequestBodies(options.SignatureClock).KeepConnectionUsableAsync);
        app.Use(RequestIds.HandleAsync);
        // HSTS on HTTPS answers, except to localhost and loopback addresses (UseHsts's default): a browser applies it to
        // every port of the host, and would then refuse the plain-HTTP listener that local set-ups open the pages on.
        app.UseHsts();
        app.Use(HostedPageHeaders.SetAsync);
        app.Use(ApiReference.ViewerHeadersAsync);

        app.MapObservability(options);
        app.MapApiReference();
        app.MapMerchantApi();
        app.MapReportDownloads();
        app.MapEvidenceFileUploads();
        app.MapCheckout();
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

        app.StartObservability();
    }
}
