namespace Tillpoint.Storage;

/// <summary>SQLite's <c>synchronous</c> setting: FULL survives power loss; NORMAL may lose the last commits.</summary>
public enum SqliteDurability
{
    Full,
    Normal,
}

public sealed record StoreOptions
{
    /// <summary>The folder holding <c>tillpoint.db</c>.</summary>
    public required string DataDirectory { get; init; }

    public SqliteDurability Durability { get; init; } = SqliteDurability.Full;

    /// <summary>The most commands committed together; bounds the latency one slow batch adds.</summary>
    public int MaxCommandsPerCommit { get; init; } = 256;

    /// <summary>How often a command is retried after an optimistic-concurrency conflict.</summary>
    public int MaxConflictRetries { get; init; } = 5;

    public string DatabasePath => Path.Combine(DataDirectory, "tillpoint.db");
}
