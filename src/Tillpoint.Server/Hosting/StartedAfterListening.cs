namespace Tillpoint.Server.Hosting;

/// <summary>
/// Builds and starts a background service once the host has started, that is once Kestrel listens, instead of before.
/// ASP.NET starts the hosted services an application adds before its web server, and ours need the opened store, the
/// business clocks' first query and an HTTP client, none of which the first request waits for. A start that fails (a
/// port in use) never builds them.
/// </summary>
internal sealed class StartedAfterListening<T>(IServiceProvider services) : IHostedLifecycleService
    where T : IHostedService
{
    private T? _service;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _service = services.GetRequiredService<T>();
        return _service.StartAsync(cancellationToken);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => _service?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
