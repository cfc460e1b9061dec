using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tillpoint.Server.Ipn;

internal static class IpnServices
{
    /// <summary>The dispatcher (a hosted service, one per node) and what it needs.</summary>
    public static IServiceCollection AddIpn(this IServiceCollection services)
    {
        services.TryAddSingleton<IpnSigner>();
        services.AddSingleton<IpnDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<IpnDispatcher>());
        return services;
    }
}
