using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Ipn;

internal static class IpnServices
{
    /// <summary>The signer, and the dispatcher: a hosted service, one per node.</summary>
    public static IServiceCollection AddIpn(this IServiceCollection services)
    {
        services.AddSingleton<IpnSigner>();
        services.AddSingleton<IpnDispatcher>();
        // The wall clock: endpoints are added in real time, whatever the sandbox clock says.
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<ServerOptions>();
            return new IpnAdministration(provider.GetRequiredService<ITillpointStore>(), options.SignatureClock, options.Ipn.AllowedHosts);
        });
        services.AddHostedService<StartedAfterListening<IpnDispatcher>>();
        return services;
    }
}
