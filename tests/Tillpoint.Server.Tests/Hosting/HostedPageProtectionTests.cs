using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tillpoint.Server.Hosting;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>The data-protection key ring is loaded by the first form that needs it, not by a hosted service before Kestrel listens.</summary>
public sealed class HostedPageProtectionTests
{
    [Fact]
    public void DataProtection_BringsAKeyRingWarmUpService_ThatTheServerLeavesOut()
    {
        var plain = new ServiceCollection();
        plain.AddDataProtection();
        var server = new ServiceCollection().AddHostedPageProtection(new ServerOptions { DataDirectory = Path.GetTempPath() });

        Assert.Single(plain, IsDataProtectionHostedService);
        Assert.DoesNotContain(server, IsDataProtectionHostedService);
    }

    [Fact]
    public async Task Server_RunsNoDataProtectionHostedService_AndItsFormsStillWork()
    {
        await using var host = await TillpointHost.StartAsync();

        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), service => service.GetType().Assembly == HostedPageProtection.DataProtectionAssembly);
        using var browser = host.Browser();
        using var login = await browser.GetAsync(new Uri("/dashboard/login", UriKind.Relative));
        var page = await login.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("__RequestVerificationToken", page, StringComparison.Ordinal);
    }

    private static bool IsDataProtectionHostedService(ServiceDescriptor service) =>
        service.ServiceType == typeof(IHostedService) && service.ImplementationType?.Assembly == HostedPageProtection.DataProtectionAssembly;
}
