using Npgsql;
using Tillpoint.Storage.Postgres;

namespace Tillpoint.Storage.Tests;

/// <summary>What only the PostgreSQL store has: a connection string, a server that may be away, aborted transactions.</summary>
public sealed class PostgresStoreTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public void Open_WithoutAConnectionString_Throws()
    {
        Assert.ThrowsAny<ArgumentException>(() => TillpointStores.Open(new StoreOptions { Kind = StoreKind.Postgres }));
    }

    [Theory]
    [InlineData("Hots=127.0.0.1")]
    [InlineData("Host=127.0.0.1;Port=many")]
    public void ConnectionStringError_OfAMalformedConnectionString_SaysWhy(string connectionString)
    {
        Assert.False(string.IsNullOrWhiteSpace(PostgresStore.ConnectionStringError(connectionString)));
    }

    [Fact]
    public void ConnectionStringError_OfAGoodConnectionString_IsNull()
    {
        Assert.Null(PostgresStore.ConnectionStringError("Host=db.example;Port=5432;Database=tillpoint;Username=tillpoint;SSL Mode=Require"));
    }

    [Fact]
    public void Open_WithNoServerListening_ThrowsTheDriversError()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var options = new StoreOptions { Kind = StoreKind.Postgres, ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=5" };

        Assert.IsAssignableFrom<NpgsqlException>(Record.Exception(() => TillpointStores.Open(options)));
    }

    [SkippableFact]
    public async Task WriteAsync_ACommandThatGoesOnAfterADatabaseError_FailsAndStoresNothing()
    {
        using var harness = new PostgresHarness(database);
        using var store = harness.Open();
        await store.WriteAsync(w => w.Save(Objects.Session("cs-1")));

        // PostgreSQL aborts the transaction at the first error; the command swallowing it must not look committed. The
        // failing insert is held until the command's next statement, the read, which is where the error comes back.
        var write = store.WriteAsync(w =>
        {
            w.Save(Objects.Session("cs-2"));
            return Record.Exception(() =>
            {
                w.Save(Objects.Session("cs-1"));
                w.FindCheckoutSession("cs-1");
            });
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => write);
        Assert.Contains("rolled", error.Message, StringComparison.Ordinal);
        Assert.Null(store.Read(r => r.FindCheckoutSession("cs-2")));
    }
}
