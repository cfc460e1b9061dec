using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Tillpoint.Domain;
using Tillpoint.Storage.Relational;

namespace Tillpoint.Storage.Sqlite;

/// <summary>
/// SQLite: times as Unix milliseconds, listed amounts in hundredths, event amounts as decimal text; one writer, so
/// nothing to lock; statements prepared once per connection; secondary indexes named in the queries that need them.
/// </summary>
/// <remarks>
/// Queries that must use a secondary index name it (<c>INDEXED BY</c>): without statistics SQLite may prefer the
/// unique key's merchant prefix and scan every object the merchant has, which made captures slower as a store grew.
/// </remarks>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    public override StoreKind Kind => StoreKind.Sqlite;

    /// <summary>Times as Unix milliseconds; event amounts as decimal text, read back exactly.</summary>
    public override string TypeName(ColumnType type) => type switch
    {
        ColumnType.Text or ColumnType.Decimal => "TEXT",
        ColumnType.Int32 or ColumnType.Int64 or ColumnType.Time or ColumnType.Bool or ColumnType.Sequence => "INTEGER",
        ColumnType.Bytes => "BLOB",
    };

    public override string False => "0";

    public override string TextOf(IReadOnlyList<string> path) => $"json_extract(CAST(document AS TEXT), '${string.Concat(path.Select(p => "." + p))}')";

    /// <summary>
    /// json_extract reads the amount as a double, and rounding its hundredths gives the exact value back, since stored
    /// amounts have at most two decimals.
    /// </summary>
    public override string ListedAmountOf(IReadOnlyList<string> path) => $"CAST(round({TextOf(path)} * 100) AS INTEGER)";

    public override bool PreparesCommands => true;

    public override bool UpdatesChangedColumns => true;

    public override string StoredColumns(string idColumn) =>
        $"document, version, state, due_at, amount_hundredths, currency, merchant_reference, {idColumn}";

    public override string IndexedBy(string index) => " INDEXED BY " + index;

    public override string ForUpdate => string.Empty;

    public override string ForUpdateSkipLocked(string? of = null) => string.Empty;

    public override string Typed(string name, string type) => "@" + name;

    public override string AmountColumn => "amount_hundredths";

    public override string NotFannedOut(string column) => column + " = 0";

    public override string FannedOut => "1";

    public override string Epoch => "0";

    public override string Greatest => "max";

    public override string SubmissionOrder => "rowid";

    public override string KeyOrder => "key";

    /// <summary>
    /// Each arm walks its table's partial due index from the oldest entry and the merge stops at the limit, so the
    /// cost follows what is returned, not how many objects exist or how many are overdue.
    /// </summary>
    public override string DueArm(string select, string table) =>
        $"{select} FROM {table}{IndexedBy(table + "_due")} WHERE environment = @env AND due_at <= @now";

    public override string Explain => "EXPLAIN QUERY PLAN ";

    public override int PlanColumn => 3;

    /// <summary>Statements run inside the writer's savepoints, which a failed statement leaves usable.</summary>
    public override bool AbortsTransaction(DbException exception) => false;

    /// <summary>With one writer, only a version check can find that something changed since it was read.</summary>
    public override bool IsRaceLost(Exception exception) => exception is ConcurrencyConflictException;

    /// <summary>An I/O error (<c>SQLITE_IOERR</c>, 10) or a full disk (<c>SQLITE_FULL</c>, 13).</summary>
    public override bool IsStoreFailure(Exception exception) => exception is SqliteException { SqliteErrorCode: 10 or 13 };

    public override DbCommand CreateCommand(DbConnection connection, string sql)
    {
        var command = ((SqliteConnection)connection).CreateCommand();
        command.CommandText = sql;
        // Every @name in the text becomes a parameter, so callers only assign values. Scanned by hand: a Regex here would
        // load and build the regex engine on the path of a start's first request.
        for (var start = sql.IndexOf('@', StringComparison.Ordinal); start >= 0; start = sql.IndexOf('@', start + 1))
        {
            var end = start + 1;
            while (end < sql.Length && char.IsAsciiLetterLower(sql[end]))
            {
                end++;
            }

            var name = sql[start..end];
            if (end > start + 1 && !command.Parameters.Contains(name))
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }
        }

        command.Prepare();
        return command;
    }

    public override void Text(DbCommand command, string name, string? value) => Parameter(command, name).Value = (object?)value ?? DBNull.Value;

    public override void Int32(DbCommand command, string name, int? value) => Parameter(command, name).Value = (object?)value ?? DBNull.Value;

    public override void Int64(DbCommand command, string name, long? value) => Parameter(command, name).Value = (object?)value ?? DBNull.Value;

    public override void Bytes(DbCommand command, string name, byte[]? value) => Parameter(command, name).Value = (object?)value ?? DBNull.Value;

    public override void Time(DbCommand command, string name, long? unixMilliseconds) =>
        Parameter(command, name).Value = (object?)unixMilliseconds ?? DBNull.Value;

    public override void Amount(DbCommand command, string name, decimal? amount) =>
        Parameter(command, name).Value = amount is { } a ? (long)(a * 100m) : DBNull.Value;

    public override void AmountBound(DbCommand command, string name, decimal bound, bool lower) =>
        Parameter(command, name).Value = (long)(lower ? Math.Ceiling(bound * 100m) : Math.Floor(bound * 100m));

    public override DateTimeOffset GetTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public override decimal GetAmount(DbDataReader reader, int ordinal) => reader.GetInt64(ordinal) / 100m;

    public override decimal GetEventAmount(DbDataReader reader, int ordinal) => decimal.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture);

    /// <summary>
    /// Each event is inserted by one prepared statement, and its notification by another right after it, where
    /// <c>last_insert_rowid()</c> is the event just inserted. Nothing is recorded for a merchant with no endpoint in the
    /// environment (it would never be sent), which keeps an integration without IPN free of the outbox's writes.
    /// </summary>
    public override void Append(RelationalSession session, string merchantId, ReleaseEnvironment environment, IReadOnlyList<DomainEvent> events)
    {
        using var insert = session.Command(
            """
            INSERT INTO events (merchant_id, environment, object_type, object_id, charge_permission_id, from_state, to_state,
                                reason_code, amount, currency, occurred_at, detail)
            VALUES (@m, @env, @type, @id, @parent, @from, @to, @reason, @amount, @currency, @at, @detail)
            """);
        foreach (var e in events)
        {
            BindObject(insert, merchantId, environment, e);
            insert.Text("from", e.FromState);
            insert.Text("to", e.ToState);
            insert.Text("reason", e.ReasonCode);
            insert.Text("amount", e.Amount?.Amount.ToString(CultureInfo.InvariantCulture));
            insert.Text("currency", e.Amount?.Currency.ToString());
            insert.Text("detail", e.Detail);
            insert.Execute();
            if (!IpnOutbox.Notifies(e))
            {
                continue;
            }

            using var enqueue = session.Command(
                """
                INSERT INTO ipn_notifications (notification_id, merchant_id, environment, object_type, object_id, charge_permission_id,
                                               notification_type, event_id, created_at)
                SELECT @nid, @m, @env, @type, @id, @parent, @ntype, last_insert_rowid(), @at
                WHERE EXISTS (SELECT 1 FROM ipn_endpoints WHERE merchant_id = @m AND environment = @env)
                """);
            BindObject(enqueue, merchantId, environment, e);
            enqueue.Text("nid", Guid.NewGuid().ToString());
            enqueue.Text("ntype", IpnOutbox.StateChange);
            enqueue.Execute();
        }
    }

    /// <summary>What an event and its notification both record: whose object it is, which, and when it changed.</summary>
    private static void BindObject(Statement statement, string merchantId, ReleaseEnvironment environment, DomainEvent e)
    {
        statement.Text("m", merchantId);
        statement.Text("env", environment.ToString());
        statement.Text("type", e.ObjectType.ToString());
        statement.Text("id", e.ObjectId);
        statement.Text("parent", e.ChargePermissionId);
        statement.Time("at", e.At);
    }

    /// <summary>The single writer already makes every command exclusive: there is nothing to lock or skip.</summary>
    public override IReadOnlyList<DueItem> ClaimDue(RelationalSession session, ReleaseEnvironment environment, DateTimeOffset now, int limit, bool skipLocked) =>
        session.FindDue(environment, now, limit);

    /// <summary>
    /// The parameter named <paramref name="name"/> (without its <c>@</c>). A prepared command has all of its
    /// parameters already; a statement built on the spot gets them as they are bound.
    /// </summary>
    private static SqliteParameter Parameter(DbCommand command, string name)
    {
        var parameters = ((SqliteCommand)command).Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var parameterName = parameter.ParameterName;
            if (parameterName.Length == name.Length + 1 && parameterName.AsSpan(1).SequenceEqual(name))
            {
                return parameter;
            }
        }

        return parameters.Add(new SqliteParameter("@" + name, null));
    }
}
