using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using Tillpoint.Domain;

namespace Tillpoint.Storage.Tests;

/// <summary>
/// The schema a store ends up with, against a snapshot of it taken before the schema was described once for both
/// stores: a new store gets exactly that schema, and so does a store made by the migrations as they shipped (kept under
/// <c>Schema/</c>, one script per version), whatever version it was left at.
/// </summary>
public abstract partial class SchemaSnapshotTests : IDisposable
{
    private readonly List<StoreHarness> _harnesses = [];

    /// <summary>The store's name in the snapshot's file and the shipped scripts' folder.</summary>
    protected abstract string Kind { get; }

    public void Dispose()
    {
        foreach (var harness in _harnesses)
        {
            harness.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected abstract StoreHarness CreateHarness();

    /// <summary>The schema, one line per column, constraint and index, in an order of its own.</summary>
    protected abstract IEnumerable<string> Describe(StoreHarness harness);

    protected abstract DbConnection Connect(StoreHarness harness);

    /// <summary>The table the migrations are recorded in, as each store creates it.</summary>
    protected abstract string SchemaMigrationsTable { get; }

    protected abstract string RecordVersion(int version);

    [SkippableFact]
    public void Open_NewStore_HasTheSchemaOfTheSnapshot()
    {
        var harness = Harness();
        harness.Open().Dispose();

        AssertSnapshot(harness);
    }

    [SkippableFact]
    public void Open_StoreMadeByTheShippedMigrations_KeepsItsSchemaAndAppliesOnlyWhatFollows()
    {
        var shipped = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Schema", Kind), "*.sql").Length;
        Assert.Equal(Harness().LatestVersion, shipped);

        for (var version = 1; version <= shipped; version++)
        {
            var harness = Harness();
            ApplyShipped(harness, version);
            harness.Open().Dispose();

            Assert.Equal(harness.LatestVersion, harness.Scalar("SELECT count(*) FROM schema_migrations"));
            Assert.Equal(version, harness.Scalar($"SELECT count(*) FROM schema_migrations WHERE version <= {version}"));
            AssertSnapshot(harness);
        }
    }

    [SkippableFact]
    public void Open_StoreFromBeforeTheListedColumns_FillsThemFromEachDocument()
    {
        var rich = Objects.RichSession("cs-1");
        var session = rich with { PaymentDetails = rich.PaymentDetails with { ChargeAmount = Objects.Usd(12.34m) } };
        var permission = Objects.Permission("P1") with { AmountLimit = Objects.Usd(0.07m) };
        var charge = Objects.Charge("C1", "P1") with { ChargeAmount = Objects.Usd(1234567.89m), MerchantMetadata = new("order-2", null, null, null) };
        var refund = Objects.Refund("R1", "C1", "P1") with { RefundAmount = Objects.Usd(0.10m) };
        var harness = Harness();
        // The store as it was just before the listed columns: they came with the fifth version before the latest in both stores.
        ApplyShipped(harness, harness.LatestVersion - 6);
        using (var connection = Connect(harness))
        {
            connection.Open();
            Insert(connection, "checkout_sessions", StoredDocuments.CheckoutSession.Write(session), ("checkout_session_id", "cs-1"));
            Insert(connection, "charge_permissions", StoredDocuments.ChargePermission.Write(permission), ("charge_permission_id", "P1"));
            Insert(connection, "charges", StoredDocuments.Charge.Write(charge), ("charge_id", "C1"), ("charge_permission_id", "P1"));
            Insert(connection, "refunds", StoredDocuments.Refund.Write(refund), ("refund_id", "R1"), ("charge_id", "C1"), ("charge_permission_id", "P1"));
        }

        using var store = harness.Open();
        (Money?, string?) Listed(ObjectType type)
        {
            var row = Assert.Single(store.Read(r => r.Browse(new BrowseFilter(type), null, 10)).Rows);
            return (row.Amount, row.MerchantReference);
        }

        Assert.Equal((Objects.Usd(12.34m), "order-1"), Listed(ObjectType.CheckoutSession));
        Assert.Equal((Objects.Usd(0.07m), "order-1"), Listed(ObjectType.ChargePermission));
        Assert.Equal((Objects.Usd(1234567.89m), "order-2"), Listed(ObjectType.Charge));
        Assert.Equal((Objects.Usd(0.10m), null), Listed(ObjectType.Refund));
    }

    /// <summary>An aggregate's row with only the columns it had before the listed ones.</summary>
    private void Insert(DbConnection connection, string table, byte[] document, params (string Column, string Value)[] ids)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO {table} (merchant_id, {string.Join(", ", ids.Select(i => i.Column))}, environment, version, state, created_at, document)
            VALUES ('{Objects.MerchantA}', {string.Join(", ", ids.Select(i => $"'{i.Value}'"))}, 'Sandbox', 1, 'Open', {Time(Times.T0)}, @document)
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@document";
        parameter.Value = document;
        command.Parameters.Add(parameter);
        command.ExecuteNonQuery();
    }

    /// <summary>A time as a literal of the store's time columns.</summary>
    protected abstract string Time(DateTimeOffset time);

    private StoreHarness Harness()
    {
        var harness = CreateHarness();
        _harnesses.Add(harness);
        return harness;
    }

    private void ApplyShipped(StoreHarness harness, int version)
    {
        using var connection = Connect(harness);
        connection.Open();
        Execute(connection, SchemaMigrationsTable);
        for (var v = 1; v <= version; v++)
        {
            Execute(connection, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schema", Kind, $"{v}.sql")));
            Execute(connection, RecordVersion(v));
        }
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void AssertSnapshot(StoreHarness harness)
    {
        var actual = string.Join('\n', Describe(harness)) + "\n";
        var file = Path.Combine(AppContext.BaseDirectory, "Schema", $"{Kind}.schema.txt");
        var expected = File.Exists(file) ? File.ReadAllText(file).ReplaceLineEndings("\n") : string.Empty;
        if (expected != actual)
        {
            // Beside the snapshot in the build output, to compare or, for a new migration, to copy over it.
            File.WriteAllText(file + ".actual", actual);
        }

        Assert.Equal(expected, actual);
    }

    protected static IEnumerable<string> Rows(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row.Append(i == 0 ? string.Empty : " | ").Append(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
            }

            yield return Whitespace().Replace(row.ToString(), " ");
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

public sealed class SqliteSchemaSnapshotTests : SchemaSnapshotTests
{
    protected override string Kind => "sqlite";

    protected override string SchemaMigrationsTable =>
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)";

    protected override StoreHarness CreateHarness() => new SqliteHarness();

    protected override DbConnection Connect(StoreHarness harness) =>
        new SqliteConnection($"Data Source={harness.Options.DatabasePath};Mode=ReadWriteCreate;Pooling=False");

    protected override string RecordVersion(int version) =>
        $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, unixepoch())";

    protected override string Time(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    protected override IEnumerable<string> Describe(StoreHarness harness)
    {
        using var connection = Connect(harness);
        connection.Open();
        return [.. Rows(connection, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")];
    }
}

public sealed class PostgresSchemaSnapshotTests(PostgresDatabaseFixture database) : SchemaSnapshotTests, IClassFixture<PostgresDatabaseFixture>
{
    protected override string Kind => "postgres";

    protected override string SchemaMigrationsTable =>
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";

    protected override StoreHarness CreateHarness() => new PostgresHarness(database);

    protected override DbConnection Connect(StoreHarness harness) => new NpgsqlConnection(harness.Options.ConnectionString);

    protected override string RecordVersion(int version) => $"INSERT INTO schema_migrations (version) VALUES ({version})";

    protected override string Time(DateTimeOffset time) => $"'{time:O}'::timestamptz";

    protected override IEnumerable<string> Describe(StoreHarness harness)
    {
        using var connection = Connect(harness);
        connection.Open();
        string[] rows =
        [
            .. Rows(connection, """
                SELECT 'column', table_name, ordinal_position, column_name, data_type, is_nullable, coalesce(column_default, ''),
                       is_identity, coalesce(identity_generation, '')
                FROM information_schema.columns WHERE table_schema = current_schema()
                ORDER BY table_name, ordinal_position
                """),
            .. Rows(connection, """
                SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
                ORDER BY 2, 3
                """),
            .. Rows(connection, """
                SELECT 'index', tablename, indexname, replace(indexdef, current_schema() || '.', '')
                FROM pg_indexes WHERE schemaname = current_schema()
                ORDER BY 2, 3
                """),
        ];
        return rows;
    }
}
