using System.Data.Common;

namespace Tillpoint.Storage.Relational;

/// <summary>
/// Where the database is across a network (PostgreSQL), every statement is a round trip, and a capture runs about a
/// dozen. A write whose result nothing reads before the commit (a save, an event, the idempotency record, a named lock)
/// is therefore held and sent with the next statement, or with the commit, in one round trip: the statements still run
/// in the order the command gave them, each with its own snapshot, and a held save's version check is made when its row
/// count comes back, before anything the command reads next is returned. A failure of a held write surfaces at that
/// point instead of at the save; nothing a command does depends on catching it there.
/// </summary>
internal sealed partial class RelationalSession
{
    /// <summary>Whether this is a write session whose dialect holds writes; otherwise they run at once.</summary>
    private readonly bool _holdsWrites;

    /// <summary>The held writes, a new batch each time (a reader may still be reading the last one's rows).</summary>
    private DbBatch? _held;

    /// <summary>For each held statement: whether it returns rows, and the save whose version it checks.</summary>
    private readonly List<(bool ReturnsRows, string? Id, long Version)> _heldChecks = [];

    /// <summary>Whether writes wait for the next statement or the commit.</summary>
    public bool HoldsWrites => _holdsWrites;

    /// <summary>
    /// Runs <paramref name="statement"/>, a write that changes one row at <paramref name="loadedVersion"/> of
    /// <paramref name="id"/>, now or held; a row count other than one is a <see cref="ConcurrencyConflictException"/>.
    /// </summary>
    internal void WriteVersioned(Statement statement, string id, long loadedVersion)
    {
        if (!_holdsWrites)
        {
            if (statement.Execute() != 1)
            {
                throw Conflict(id, loadedVersion);
            }

            return;
        }

        Hold(statement.Command, returnsRows: false, id, loadedVersion);
    }

    /// <summary>Runs <paramref name="statement"/> (a write, or a query whose rows nobody reads) now, or holds it.</summary>
    internal void Write(Statement statement, bool returnsRows = false)
    {
        if (!_holdsWrites)
        {
            statement.Execute();
            return;
        }

        Hold(statement.Command, returnsRows, null, 0);
    }

    /// <summary>Holds a statement the dialect made for the batch; only a session that holds writes takes one.</summary>
    internal void Write(DbBatchCommand command)
    {
        if (!_holdsWrites)
        {
            throw new InvalidOperationException("This session runs its writes at once.");
        }

        (_held ??= _connection.CreateBatch()).BatchCommands.Add(command);
        _heldChecks.Add((false, null, 0));
    }

    /// <summary>Sends the held writes, if any, and checks their row counts; before the commit, and before any statement.</summary>
    public void WriteHeld()
    {
        if (_held is not { BatchCommands.Count: > 0 } held)
        {
            return;
        }

        var checks = _heldChecks.ToArray();
        _held = null;
        _heldChecks.Clear();
        try
        {
            held.ExecuteNonQuery();
            CheckVersions(held, checks);
        }
        catch (DbException e)
        {
            Failing(e);
            throw;
        }
        finally
        {
            held.Dispose();
        }
    }

    /// <summary>
    /// The rows of <paramref name="command"/>: with writes held, sent after them in the same round trip, the reader
    /// positioned on its rows once theirs have been checked.
    /// </summary>
    internal DbDataReader ReadAfterHeld(DbCommand command)
    {
        if (_held is not { BatchCommands.Count: > 0 } held)
        {
            return command.ExecuteReader();
        }

        Hold(command, returnsRows: true, null, 0);
        var checks = _heldChecks.ToArray();
        // The reader reads from the batch until it is disposed; the next held write starts a new one.
        _held = null;
        _heldChecks.Clear();
        DbDataReader? reader = null;
        try
        {
            reader = held.ExecuteReader();
            // The reader starts at the first statement that returns rows and skips those that return none.
            for (var i = 0; i < checks.Length - 1; i++)
            {
                if (checks[i].ReturnsRows)
                {
                    reader.NextResult();
                }
            }

            CheckVersions(held, checks);
            return reader;
        }
        catch
        {
            reader?.Dispose();
            throw;
        }
    }

    private void Hold(DbCommand command, bool returnsRows, string? id, long version)
    {
        var held = _held ??= _connection.CreateBatch();
        var batched = held.CreateBatchCommand();
        batched.CommandText = command.CommandText;
        // A parameter belongs to one collection at a time: moved, not copied (the command is disposed with its statement).
        var parameters = new DbParameter[command.Parameters.Count];
        command.Parameters.CopyTo(parameters, 0);
        command.Parameters.Clear();
        batched.Parameters.AddRange(parameters);
        held.BatchCommands.Add(batched);
        _heldChecks.Add((returnsRows, id, version));
    }

    private static void CheckVersions(DbBatch held, (bool ReturnsRows, string? Id, long Version)[] checks)
    {
        for (var i = 0; i < checks.Length; i++)
        {
            if (checks[i] is { Id: { } id, Version: var version } && held.BatchCommands[i].RecordsAffected != 1)
            {
                throw Conflict(id, version);
            }
        }
    }

    private static ConcurrencyConflictException Conflict(string id, long loadedVersion) =>
        new($"'{id}' changed since version {loadedVersion} was read.");
}
