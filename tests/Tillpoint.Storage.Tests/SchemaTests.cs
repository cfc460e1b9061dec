using Tillpoint.Storage.Sqlite;

namespace Tillpoint.Storage.Tests;

/// <summary>Opening stores: migrations on a new store, reopening, and several stores (nodes) on the same data at once.</summary>
public abstract class SchemaTests(StoreHarness harness) : IDisposable
{
    private static readonly string[] Tables =
    [
        "merchants", "public_keys", "checkout_sessions", "charge_permissions", "charges", "refunds", "events", "idempotency_keys",
        "settings", "delivery_trackers", "merchant_roles", "mws_auth_tokens", "merchant_accounts", "schema_migrations",
    ];

    public void Dispose()
    {
        harness.Dispose();
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public void Open_NewStore_CreatesEveryTableAtTheLatestVersion()
    {
        using (var store = harness.Open())
        {
            Assert.Empty(store.Read(r => r.ListMerchants()));
        }

        foreach (var table in Tables)
        {
            // Fails if the table is missing; a new store's tables hold nothing but the migrations applied.
            Assert.Equal(table == "schema_migrations" ? harness.LatestVersion : 0, harness.Scalar($"SELECT count(*) FROM {table}"));
        }

        Assert.Equal(harness.LatestVersion, harness.Scalar("SELECT max(version) FROM schema_migrations"));
    }

    [SkippableFact]
    public async Task Open_ExistingStoreTwiceInSequence_KeepsSchemaAndData()
    {
        using (var first = harness.Open())
        {
            await first.WriteAsync(w =>
            {
                w.AddMerchant(Objects.Merchant("M1"));
                return w.Save(Objects.Session("cs-1"));
            });
        }

        using (var second = harness.Open())
        {
            Assert.Equal("M1", Assert.Single(second.Read(r => r.ListMerchants())).MerchantId);
            await second.WriteAsync(w => w.Save(Objects.Session("cs-2")));
        }

        using (var third = harness.Open())
        {
            Assert.NotNull(third.Read(r => r.FindCheckoutSession("cs-1")));
            Assert.NotNull(third.Read(r => r.FindCheckoutSession("cs-2")));
        }

        Assert.Equal(harness.LatestVersion, harness.Scalar("SELECT count(*) FROM schema_migrations"));
    }

    [SkippableFact]
    public async Task Open_SeveralStoresAtOnceOnNewData_MigrateOnceAndAllWork()
    {
        // Nodes starting together: each opens (and would migrate) the same new store at the same moment.
        using var starting = new Barrier(6);
        var opening = Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
        {
            starting.SignalAndWait(TimeSpan.FromSeconds(30));
            return harness.Open();
        })).ToArray();
        var stores = await Task.WhenAll(opening);
        try
        {
            var (a, b) = (stores[0], stores[^1]);

            await a.WriteAsync(w => w.Save(Objects.Session("from-a")));
            await b.WriteAsync(w => w.Save(Objects.Session("from-b")));

            Assert.NotNull(b.Read(r => r.FindCheckoutSession("from-a")));
            Assert.NotNull(a.Read(r => r.FindCheckoutSession("from-b")));

            // All write at the same time: each command commits through one store or another, exactly once.
            var writes = Enumerable.Range(0, 60)
                .Select(i => stores[i % stores.Length].WriteAsync(w => w.Save(Objects.Session($"all-{i}"))))
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

        Assert.Equal(62, harness.Scalar("SELECT count(*) FROM checkout_sessions"));
        Assert.Equal(harness.LatestVersion, harness.Scalar("SELECT count(*) FROM schema_migrations"));
    }

    [SkippableFact]
    public async Task Open_SecondStoreWhileTheFirstIsOpen_SeesItsCommits()
    {
        using var first = harness.Open();
        await first.WriteAsync(w => w.Save(Objects.Session("cs-1")));

        using var second = harness.Open();

        Assert.NotNull(second.Read(r => r.FindCheckoutSession("cs-1")));
        await first.WriteAsync(w => w.Save(Objects.Session("cs-2")));
        Assert.NotNull(second.Read(r => r.FindCheckoutSession("cs-2")));
    }
}

public sealed class SqliteSchemaTests() : SchemaTests(new SqliteHarness());

public sealed class PostgresSchemaTests(PostgresDatabaseFixture database) : SchemaTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;

/// <summary>What only the SQLite file has: a folder, and the write-ahead log.</summary>
public sealed class SqliteFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Open_NewFolder_CreatesTheDatabaseFile()
    {
        using (_dir.Open())
        {
            Assert.True(File.Exists(_dir.Options.DatabasePath));
        }

        Assert.Equal(SqliteSchema.LatestVersion, _dir.Scalar("SELECT count(*) FROM schema_migrations"));
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
    public void Open_WithoutADataDirectory_Throws()
    {
        Assert.ThrowsAny<ArgumentException>(() => TillpointStores.Open(new StoreOptions()));
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
