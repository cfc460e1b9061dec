namespace Tillpoint.Storage;

/// <summary>Where Tillpoint keeps its state.</summary>
public enum StoreKind
{
    /// <summary>An embedded SQLite file in the data folder: one node, nothing to run beside it.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database, which several stateless nodes can share.</summary>
    Postgres,
}

/// <summary>SQLite's <c>synchronous</c> setting: FULL survives power loss; NORMAL may lose the last commits.</summary>
public enum SqliteDurability
{
    Full,
    Normal,
}

public sealed record StoreOptions
{
    public StoreKind Kind { get; init; } = StoreKind.Sqlite;

    /// <summary>The folder holding <c>tillpoint.db</c> (SQLite only).</summary>
    public string DataDirectory { get; init; } = string.Empty;

    /// <summary>An Npgsql connection string, <c>Host=…;Database=…</c> (PostgreSQL only).</summary>
    public string? ConnectionString { get; init; }

    public SqliteDurability Durability { get; init; } = SqliteDurability.Full;

    /// <summary>The most commands committed together; bounds the latency one slow batch adds (SQLite only).</summary>
    public int MaxCommandsPerCommit { get; init; } = 256;

    /// <summary>
    /// How often a command is retried after an optimistic-concurrency conflict, or on PostgreSQL after a deadlock,
    /// a serialization failure or losing a race for an idempotency key.
    /// </summary>
    public int MaxConflictRetries { get; init; } = 5;

    public string DatabasePath => Path.Combine(DataDirectory, "tillpoint.db");
}
