using System.Security.Cryptography;
using Npgsql;
using Tillpoint.Storage;

namespace Tillpoint.Testing;

/// <summary>
/// A test server's state, gone when disposed: a temporary data folder (the HTTPS certificate, the data-protection
/// keys and, with SQLite, the database), and with PostgreSQL a new schema of the given database.
/// </summary>
internal sealed class EphemeralStorage : IDisposable
{
    private EphemeralStorage(string? connectionString)
    {
        ConnectionString = connectionString;
        DataDirectory = Directory.CreateTempSubdirectory("tillpoint-testing-").FullName;
    }

    public string DataDirectory { get; }

    /// <summary>The schema's connection string (its search path is the schema alone); null with SQLite.</summary>
    public string? ConnectionString { get; }

    public StoreKind Kind => ConnectionString is null ? StoreKind.Sqlite : StoreKind.Postgres;

    public static EphemeralStorage Create(string? postgresConnectionString) =>
        new(postgresConnectionString is null ? null : CreateSchema(postgresConnectionString));

    public void Dispose()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file the OS still holds open; the folder is a temporary one.
        }

        if (ConnectionString is not null)
        {
            var schema = new NpgsqlConnectionStringBuilder(ConnectionString).SearchPath;
            Execute(ConnectionString, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    /// <summary>
    /// A new schema, and a connection string whose search path is that schema alone: the store sees only its own
    /// tables, so servers sharing one database never see each other's state.
    /// </summary>
    private static string CreateSchema(string connectionString)
    {
        var schema = "tillpoint_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        Execute(connectionString, $"CREATE SCHEMA {schema}");
        return new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
    }

    private static void Execute(string connectionString, string sql)
    {
        // Unpooled: administrative statements are rare and must not keep sessions open.
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
