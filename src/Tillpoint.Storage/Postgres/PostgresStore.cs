using System.Data;
using Npgsql;
using Tillpoint.Storage.Relational;

namespace Tillpoint.Storage.Postgres;

/// <summary>
/// The shared store: any number of Tillpoint nodes run against one PostgreSQL database. Unlike SQLite there is no single
/// writer: every command runs in a transaction of its own on a pooled connection, concurrently with the others, and the
/// row locks and version checks of <see cref="RelationalSession"/> keep commands on one ledger apart, on every node.
/// </summary>
/// <remarks>
/// Commands stay synchronous (the store's contract), and so do the opening of the connection and the commit around
/// them. A command that loses a race is run again from the start, a bounded number of times:
/// an optimistic-concurrency conflict, a deadlock (40P01), a serialization failure (40001), or a duplicate idempotency
/// key (another node stored the answer first; the retry replays it). Durability is PostgreSQL's own:
/// <c>synchronous_commit</c> stays on, so a commit is acknowledged only once it is flushed to the server's disk.
/// </remarks>
public sealed class PostgresStore : ITillpointStore, IStoreSchema
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxRetries;
    /// <summary>
    /// Commands that may block a pool thread at once; the rest wait without a thread. A command blocks on I/O and on other
    /// transactions' locks, and the pool adds threads only slowly once all of its own are blocked: many captures of one
    /// ledger then starved the server of threads for its connections for many seconds.
    /// </summary>
    private const int MaxRunningCommands = 16;

    private readonly SemaphoreSlim _running = new(MaxRunningCommands);
    private int _inFlight;
    private int _disposed;

    private PostgresStore(NpgsqlDataSource dataSource, int maxRetries, IReadOnlyList<int> migrationsApplied)
    {
        _dataSource = dataSource;
        _maxRetries = maxRetries;
        // The running commands' threads come on top of those the server needs for its connections, without the pool's
        // slow start. This widens the process's minimum once; it never narrows it.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = Environment.ProcessorCount + MaxRunningCommands;
        if (workers < wanted)
        {
            ThreadPool.SetMinThreads(wanted, completionPorts);
        }
        MigrationsApplied = migrationsApplied;
    }

    public int SchemaVersion => PostgresSchema.LatestVersion;

    public IReadOnlyList<int> MigrationsApplied { get; }

    /// <summary>Connects to the database in <see cref="StoreOptions.ConnectionString"/> and applies migrations.</summary>
    public static PostgresStore Open(StoreOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options));
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        // Every command is one of a few dozen statements; preparing them once per connection saves the parse and plan
        // of each call. An operator's own setting wins, 0 included (PgBouncer in transaction mode may need it off).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        bool Given(string setting) =>
            given.Keys.Cast<string>().Any(key => key.Replace(" ", string.Empty, StringComparison.Ordinal).Equals(setting, StringComparison.OrdinalIgnoreCase));
        if (!Given("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        // A connection back in the pool is otherwise reset (listens, session locks, temporary tables and sequences
        // discarded) on its next use, work on the server for every command. Tillpoint leaves none of that behind: its
        // locks and settings are all transaction-scoped.
        if (!Given("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        builder.ApplicationName ??= "tillpoint";
        var dataSource = NpgsqlDataSource.Create(builder);
        IReadOnlyList<int> applied;
        try
        {
            using var connection = dataSource.OpenConnection();
            applied = PostgresSchema.Migrate(connection);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }

        return new PostgresStore(dataSource, options.MaxConflictRetries, applied);
    }

    /// <summary>Why <paramref name="connectionString"/> cannot be used (an unknown keyword, a bad value), or null.</summary>
    public static string? ConnectionStringError(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return e.Message;
        }
    }

    public Task<T> WriteAsync<T>(Func<IWriteSession, T> command, CancellationToken cancellationToken = default)
    {
        Enter();
        return RunAsync(command, cancellationToken);
    }

    public T Read<T>(Func<IStoreReader, T> query)
    {
        Enter();
        try
        {
            using var connection = _dataSource.OpenConnection();
            // One snapshot for the whole query: a ledger's permission, charges and refunds come from the same commit.
            using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
            var result = query(new RelationalSession(connection, PostgresDialect.Instance, writes: false));
            transaction.Commit();
            return result;
        }
        finally
        {
            Exit();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Commands already running finish: a clean shutdown loses nothing that was accepted. Calls arriving now back out.
        SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0);
        _dataSource.Dispose();
        _running.Dispose();
    }

    private async Task<T> RunAsync<T>(Func<IWriteSession, T> command, CancellationToken cancellationToken)
    {
        try
        {
            await _running.WaitAsync(cancellationToken);
            try
            {
                // Commands block (on I/O, and on other transactions' locks): they run on the thread pool, never on the
                // caller's thread, so a caller holding something a command waits for cannot stall it.
                await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                return Run(command, cancellationToken);
            }
            finally
            {
                _running.Release();
            }
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// One command, from opening the connection to the commit, on the calling thread. Nothing in it awaits: a command
    /// that holds a lock must never need a second pool thread to release it. Were the commit awaited, commands blocked
    /// on that lock could hold every pool thread while the holder's continuation waited in the queue behind them,
    /// until the pool grew one thread at a time.
    /// </summary>
    private T Run<T>(Func<IWriteSession, T> command, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            // The token counts until the command starts; once it runs, it runs to its commit or rollback.
            cancellationToken.ThrowIfCancellationRequested();
            using var connection = _dataSource.OpenConnection();
            using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
            try
            {
                var session = new RelationalSession(connection, PostgresDialect.Instance, writes: true);
                var result = command(session);
                if (result is Task)
                {
                    // The part after an await would run outside the transaction, after the commit.
                    throw new InvalidOperationException("Store commands are synchronous: an async command would escape its transaction.");
                }

                // What the command left held is written before anything is judged or committed.
                session.WriteHeld();
                if (session.Failed)
                {
                    throw new InvalidOperationException(
                        "The command went on after a database error; PostgreSQL rolled its transaction back, so nothing of it was stored.");
                }

                transaction.Commit();
                return result;
            }
            catch (Exception e) when (attempt < _maxRetries && PostgresDialect.Instance.IsRaceLost(e))
            {
                transaction.Rollback();
            }
        }
    }

    /// <summary>Counts a call in; a store being disposed takes no new calls.</summary>
    private void Enter()
    {
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Exit();
            throw new ObjectDisposedException(nameof(PostgresStore));
        }
    }

    private void Exit() => Interlocked.Decrement(ref _inFlight);
}
