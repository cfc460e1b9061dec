namespace Tillpoint.Server.Ipn;

internal static class IpnServices
{
    /// <summary>The dispatcher: a hosted service, one per node. The signer is registered with the other singletons.</summary>
    public static IServiceCollection AddIpn(this IServiceCollection services)
    {
        services.AddSingleton<IpnDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<IpnDispatcher>());
        return services;
    }
}
