using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Tillpoint.Storage.Relational;

namespace Tillpoint.Storage.Sqlite;

/// <summary>
/// The embedded store. One writer thread owns the only write connection and commits commands in groups: whatever
/// is queued when a transaction starts goes into it, each command inside its own savepoint, and one fsync makes the
/// whole group durable. Under load that turns SQLite's ~5 k durable commits/s into many more commands/s; when idle,
/// a lone command commits at once. Readers use a pool of connections and, thanks to WAL, never wait for the writer.
/// </summary>
public sealed class SqliteStore : ITillpointStore, IStoreSchema
{
    private readonly StoreOptions _options;
    private readonly string _connectionString;
    // The writer thread waits on the channel synchronously. Synchronous continuations let a caller's TryWrite wake it
    // directly; otherwise every wake-up would first need a free pool thread, and a starved pool would stall all writes.
    private readonly Channel<WriteRequest> _queue = Channel.CreateUnbounded<WriteRequest>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly ConcurrentBag<RelationalSession> _readers = [];
    private readonly Thread _writer;
    private readonly RelationalSession _writeSession;
    private readonly SqliteConnection _writeConnection;
    private readonly WriterStatements _statements;
    private readonly SqliteConnection _checkpointConnection;
    private readonly Task _checkpointer;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    private SqliteStore(StoreOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory, nameof(options));
        _options = options;
        CreateOwnerOnly(options);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();

