using System.Net.Security;

namespace Tillpoint.Server.Hosting;

/// <summary>Start-up work done in parallel with building the host.</summary>
internal sealed record StartupWork(Task<ITillpointStore> Store, Task<SslServerAuthenticationOptions>? Tls)
{
    /// <summary>
    /// The store (native SQLite or a PostgreSQL connection, migrations) and the TLS context (certificate chain) take a
    /// good part of a start; they are prepared on the other core while the host is built. Requests wait for them;
    /// <see cref="TillpointApp.StartAsync"/> checks them.
    /// </summary>
    public static StartupWork Begin(ServerOptions options) => new(
        Task.Run(() => TillpointStores.Open(options.StoreOptions)),
        options.Urls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
            ? Task.Run(() => Certificates.ServerAuthentication(options, options.SignatureClock))
            : null);
}

internal static class StoreServices
{
    /// <summary>The store being opened by <paramref name="startup"/>, timed only when the metrics are read.</summary>
    public static IServiceCollection AddTillpointStore(this IServiceCollection services, ServerOptions options, StartupWork startup)
    {
        services.AddSingleton(startup);
        // Timed only when the metrics are read: otherwise the wrapper would add a state machine to every write for nothing.
        services.AddSingleton<ITillpointStore>(_ => options.MetricsAccess == MetricsAccess.Off
            ? startup.Store.GetAwaiter().GetResult()
            : new MeasuredStore(startup.Store.GetAwaiter().GetResult()));
        return services;
    }
}
