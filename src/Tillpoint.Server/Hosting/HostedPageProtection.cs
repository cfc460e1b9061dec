using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Tillpoint.Server.Hosting;

/// <summary>Anti-forgery and the data-protection key ring behind it: what the hosted pages' and the dashboard's forms need.</summary>
internal static class HostedPageProtection
{
    public static IServiceCollection AddHostedPageProtection(this IServiceCollection services, ServerOptions options)
    {
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "tillpoint_antiforgery";
            antiforgery.Cookie.Path = "/";
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        var dataProtection = services.AddDataProtection().SetApplicationName("Tillpoint");
        if (options.Store == StoreKind.Postgres)
        {
            // Nodes sharing a database share the key ring through it; one node alone keeps it in its data folder.
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(
                keys => keys.XmlRepository = new StoreXmlRepository(provider.GetRequiredService<ITillpointStore>())));
        }
        else
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys")));
        }

        // Data protection loads (on a fresh data folder: creates) its key ring in a hosted service of its own before Kestrel
        // listens; only the hosted pages and the dashboard use it. Without that service the first of them loads it
        // instead, and every start answers its first request 30-40 ms sooner (docs/benchmarks.md). The service is found
        // by the assembly that defines it (its type is not public), so no other hosted service can be taken for it.
        services.RemoveAll(service => service.ServiceType == typeof(IHostedService) && !service.IsKeyedService
            && service.ImplementationType?.Assembly == DataProtectionAssembly);
        return services;
    }

    /// <summary>Where data protection's own services are defined.</summary>
    internal static readonly System.Reflection.Assembly DataProtectionAssembly = typeof(KeyManagementOptions).Assembly;

    private static void RemoveAll(this IServiceCollection services, Func<ServiceDescriptor, bool> match)
    {
        foreach (var service in services.Where(match).ToList())
        {
            services.Remove(service);
        }
    }
}
