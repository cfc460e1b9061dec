using Tillpoint.Storage.Sqlite;

namespace Tillpoint.Storage.Tests;

public sealed class SchemaTests : IDisposable
{
    private static readonly string[] Tables =
    [
        "merchants", "public_keys", "checkout_sessions", "charge_permissions", "charges", "refunds", "events", "idempotency_keys",
        "settings", "delivery_trackers", "schema_migrations",
    ];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Open_NewFolder_CreatesTheDatabaseWithEveryTable()
    {
        using (_dir.Open())
        {
            Assert.True(File.Exists(_dir.Options.DatabasePath));
        }

        foreach (var table in Tables)
        {
            Assert.Equal(1, _dir.Scalar($"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
        }

        Assert.Equal(SqliteSchema.LatestVersion, _dir.Scalar("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(SqliteSchema.LatestVersion, _dir.Scalar("SELECT max(version) FROM schema_migrations"));
    }

    [Fact]
    public void Open_MissingFolder_IsCreated()
    {
        var nested = Path.Combine(_dir.Path, "a", "b");

        using (var store = SqliteStore.Open(new StoreOptions { DataDirectory = nested }))
        {
            Assert.Empty(store.Read(r => r.ListMerchants()));
        }

        Assert.True(File.Exists(Path.Combine(nested, "tillpoint.db")));
    }

    [Fact]
    public void Open_UsesWriteAheadLogging()
    {
        using var store = _dir.Open();

        Assert.Equal("wal", ReadJournalMode());
        Assert.Empty(store.Read(r => r.ListMerchants()));
    }

    [Fact]
    public async Task Open_ExistingDatabaseTwiceInSequence_KeepsSchemaAndData()
    {
        using (var first = _dir.Open())
        {
            await first.WriteAsync(w =>
            {
                w.AddMerchant(Objects.Merchant("M1"));
                return w.Save(Objects.Session("cs-1"));
            });
        }

        using (var second = _dir.Open())
        {
            Assert.Equal("M1", Assert.Single(second.Read(r => r.ListMerchants())).MerchantId);
            await second.WriteAsync(w => w.Save(Objects.Session("cs-2")));
        }

        using (var third = _dir.Open())
        {
            Assert.NotNull(third.Read(r => r.FindCheckoutSession("cs-1")));
            Assert.NotNull(third.Read(r => r.FindCheckoutSession("cs-2")));
        }

        Assert.Equal(SqliteSchema.LatestVersion, _dir.Scalar("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Open_TwoStoresConcurrentlyOnOneNewFolder_BothWork()
    {
        var opening = Enumerable.Range(0, 2).Select(_ => Task.Run(() => _dir.Open())).ToArray();
        var stores = await Task.WhenAll(opening);
        try
        {
            var (a, b) = (stores[0], stores[1]);

            await a.WriteAsync(w => w.Save(Objects.Session("from-a")));
            await b.WriteAsync(w => w.Save(Objects.Session("from-b")));

            Assert.NotNull(b.Read(r => r.FindCheckoutSession("from-a")));
            Assert.NotNull(a.Read(r => r.FindCheckoutSession("from-b")));

            // Both write at the same time: each command commits in one store's transaction or the other's.
            var writes = Enumerable.Range(0, 50)
                .Select(i => (i % 2 == 0 ? a : b).WriteAsync(w => w.Save(Objects.Session($"both-{i}"))))
                .ToArray();
            var saved = await Task.WhenAll(writes);
            Assert.All(saved, s => Assert.Equal(1, s.Version));
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }
        }

        Assert.Equal(52, _dir.Scalar("SELECT count(*) FROM checkout_sessions"));
        Assert.Equal(SqliteSchema.LatestVersion, _dir.Scalar("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Open_SecondStoreWhileTheFirstIsOpen_SeesItsCommits()
    {
        using var first = _dir.Open();
        await first.WriteAsync(w => w.Save(Objects.Session("cs-1")));

        using var second = _dir.Open();

        Assert.NotNull(second.Read(r => r.FindCheckoutSession("cs-1")));
        await first.WriteAsync(w => w.Save(Objects.Session("cs-2")));
        Assert.NotNull(second.Read(r => r.FindCheckoutSession("cs-2")));
    }

    private string ReadJournalMode()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_dir.Options.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        return (string)command.ExecuteScalar()!;
    }
}