        var connection = Open();
        Execute(connection, "PRAGMA journal_mode = WAL");
        MigrationsApplied = SqliteSchema.Migrate(connection);
        // The writer never checkpoints: copying the log into the database (and its fsync) would stall every command
        // queued behind it. A background connection does it instead, on the other core. A larger page cache keeps the
        // pages commands revisit (index roots, the events tail) in memory.
        Execute(connection, "PRAGMA wal_autocheckpoint = 0");
        Execute(connection, "PRAGMA cache_size = -16384");
        // Each command runs in a savepoint, and SQLite keeps the savepoints' journal in memory only up to 64 KiB before
        // it spills to a temporary file. In a group commit it spilled every time, writing more than the commit itself
        // (docs/architecture.md). A group touches a bounded number of pages, so memory it is; readers keep temporary
        // files for their large sorts.
        Execute(connection, "PRAGMA temp_store = MEMORY");
        _writeConnection = connection;
        _statements = new WriterStatements(connection);
        _writeSession = new RelationalSession(connection, SqliteDialect.Instance, writes: true);
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "tillpoint-sqlite-writer" };
        _writer.Start();
        _checkpointConnection = Open();
        _checkpointer = Task.Run(CheckpointLoopAsync);
        // One reader ready from the start: opening it is part of opening the store (which a server does while its host is
        // built), not of the first query, which would otherwise pay for it on the path of the first request.
        _readers.Add(OpenReader());
    }

    /// <summary>
    /// Makes the data folder (when it does not exist) and the database file owner-only before SQLite opens it: the
    /// database holds buyers' data and the IPN signing key. SQLite would create the file with the usual mode, readable
    /// by every local user, and it creates the <c>-wal</c> and <c>-shm</c> files with the database file's mode, so an
    /// empty owner-only file (which SQLite takes as an empty database) keeps all three private from the start.
    /// </summary>
    private static void CreateOwnerOnly(StoreOptions options)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(options.DataDirectory);
            return;
        }

        // A folder that exists keeps its mode: its owner chose it.
        Directory.CreateDirectory(options.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var database = options.DatabasePath;
        if (!File.Exists(database))
        {
            try
            {
                new FileStream(database, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                }).Dispose();
            }
            catch (IOException) when (File.Exists(database))
            {
                // Another process created it in the meantime; the lines below check its mode.
            }
        }

        // Files an earlier version created readable by others lose that access; the log files count, since they hold
        // recent commits until a checkpoint copies them into the database.
        foreach (var path in new[] { database, database + "-wal", database + "-shm" })
        {
            if (!File.Exists(path))
            {
                continue;
            }

            var mode = File.GetUnixFileMode(path);
            var others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & others) != 0)
            {
                File.SetUnixFileMode(path, mode & ~others);
            }
        }
    }

    /// <summary>Opens (creating and migrating when needed) the database in <see cref="StoreOptions.DataDirectory"/>.</summary>
    public static SqliteStore Open(StoreOptions options) => new(options);

    public int SchemaVersion => SqliteSchema.LatestVersion;

    public IReadOnlyList<int> MigrationsApplied { get; }

    public Task<T> WriteAsync<T>(Func<IWriteSession, T> command, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var request = new WriteRequest<T>(command, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(request), this);
        return request.Task;
    }

    public T Read<T>(Func<IStoreReader, T> query)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_readers.TryTake(out var session))
        {
            session = OpenReader();
        }

        try
        {
            return query(session);
        }
        finally
        {
            _readers.Add(session);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Let queued commands finish: a clean shutdown loses nothing that was accepted.
        _queue.Writer.TryComplete();
        _writer.Join();
        _stopping.Cancel();
        _checkpointer.GetAwaiter().GetResult();
        _statements.Dispose();
        _writeSession.Dispose();
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }

        try
        {
            // Leave a compact database behind: everything in the log is copied back and the log emptied.
            Execute(_checkpointConnection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // Another process has the file open; the log stays and the next open replays it. Nothing is lost.
        }

        _checkpointConnection.Dispose();
        _stopping.Dispose();
    }

    private RelationalSession OpenReader()
    {
        var connection = Open();
        Execute(connection, "PRAGMA query_only = 1");
        return new RelationalSession(connection, SqliteDialect.Instance, writes: false);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // busy_timeout lets the CLI and a running server share the file; synchronous is per connection.
        Execute(connection, "PRAGMA busy_timeout = 30000");
        Execute(connection, _options.Durability == SqliteDurability.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        Execute(connection, "PRAGMA foreign_keys = ON");
        return connection;
    }

    private void WriteLoop()
    {
        var batch = new List<WriteRequest>(_options.MaxCommandsPerCommit);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < _options.MaxCommandsPerCommit && reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            try
            {
                CommitBatch(batch);
            }
            catch (Exception e)
            {
                // The writer must outlive any failure (disk full, I/O error): fail this group, keep serving.
                TryRollback(_writeConnection);
                foreach (var request in batch)
                {
                    request.Fail(e);
                }
            }
        }
    }

    private void CommitBatch(List<WriteRequest> batch)
    {
        var statements = _statements;
        statements.Begin.ExecuteNonQuery();
        foreach (var request in batch)
        {
            RunInSavepoint(statements, request);
        }

        statements.Commit.ExecuteNonQuery();

        // Only now is every result durable, so only now are callers told.
        foreach (var request in batch)
        {
            request.Publish();
        }
    }

    private void RunInSavepoint(WriterStatements statements, WriteRequest request)
    {
        if (request.IsCanceled)
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            statements.Savepoint.ExecuteNonQuery();
            _writeSession.ForgetRows();
            try
            {
                request.Execute(_writeSession);
                statements.Release.ExecuteNonQuery();
                return;
            }
            catch (Exception e) when (attempt < _options.MaxConflictRetries && SqliteDialect.Instance.IsRaceLost(e))
            {
                statements.UndoCommand();
            }
            catch (Exception e) when (!SqliteDialect.Instance.IsStoreFailure(e))
            {
                // A failing command must leave no trace, and must not take the rest of the group down with it. I/O
                // errors and a full disk are not the command's fault: they fail the whole group instead.
                statements.UndoCommand();
                request.SetFailure(e);
                return;
            }
        }
    }

    /// <summary>
    /// Copies committed log frames into the database a few times a second. PASSIVE never blocks the writer or readers;
    /// what it cannot copy yet (pages a reader still needs) waits for the next round.
    /// </summary>
    private async Task CheckpointLoopAsync()
    {
        using var timer = new PeriodicTimer(CheckpointInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    Execute(_checkpointConnection, "PRAGMA wal_checkpoint(PASSIVE)");
                }
                catch (SqliteException)
                {
                    // Busy or a passing I/O error: the log only grows until the next round succeeds.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposing.
        }
    }

    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(250);

    private static void TryRollback(SqliteConnection connection)
    {
        try
        {
            Execute(connection, "ROLLBACK");
        }
        catch (SqliteException)
        {
            // The failed COMMIT may already have rolled back; there is nothing left to undo.
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The writer's transaction statements, prepared once: every command runs two of them and every group two more, and
    /// preparing each anew cost more than running it.
    /// </summary>
    private sealed class WriterStatements(SqliteConnection connection) : IDisposable
    {
        public SqliteCommand Begin { get; } = Prepared(connection, "BEGIN IMMEDIATE");

        public SqliteCommand Commit { get; } = Prepared(connection, "COMMIT");

        public SqliteCommand Savepoint { get; } = Prepared(connection, "SAVEPOINT command");

        public SqliteCommand Release { get; } = Prepared(connection, "RELEASE command");

        private SqliteCommand RollbackTo { get; } = Prepared(connection, "ROLLBACK TO command");

        /// <summary>Undoes the current command's savepoint and leaves it, the group's earlier commands kept.</summary>
        public void UndoCommand()
        {
            RollbackTo.ExecuteNonQuery();
            Release.ExecuteNonQuery();
        }

        public void Dispose()
        {
            foreach (var command in new[] { Begin, Commit, Savepoint, Release, RollbackTo })
            {
                command.Dispose();
            }
        }

        private static SqliteCommand Prepared(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }
    }

    private abstract class WriteRequest
    {
        /// <summary>A command canceled before it ran is not run at all.</summary>
        public abstract bool IsCanceled { get; }

        public abstract void Execute(IWriteSession session);

        public abstract void SetFailure(Exception exception);

        public abstract void Publish();

        public abstract void Fail(Exception exception);
    }

    private sealed class WriteRequest<T>(Func<IWriteSession, T> command, CancellationToken cancellationToken) : WriteRequest
    {
        // Continuations must not run on the writer thread, or one slow caller would stall every commit.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _failure;
        private bool _ran;

        public Task<T> Task => _completion.Task;

        public override bool IsCanceled => cancellationToken.IsCancellationRequested;

        public override void Execute(IWriteSession session)
        {
            _ran = true;
            _failure = null;
            _result = command(session);
            if (_result is System.Threading.Tasks.Task)
            {
                // The part after an await would run outside the transaction, after the commit.
                throw new InvalidOperationException("Store commands are synchronous: an async command would escape its transaction.");
            }
        }

        public override void SetFailure(Exception exception) => _failure = exception;

        public override void Publish()
        {
            if (!_ran)
            {
                _completion.TrySetCanceled(cancellationToken);
            }
            else if (_failure is not null)
            {
                _completion.TrySetException(_failure);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
