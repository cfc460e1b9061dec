using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Browser.Tests;

/// <summary>A browser test class whose every test gets a Tillpoint server of its own, with one merchant.</summary>
public abstract class ServerWithMerchant : IAsyncLifetime
{
    protected TillpointHost Host { get; private set; } = null!;

    protected TestMerchant Merchant { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TillpointHost.StartAsync();
        Merchant = await Host.CreateMerchantAsync();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
