using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Tillpoint.Domain;
using Tillpoint.Storage.Relational;

namespace Tillpoint.Storage.Postgres;

/// <summary>
/// PostgreSQL: times as <c>timestamptz</c> to the millisecond, amounts as <c>numeric</c>; row locks on a ledger's owner
/// in writes, <c>SKIP LOCKED</c> claims and advisory locks, because any number of nodes share the database; statements
/// prepared by the driver (<c>Max Auto Prepare</c>); a command's events and notifications sent in one batch.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    private PostgresDialect()
    {
    }

    public override StoreKind Kind => StoreKind.Postgres;

    /// <summary>Times are <c>timestamptz</c>, kept to the millisecond as in SQLite; amounts are <c>numeric</c>.</summary>
    public override string TypeName(ColumnType type) => type switch
    {
        ColumnType.Text => "text",
        ColumnType.Int32 => "integer",
        ColumnType.Int64 => "bigint",
        ColumnType.Time => "timestamptz",
        ColumnType.Bytes => "bytea",
        ColumnType.Bool => "boolean",
        ColumnType.Decimal => "numeric",
        ColumnType.Sequence => "bigint GENERATED ALWAYS AS IDENTITY",
    };

    public override string False => "false";

    public override string TextOf(IReadOnlyList<string> path) =>
        $"convert_from(document, 'UTF8')::jsonb{string.Concat(path.Select((p, i) => (i == path.Count - 1 ? "->>'" : "->'") + p + "'"))}";

    public override string ListedAmountOf(IReadOnlyList<string> path) => $"({TextOf(path)})::numeric";

    public override bool PreparesCommands => false;

    public override bool UpdatesChangedColumns => false;

    public override string StoredColumns(string idColumn) => "document";

    public override string IndexedBy(string index) => string.Empty;

    public override string ForUpdate => " FOR UPDATE";

    public override string ForUpdateSkipLocked(string? of = null) => of is null ? " FOR UPDATE SKIP LOCKED" : $" FOR UPDATE OF {of} SKIP LOCKED";

    public override string Typed(string name, string type) => $"@{name}::{type}";

    public override string AmountColumn => "amount";

    public override string NotFannedOut(string column) => "NOT " + column;

    public override string FannedOut => "true";

    public override string Epoch => "to_timestamp(0)";

    public override string Greatest => "GREATEST";

    public override string SubmissionOrder => "submission";

    public override string KeyOrder => "key COLLATE \"C\"";

    /// <summary>
    /// Each arm takes at most the limit from its table's partial due index, already in order, and the planner merges
    /// them, so the cost follows what is returned, not how many objects exist or how many are overdue.
    /// </summary>
    public override string DueArm(string select, string table) =>
        $"({select} FROM {table} WHERE environment = @env AND due_at IS NOT NULL AND due_at <= @now ORDER BY due_at LIMIT @limit)";

    public override string Explain => "EXPLAIN ";

    public override int PlanColumn => 0;

    public override string? BeforeExplain => "SET LOCAL enable_seqscan = off";

    /// <summary>PostgreSQL text cannot hold U+0000, so no stored id contains it.</summary>
    public override bool CanStore(string value) => !value.Contains('\0', StringComparison.Ordinal);

    /// <summary>An error from the server aborts the transaction; a COMMIT after it silently rolls back.</summary>
    public override bool AbortsTransaction(DbException exception) => exception is PostgresException;

    /// <summary>
    /// A version conflict, a serialization failure or deadlock, or a first use of an idempotency key that lost to a
    /// concurrent one (its primary key).
    /// </summary>
    public override bool IsRaceLost(Exception exception) => exception switch
    {
        ConcurrencyConflictException => true,
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: PostgresSchema.IdempotencyKeyConstraint } => true,
        _ => false,
    };

    public override DbCommand CreateCommand(DbConnection connection, string sql) => new NpgsqlCommand(sql, (NpgsqlConnection)connection);

    public override void Text(DbCommand command, string name, string? value) => Add(command, Text(name, value));

    public override void Int32(DbCommand command, string name, int? value) =>
        Add(command, value is { } v ? new NpgsqlParameter<int>(name, v) : new NpgsqlParameter(name, NpgsqlDbType.Integer) { Value = DBNull.Value });

    public override void Int64(DbCommand command, string name, long? value) =>
        Add(command, value is { } v ? new NpgsqlParameter<long>(name, v) : new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = DBNull.Value });

    public override void Bytes(DbCommand command, string name, byte[]? value) =>
        Add(command, value is null ? new NpgsqlParameter(name, NpgsqlDbType.Bytea) { Value = DBNull.Value } : new NpgsqlParameter<byte[]>(name, value));

    public override void Time(DbCommand command, string name, long? unixMilliseconds) =>
        Add(command, new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = unixMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DBNull.Value });

    public override void Amount(DbCommand command, string name, decimal? amount) =>
        Add(command, new NpgsqlParameter(name, NpgsqlDbType.Numeric) { Value = (object?)amount ?? DBNull.Value });

    public override void AmountBound(DbCommand command, string name, decimal bound, bool lower) =>
        Add(command, new NpgsqlParameter(name, NpgsqlDbType.Numeric) { Value = bound });

    public override DateTimeOffset GetTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override decimal GetAmount(DbDataReader reader, int ordinal) => reader.GetDecimal(ordinal);

    public override decimal GetEventAmount(DbDataReader reader, int ordinal) => reader.GetDecimal(ordinal);

    public override bool LocksNames => true;

    public override bool HoldsWrites => true;

    /// <summary>
    /// A transaction-level advisory lock named by the first 64 bits of a SHA-256 over the parts, each length-prefixed so
    /// that no two names share an encoding. Two names sharing a lock only wait for each other.
    /// </summary>
    public override void LockName(RelationalSession session, params string[] parts)
    {
        var text = string.Join('\n', parts.Select(part => $"{part.Length.ToString(CultureInfo.InvariantCulture)}:{part}"));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        using var command = session.Command("SELECT pg_advisory_xact_lock(@key)");
        command.Int64("key", BinaryPrimitives.ReadInt64BigEndian(hash));
        // Held: the lock goes with the lookup it guards, in one round trip, and is taken before that lookup runs.
        session.Write(command, returnsRows: true);
    }

    /// <summary>
    /// One batch, one round trip, whatever the number of events. Each notification is one more statement in it, right
    /// after its event's insert, where <c>currval</c> of the events' identity is the event just inserted, in this session.
    /// Nothing is recorded for a merchant with no endpoint in the environment: it would never be sent.
    /// </summary>
    public override void Append(RelationalSession session, string merchantId, ReleaseEnvironment environment, IReadOnlyList<DomainEvent> events)
    {
        foreach (var e in events)
        {
            var command = new NpgsqlBatchCommand(
                """
                INSERT INTO events (merchant_id, environment, object_type, object_id, charge_permission_id, from_state, to_state,
                                    reason_code, amount, currency, occurred_at, detail)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                """);
            var p = command.Parameters;
            AddObject(p, merchantId, environment, e);
            p.Add(Positional(e.FromState));
            p.Add(Positional(e.ToState));
            p.Add(Positional(e.ReasonCode));
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Numeric, Value = (object?)e.Amount?.Amount ?? DBNull.Value });
            p.Add(Positional(e.Amount?.Currency.ToString()));
            p.Add(OccurredAt(e));
            p.Add(Positional(e.Detail));
            // Held with the command's other writes, in its order: the notification reads the event's id just inserted.
            session.Write(command);
            if (IpnOutbox.Notifies(e))
            {
                session.Write(Notification(merchantId, environment, e));
            }
        }
    }

    public override IReadOnlyList<DueItem> ClaimDue(RelationalSession session, ReleaseEnvironment environment, DateTimeOffset now, int limit, bool skipLocked)
    {
        if (!session.Writes)
        {
            throw new InvalidOperationException("Due work is claimed inside a write, never in a read.");
        }

        var candidates = session.FindDue(environment, now, limit);
        var sessions = candidates.Where(d => d.ChargePermissionId is null).Select(d => (d.MerchantId, Id: d.ObjectId)).Distinct().ToList();
        var ledgers = candidates.Where(d => d.ChargePermissionId is not null).Select(d => (d.MerchantId, Id: d.ChargePermissionId!)).Distinct().ToList();
        // Locked in key order, so two claims that wait (rather than skip) can never deadlock on each other.
        var wait = skipLocked ? " SKIP LOCKED" : string.Empty;
        var claimedSessions = Lock(
            session,
            "SELECT merchant_id, checkout_session_id FROM checkout_sessions WHERE (merchant_id, checkout_session_id) IN (SELECT * FROM unnest(@m, @id)) ORDER BY 1, 2 FOR UPDATE" + wait,
            sessions);
        var claimedLedgers = Lock(
            session,
            "SELECT merchant_id, charge_permission_id FROM charge_permissions WHERE (merchant_id, charge_permission_id) IN (SELECT * FROM unnest(@m, @id)) ORDER BY 1, 2 FOR UPDATE" + wait,
            ledgers);
        if (claimedSessions.Count == 0 && claimedLedgers.Count == 0)
        {
            return [];
        }

        // A new statement, so a new snapshot: work another command finished before we got the locks is no longer due.
        using var command = session.Command(ClaimedDueSql);
        Add(command.Command, new NpgsqlParameter<string[]>("sm", [.. claimedSessions.Select(o => o.MerchantId)]));
        Add(command.Command, new NpgsqlParameter<string[]>("sid", [.. claimedSessions.Select(o => o.Id)]));
        Add(command.Command, new NpgsqlParameter<string[]>("pm", [.. claimedLedgers.Select(o => o.MerchantId)]));
        Add(command.Command, new NpgsqlParameter<string[]>("pid", [.. claimedLedgers.Select(o => o.Id)]));
        command.Text("env", environment.ToString());
        command.Time("now", now);
        return session.ReadDueItems(command);
    }

    /// <summary>What is due among the claimed sessions (<c>@sm</c>, <c>@sid</c>) and ledgers (<c>@pm</c>, <c>@pid</c>).</summary>
    private static readonly string ClaimedDueSql = string.Join(
        "\nUNION ALL\n",
        RelationalSql.DueTables.Select(t =>
            $"{t.Select} FROM {t.Name} WHERE (merchant_id, {t.Ledger ?? t.Id}) IN (SELECT * FROM unnest({(t.Ledger is null ? "@sm, @sid" : "@pm, @pid")}))"
            + " AND environment = @env AND due_at <= @now"))
        + "\nORDER BY 5";

    /// <summary>Locks the rows of <paramref name="owners"/> that <paramref name="sql"/> can get; returns those.</summary>
    private static List<(string MerchantId, string Id)> Lock(RelationalSession session, string sql, List<(string MerchantId, string Id)> owners)
    {
        if (owners.Count == 0)
        {
            return [];
        }

        using var command = session.Command(sql);
        Add(command.Command, new NpgsqlParameter<string[]>("m", [.. owners.Select(o => o.MerchantId)]));
        Add(command.Command, new NpgsqlParameter<string[]>("id", [.. owners.Select(o => o.Id)]));
        return command.ReadAll(static reader => (reader.GetString(0), reader.GetString(1)));
    }

    private static NpgsqlBatchCommand Notification(string merchantId, ReleaseEnvironment environment, DomainEvent e)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO ipn_notifications (notification_id, merchant_id, environment, object_type, object_id, charge_permission_id,
                                           notification_type, event_id, created_at)
            SELECT $1, $2, $3, $4, $5, $6, $7, currval(pg_get_serial_sequence('events', 'event_id')), $8
            WHERE EXISTS (SELECT 1 FROM ipn_endpoints WHERE merchant_id = $2 AND environment = $3)
            """);
        var p = command.Parameters;
        p.Add(Positional(Guid.NewGuid().ToString()));
        AddObject(p, merchantId, environment, e);
        p.Add(Positional(IpnOutbox.StateChange));
        p.Add(OccurredAt(e));
        return command;
    }

    /// <summary>The object an event is about, in the order both the event's and its notification's inserts take it.</summary>
    private static void AddObject(NpgsqlParameterCollection p, string merchantId, ReleaseEnvironment environment, DomainEvent e)
    {
        p.Add(Positional(merchantId));
        p.Add(Positional(environment.ToString()));
        p.Add(Positional(e.ObjectType.ToString()));
        p.Add(Positional(e.ObjectId));
        p.Add(Positional(e.ChargePermissionId));
    }

    /// <summary>When the event happened, to the millisecond: the precision the stores keep.</summary>
    private static NpgsqlParameter<DateTimeOffset> OccurredAt(DomainEvent e) =>
        new() { TypedValue = DateTimeOffset.FromUnixTimeMilliseconds(e.At.ToUnixTimeMilliseconds()) };

    private static void Add(DbCommand command, NpgsqlParameter parameter) => ((NpgsqlCommand)command).Parameters.Add(parameter);

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Positional(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };
}
