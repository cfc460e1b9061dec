using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Support;

/// <summary>
/// Where a test server keeps its state: a temp data folder (certificate, data-protection keys, and the SQLite file), and
/// with PostgreSQL a schema of its own in the test run's database. <c>TILLPOINT_TEST_STORE=postgres</c> runs the
/// whole suite on PostgreSQL (<c>TILLPOINT_TEST_POSTGRES</c> names the server); the default is SQLite.
/// </summary>
public sealed class TestStorage : IDisposable
{
    public const string StoreVariable = "TILLPOINT_TEST_STORE";

    private readonly bool _ownsSchema;

    private TestStorage(StoreKind kind, string? connectionString, bool ownsSchema)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _ownsSchema = ownsSchema;
        DataDirectory = Directory.CreateTempSubdirectory("tillpoint-test-").FullName;
    }

    public StoreKind Kind { get; }

    public string DataDirectory { get; }

    /// <summary>The PostgreSQL connection string (its search path is this storage's schema); null with SQLite.</summary>
    public string? ConnectionString { get; }

    /// <summary>The store the suite runs on, from <c>TILLPOINT_TEST_STORE</c>.</summary>
    public static StoreKind SuiteStore => Environment.GetEnvironmentVariable(StoreVariable)?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => StoreKind.Sqlite,
        "postgres" when TestPostgres.ServerConnectionString is null => throw new InvalidOperationException(
            $"{StoreVariable}=postgres, but {TestPostgres.Variable} names no PostgreSQL server: {TestPostgres.NotRunMessage}"),
        "postgres" => StoreKind.Postgres,
        var other => throw new InvalidOperationException($"{StoreVariable} must be sqlite or postgres, not '{other}'."),
    };

    /// <summary>
    /// New, empty storage of the suite's store, or of <paramref name="kind"/>. A PostgreSQL test without a server is
    /// skipped (or failed, in CI).
    /// </summary>
    public static TestStorage Create(StoreKind? kind = null) => (kind ?? SuiteStore) switch
    {
        StoreKind.Sqlite => new TestStorage(StoreKind.Sqlite, null, ownsSchema: false),
        StoreKind.Postgres => new TestStorage(StoreKind.Postgres, RunDatabase.Value.CreateSchema(), ownsSchema: true),
    };

    /// <summary>The same database for another node: its own data folder (certificate, data-protection keys), shared state.</summary>
    public TestStorage AnotherNode() => Kind == StoreKind.Postgres
        ? new TestStorage(Kind, ConnectionString, ownsSchema: false)
        : throw new InvalidOperationException("Only PostgreSQL is shared by several nodes.");

    /// <summary>The arguments that point a CLI verb at this storage.</summary>
    public string[] CliArguments => Kind == StoreKind.Postgres
        ? ["--data-dir", DataDirectory, "--store", "postgres", "--connection-string", ConnectionString!]
        : ["--data-dir", DataDirectory];

    public ServerOptions Apply(ServerOptions options) => options with { DataDirectory = DataDirectory, Store = Kind, ConnectionString = ConnectionString };

    public void Dispose()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is no reason to fail a test; the folder is a temp folder.
        }

        if (_ownsSchema)
        {
            RunDatabase.Value.DropSchema(ConnectionString!);
        }
    }

    /// <summary>One database for the whole test run, each storage a schema in it; dropped when the run ends.</summary>
    private static readonly Lazy<TestDatabase> RunDatabase = new(() =>
    {
        var database = TestPostgres.CreateDatabase();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => database.Dispose();
        return database;
    });
}
