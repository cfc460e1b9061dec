using Microsoft.Extensions.Time.Testing;
using Tillpoint.Domain;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>Two nodes sharing one database: how long one node's advance of the sandbox clock takes to show on the other.</summary>
public sealed class BusinessClocksTests : IDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    private readonly TestStorage _storage = TestStorage.Create();
    private readonly ITillpointStore _store;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public BusinessClocksTests() => _store = TillpointStores.Open(_storage.Apply(new ServerOptions { DataDirectory = "" }).StoreOptions);

    [Fact]
    public async Task AnotherNodesAdvance_ShowsOnceTheCopyIsOlderThanTheRefresh_AndNotBefore()
    {
        var here = Node();
        var there = Node();

        await there.AdvanceSandboxAsync(TimeSpan.FromDays(2), TimeSpan.FromDays(365), CancellationToken.None);
        _clock.Advance(Refresh - TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.Zero, here.SandboxOffset);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromDays(2), here.SandboxOffset);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromDays(2), here.Now(ReleaseEnvironment.Sandbox));
        Assert.Equal(_clock.GetUtcNow(), here.Now(ReleaseEnvironment.Live));
    }

    [Fact]
    public async Task OwnAdvance_ShowsAtOnce()
    {
        var here = Node();

        Assert.Equal(TimeSpan.FromHours(3), await here.AdvanceSandboxAsync(TimeSpan.FromHours(3), TimeSpan.FromDays(1), CancellationToken.None));

        Assert.Equal(TimeSpan.FromHours(3), here.SandboxOffset);
    }

    public void Dispose()
    {
        _store.Dispose();
        _storage.Dispose();
    }

    private BusinessClocks Node()
    {
        var clocks = new BusinessClocks(_clock, _store, Refresh);
        clocks.Load();
        return clocks;
    }
}
