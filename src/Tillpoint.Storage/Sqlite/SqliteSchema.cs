using Microsoft.Data.Sqlite;
using Tillpoint.Storage.Relational;

namespace Tillpoint.Storage.Sqlite;

/// <summary>Versioned migrations, applied in order at start-up inside one transaction each.</summary>
internal static class SqliteSchema
{
    /// <summary>One script per version, rendered from the schema of <see cref="RelationalSchema"/>.</summary>
    private static readonly string[] Migrations = RelationalSchema.Migrations(SqliteDialect.Instance);

    public static int LatestVersion => Migrations.Length;

    /// <summary>Migrates to the latest version; returns the versions it applied, in order.</summary>
    public static IReadOnlyList<int> Migrate(SqliteConnection connection) => Migrate(connection, LatestVersion);

    /// <summary>Migrates up to <paramref name="targetVersion"/> only, so tests can build a database of an older version.</summary>
    internal static IReadOnlyList<int> Migrate(SqliteConnection connection, int targetVersion)
    {
        var applied = new List<int>();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, LatestVersion);
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
        for (var version = CurrentVersion(connection) + 1; version <= targetVersion; version++)
        {
            // IMMEDIATE takes the write lock first, so two processes starting together cannot both apply a migration.
            using var transaction = connection.BeginTransaction(deferred: false);
            if (CurrentVersion(connection) >= version)
            {
                continue;
            }

            Execute(connection, Migrations[version - 1]);
            using var record = connection.CreateCommand();
            record.CommandText = "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, unixepoch())";
            record.Parameters.AddWithValue("$v", version);
            record.ExecuteNonQuery();
            transaction.Commit();
            applied.Add(version);
        }

        return applied;
    }

    private static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
