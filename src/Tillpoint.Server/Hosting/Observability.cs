using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Tillpoint.Server.Hosting;

/// <summary>Who may read <c>/metrics</c>.</summary>
public enum MetricsAccess
{
    /// <summary>Anyone who can reach the server (it listens on loopback unless told otherwise).</summary>
    Open,

    /// <summary>Only with <c>Authorization: Bearer</c> and the operator token.</summary>
    Operator,

    /// <summary>Not served, and nothing is exported.</summary>
    Off,
}

/// <summary>Liveness, readiness and the metrics: what tells an operator or an orchestrator how the server is doing.</summary>
internal static class ObservabilityEndpoints
{
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        // The start-up delay is wall-clock time, like the signature's clock: moving the sandbox clock must not start it.
        services.AddSingleton(provider => new MetricsExport(provider, provider.GetRequiredService<ServerOptions>().SignatureClock));
        services.AddHealthChecks().AddCheck<StoreReadinessCheck>("store", timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    public static void MapObservability(this WebApplication app, ServerOptions options)
    {
        app.MapGet("/healthz", (ITillpointStore store) =>
        {
            store.Read(reader => reader.ListMerchants().Count);
            return Results.Text("ok");
        });
        StoreReadinessCheck.Map(app);
        MetricsExport.Map(app, options);
    }

    /// <summary>Starts exporting the metrics, when they are read at all.</summary>
    public static void StartObservability(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ServerOptions>().MetricsAccess != MetricsAccess.Off)
        {
            _ = app.Services.GetRequiredService<MetricsExport>().StartAsync();
        }
    }
}

/// <summary>
/// The Prometheus endpoint. The OpenTelemetry meter provider is built two seconds after start-up, off the request path
/// (or by the first scrape, whichever comes first), so it adds nothing to the time to the first answer.
/// </summary>
internal sealed class MetricsExport(IServiceProvider services, TimeProvider clock)
{
    public const string Path = "/metrics";

    // One per process, like the instruments (see TillpointMetrics); it lives as long as the process.
    private static readonly Lazy<MeterProvider> Provider = new(() => Sdk.CreateMeterProviderBuilder()
        // Ours, plus the runtime's and Kestrel's built-in meters: they cost nothing per request (observed at scrape
        // time, or counted per connection). ASP.NET's per-request hosting meter is left out: ours covers the API.
        .AddMeter(TillpointMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Server.Kestrel")
        // Every scrape sees the current values; a cached response would hide the last requests from a quick look, and
        // a scrape is cheap.
        .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0)
        .Build());

    internal static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(2);

    private readonly Lazy<RequestDelegate> _scrape = new(() =>
    {
        // The exporter's middleware in a pipeline of its own: mapping it the usual way would build the provider at start-up.
        var pipeline = new ApplicationBuilder(services);
        pipeline.UseOpenTelemetryPrometheusScrapingEndpoint(Provider.Value, _ => true, null, null, null);
        return pipeline.Build();
    });

    /// <summary>
    /// Starts listening to the meters in the background, a moment after start-up: building the provider costs a few
    /// hundred milliseconds of CPU, which would otherwise compete with the first requests on a small machine. A scrape
    /// before then builds it at once.
    /// </summary>
    public async Task StartAsync()
    {
        await Task.Delay(StartDelay, clock);
        try
        {
            _ = _scrape.Value;
        }
        catch (ObjectDisposedException)
        {
            // The server stopped within the delay (tests do); nothing to export.
        }
    }

    /// <summary>Whether the meters are listened to yet.</summary>
    public bool IsListening => _scrape.IsValueCreated;

    public Task ScrapeAsync(HttpContext context) => _scrape.Value(context);

    public static void Map(WebApplication app, ServerOptions options)
    {
        switch (options.MetricsAccess)
        {
            case MetricsAccess.Open:
                app.MapGet(Path, (HttpContext context, MetricsExport export) => export.ScrapeAsync(context));
                break;
            case MetricsAccess.Operator:
                app.MapGet(Path, async (HttpContext context, MetricsExport export) =>
                {
                    if (await Operator.OperatorBearer.AuthorizeAsync(context, "The metrics need 'Authorization: Bearer <operator token>'."))
                    {
                        await export.ScrapeAsync(context);
                    }
                });
                break;
            case MetricsAccess.Off:
                break;
        }
    }
}

/// <summary>
/// Ready when the start-up work (store opened and migrated, TLS context) is done and the store answers a query.
/// </summary>
internal sealed class StoreReadinessCheck(StartupWork startup) : IHealthCheck
{
    public const string Path = "/readyz";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!startup.Store.IsCompleted || startup.Tls is { IsCompleted: false })
        {
            return HealthCheckResult.Unhealthy("Starting: the store or the TLS context is not ready yet.");
        }

        if (startup.Store.IsFaulted || startup.Tls is { IsFaulted: true })
        {
            return HealthCheckResult.Unhealthy("The start-up failed: the store or the TLS context could not be opened.");
        }

        var store = await startup.Store;
        try
        {
            // A point query on the primary key of a small table: it proves a connection and the schema, and costs little.
            await Task.Run(() => store.Read(reader => reader.GetMerchant("readiness-probe")), cancellationToken);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The store does not answer: {e.GetType().Name}: {e.Message}");
        }
    }

    public static void Map(WebApplication app) =>
        app.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteAsync });

    /// <summary>{"status":"Healthy|Unhealthy","checks":{"store":{"status":…,"description":…}}}, 503 when not ready.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", entry.Description);
                json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.ToArray()).AsTask();
    }
}
