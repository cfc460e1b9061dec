using Npgsql;
using Tillpoint.Storage.Relational;

namespace Tillpoint.Storage.Postgres;

/// <summary>
/// Versioned migrations of the PostgreSQL store, applied at start-up. Nodes that start together take turns: the whole
/// check-and-apply runs in one transaction holding a transaction-level advisory lock, so exactly one node applies each
/// migration and the others find it done. PostgreSQL's DDL is transactional, so a migration that fails leaves nothing.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory lock migrations run under; any 64-bit constant unlikely to be used by another program.</summary>
    private const long MigrationLock = 0x54696c6c706f696e; // "Tillpoin"

    /// <summary>One script per version, rendered from the schema of <see cref="RelationalSchema"/>.</summary>
    private static readonly string[] Migrations = RelationalSchema.Migrations(PostgresDialect.Instance);

    /// <summary>
    /// The name PostgreSQL gives the idempotency keys' primary key: losing a race for a key violates it.
    /// </summary>
    public const string IdempotencyKeyConstraint = "idempotency_keys_pkey";

    public static int LatestVersion => Migrations.Length;

    /// <summary>Migrates to the latest version; returns the versions it applied, in order.</summary>
    public static IReadOnlyList<int> Migrate(NpgsqlConnection connection) => Migrate(connection, LatestVersion);

    /// <summary>Migrates up to <paramref name="targetVersion"/> only, so tests can build a database of an older version.</summary>
    internal static IReadOnlyList<int> Migrate(NpgsqlConnection connection, int targetVersion)
    {
        var applied = new List<int>();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, LatestVersion);
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        // Created under the lock too: two nodes racing on CREATE TABLE IF NOT EXISTS can both miss the table and collide.
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        using (var current = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection))
        {
            for (var version = Convert.ToInt32(current.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) + 1;
                 version <= targetVersion;
                 version++)
            {
                Execute(connection, Migrations[version - 1]);
                using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES ($1)", connection);
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                record.ExecuteNonQuery();
                applied.Add(version);
            }
        }

        transaction.Commit();
        return applied;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
