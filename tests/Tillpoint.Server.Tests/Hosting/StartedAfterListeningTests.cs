using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Tests.Hosting;

public sealed class StartedAfterListeningTests
{
    [Fact]
    public async Task BackgroundService_IsBuiltAndStartedOnlyOnceTheServerAcceptsConnections()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<Probe>();
        builder.Services.AddHostedService<StartedAfterListening<Probe>>();
        await using var app = builder.Build();

        await app.StartAsync();
        var probe = app.Services.GetRequiredService<Probe>();

        Assert.True(probe.Started);
        Assert.True(probe.ServerAcceptedWhenStarted, "the server did not accept connections when the service was started");
        await app.StopAsync();
        Assert.True(probe.Stopped);
    }

    [Fact]
    public async Task BackgroundService_IsNeverBuiltWhenTheServerCannotListen()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var built = false;
        builder.Services.AddSingleton(services =>
        {
            built = true;
            return new Probe(services);
        });
        builder.Services.AddHostedService<StartedAfterListening<Probe>>();
        await using var app = builder.Build();

        await Assert.ThrowsAnyAsync<IOException>(() => app.StartAsync());

        Assert.False(built);
    }

    private sealed class Probe(IServiceProvider services) : IHostedService
    {
        public bool Started { get; private set; }

        public bool Stopped { get; private set; }

        public bool ServerAcceptedWhenStarted { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            var address = new Uri(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            try
            {
                using var client = new TcpClient();
                client.Connect(address.Host, address.Port);
                ServerAcceptedWhenStarted = true;
            }
            catch (SocketException)
            {
                ServerAcceptedWhenStarted = false;
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Stopped = true;
            return Task.CompletedTask;
        }
    }
}
