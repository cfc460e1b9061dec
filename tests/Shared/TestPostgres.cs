using System.Security.Cryptography;
using Npgsql;

namespace Tillpoint.Testing;

/// <summary>
/// The PostgreSQL server tests may use: a connection string in <c>TILLPOINT_TEST_POSTGRES</c> to a server where they
/// may create databases. Without one, PostgreSQL tests are skipped with a message saying so, except in CI
/// (<c>CI=true</c>), where a missing component is a failure.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "TILLPOINT_TEST_POSTGRES";

    public const string NotRunMessage =
        "Did not run: no PostgreSQL to test against. Set " + Variable + " to a connection string of a server where the tests may " +
        "create databases, e.g. Host=127.0.0.1;Port=5432;Username=postgres (see the README, Tests).";

    /// <summary>Test stores stay small, so that parallel test classes never run the server out of connections.</summary>
    private const int MaxPoolSize = 16;

    public static string? ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } connectionString ? connectionString : null;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The server's connection string; skips the test (locally) or fails it (in CI) when there is none.</summary>
    public static string RequireServer()
    {
        if (ServerConnectionString is { } connectionString)
        {
            return connectionString;
        }

        if (InCi)
        {
            throw new InvalidOperationException(
                $"CI=true but {Variable} is not set: the PostgreSQL tests cannot run, and in CI that is a failure. ./test.sh starts a throwaway server for them.");
        }

        throw new SkipException(NotRunMessage);
    }

    /// <summary>A fresh database on the test server, for one test class or one test run; dropped when disposed.</summary>
    public static TestDatabase CreateDatabase()
    {
        var server = RequireServer();
        var name = "tillpoint_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        using (var connection = new NpgsqlConnection(Admin(server)))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }

        return new TestDatabase(server, name, new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = MaxPoolSize }.ConnectionString);
    }

    /// <summary>The server connection without pooling: administrative statements are rare and must not keep sessions open.</summary>
    internal static string Admin(string server) => new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString;
}

/// <summary>A database of the test server that belongs to one owner and is dropped with it.</summary>
internal sealed class TestDatabase(string server, string name, string connectionString) : IDisposable
{
    private int _disposed;

    public string Name => name;

    /// <summary>Connects to this database (pooled, with a small pool).</summary>
    public string ConnectionString => connectionString;

    /// <summary>
    /// A new, empty schema in this database, and a connection string whose search path is that schema alone: a store opened
    /// with it sees only its own tables, which is how one database gives every test isolated data cheaply.
    /// </summary>
    public string CreateSchema()
    {
        var schema = "s_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        Execute($"CREATE SCHEMA {schema}");
        return new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
    }

    /// <summary>Drops the schema a <see cref="CreateSchema"/> connection string points at.</summary>
    public void DropSchema(string schemaConnectionString)
    {
        var schema = new NpgsqlConnectionStringBuilder(schemaConnectionString).SearchPath;
        if (schema is { Length: > 0 })
        {
            Execute($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    /// <summary>Runs a scalar query on a connection of its own, outside any store.</summary>
    public static long Scalar(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // FORCE ends sessions still open on it, such as those of a store a failing test never disposed.
        using var connection = new NpgsqlConnection(TestPostgres.Admin(server));
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
