using Tillpoint.Storage.Sqlite;

namespace Tillpoint.Storage.Tests;

public sealed class SettingTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SqliteStore _store;

    public SettingTests() => _store = _dir.Open();

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void GetSetting_NeverPut_IsNull()
    {
        Assert.Null(_store.Read(r => r.GetSetting("sandbox.clock-offset")));
    }

    [Fact]
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
        Assert.Equal(2, _dir.Scalar("SELECT count(*) FROM settings"));
    }

    [Fact]
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

    [Fact]
    public async Task PutSetting_SurvivesReopeningTheStore()
    {
        await _store.WriteAsync(w =>
        {
            w.PutSetting("k", "v");
            return 0;
        });
        _store.Dispose();

        using var reopened = _dir.Open();

        Assert.Equal("v", reopened.Read(r => r.GetSetting("k")));
    }
}
