using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>The exporter's delayed start, timed on the clock it is given rather than on real seconds.</summary>
[Collection(nameof(MetricsCollection))]
public sealed class MetricsExportTests
{
    [Fact]
    public async Task Start_ListensOnlyOnceItsClockHasPassedTheStartDelay()
    {
        var clock = new FakeTimeProvider();
        await using var services = new ServiceCollection().BuildServiceProvider();
        var export = new MetricsExport(services, clock);

        var starting = export.StartAsync();
        // Real time passing the delay starts nothing: only the given clock counts.
        await Task.Delay(MetricsExport.StartDelay + TimeSpan.FromMilliseconds(500));
        clock.Advance(MetricsExport.StartDelay - TimeSpan.FromMilliseconds(1));
        Assert.False(starting.IsCompleted);
        Assert.False(export.IsListening);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await starting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(export.IsListening);
    }
}
