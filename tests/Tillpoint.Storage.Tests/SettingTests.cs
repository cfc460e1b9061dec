
namespace Tillpoint.Storage.Tests;

public abstract class SettingTests : IDisposable
{
    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected SettingTests(StoreHarness harness)
    {
        _harness = harness;
        _store = harness.Open();
    }

    public void Dispose()
    {
        _store.Dispose();
        _harness.Dispose();
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public void GetSetting_NeverPut_IsNull()
    {
        Assert.Null(_store.Read(r => r.GetSetting("sandbox.clock-offset")));
    }

    [SkippableFact]
    public async Task PutSetting_Twice_KeepsTheLatestValueInOneRow()
    {
        await _store.WriteAsync(w =>
        {
            w.PutSetting("sandbox.clock-offset", "PT0S");
            return 0;
        });
        await _store.WriteAsync(w =>
        {
            w.PutSetting("sandbox.clock-offset", "P30D");
            w.PutSetting("other", "x");
            return 0;
        });

        Assert.Equal("P30D", _store.Read(r => r.GetSetting("sandbox.clock-offset")));
        Assert.Equal("x", _store.Read(r => r.GetSetting("other")));
        Assert.Equal(2, _harness.Scalar("SELECT count(*) FROM settings"));
    }

    [SkippableFact]
    public async Task PutSetting_InsideTheWrite_IsSeenByTheSameWrite()
    {
        var seen = await _store.WriteAsync(w =>
        {
            w.PutSetting("k", "v1");
            w.PutSetting("k", "v2");
            return w.GetSetting("k");
        });

        Assert.Equal("v2", seen);
    }

    [SkippableFact]
    public async Task GetSettings_ReturnsThoseStartingWithThePrefix_InKeyOrder_TakingWildcardsLiterally()
    {
        await _store.WriteAsync(w =>
        {
            w.PutSetting("key:b", "2");
            w.PutSetting("key:a", "1");
            w.PutSetting("key_a", "not mine");
            w.PutSetting("keys", "not mine either");
            w.PutSetting("%:a", "percent");
            return 0;
        });

        Assert.Equal([new("key:a", "1"), new("key:b", "2")], _store.Read(r => r.GetSettings("key:")));
        Assert.Equal([new KeyValuePair<string, string>("%:a", "percent")], _store.Read(r => r.GetSettings("%:")));
        Assert.Empty(_store.Read(r => r.GetSettings("nothing")));
    }

    [SkippableFact]
    public async Task DeleteSetting_RemovesOnlyThatKey_AndSaysWhetherItWasThere()
    {
        await _store.WriteAsync(w =>
        {
            w.PutSetting("gone", "1");
            w.PutSetting("kept", "2");
            return 0;
        });

        var first = await _store.WriteAsync(w => w.DeleteSetting("gone"));
        var again = await _store.WriteAsync(w => w.DeleteSetting("gone"));

        Assert.True(first);
        Assert.False(again);
        Assert.Null(_store.Read(r => r.GetSetting("gone")));
        Assert.Equal("2", _store.Read(r => r.GetSetting("kept")));
    }

    [SkippableFact]
    public async Task ReadAndWriteBack_ThroughSeveralStoresAtOnce_LosesNoUpdate()
    {
        // The sandbox clock's advance: read the offset, add to it, write it back, possibly on several nodes at once.
        using var second = _harness.Open();
        using var third = _harness.Open();
        ITillpointStore[] nodes = [_store, second, third];

        await Task.WhenAll(Enumerable.Range(0, 45).Select(i => Task.Run(() => nodes[i % nodes.Length].WriteAsync(w =>
        {
            var current = int.Parse(w.GetSetting("counter") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            w.PutSetting("counter", (current + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return current;
        }))));

        Assert.Equal("45", _store.Read(r => r.GetSetting("counter")));
    }

    [SkippableFact]
    public async Task PutSetting_SurvivesReopeningTheStore()
    {
        await _store.WriteAsync(w =>
        {
            w.PutSetting("k", "v");
            return 0;
        });
        _store.Dispose();

        using var reopened = _harness.Open();

        Assert.Equal("v", reopened.Read(r => r.GetSetting("k")));
    }
}

public sealed class SqliteSettingTests() : SettingTests(new SqliteHarness());

public sealed class PostgresSettingTests(PostgresDatabaseFixture database) : SettingTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
