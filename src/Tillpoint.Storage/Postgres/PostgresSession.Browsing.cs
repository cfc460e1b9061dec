using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Tillpoint.Domain;

namespace Tillpoint.Storage.Postgres;

/// <summary>The dashboard's list queries: keyset pages over (created_at, id), newest first, reading columns only.</summary>
internal sealed partial class PostgresSession
{
    public BrowsePage Browse(BrowseFilter filter, BrowseCursor? after, int pageSize)
    {
        var size = BrowseTables.ClampPageSize(pageSize);
        // Text holding NUL cannot be stored, so nothing matches it (and PostgreSQL would refuse the parameter).
        if (new[] { filter.ObjectId, filter.MerchantId, filter.State, filter.MerchantReference, after?.ObjectId }.Any(v => v is not null && Unstorable(v)))
        {
            return new BrowsePage([], null);
        }

        using var command = BrowseCommand(filter, after, size, string.Empty);
        var rows = new List<BrowseRow>();
        using (var reader = Run(() => command.ExecuteReader()))
        {
            while (reader.Read())
            {
                rows.Add(new BrowseRow(
                    filter.ObjectType,
                    reader.GetString(0),
                    Enum.Parse<ReleaseEnvironment>(reader.GetString(1)),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) || reader.IsDBNull(5) ? null : new Money(reader.GetDecimal(4), Enum.Parse<Currency>(reader.GetString(5))),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.GetFieldValue<DateTimeOffset>(7)));
            }
        }

        if (rows.Count <= size)
        {
            return new BrowsePage(rows, null);
        }

        rows.RemoveAt(rows.Count - 1);
        return new BrowsePage(rows, new BrowseCursor(rows[^1].CreatedAt, rows[^1].ObjectId));
    }

    /// <summary>
    /// The plan of a list query (EXPLAIN), so tests can check it can use an index. Sequential scans are ruled out for
    /// the rest of the transaction: a test's tables are tiny, and scanning them whole is what the planner rightly picks.
    /// </summary>
    internal string PlanOfBrowse(BrowseFilter filter, BrowseCursor? after)
    {
        using (var off = Command("SET LOCAL enable_seqscan = off"))
        {
            NonQuery(off);
        }

        using var command = BrowseCommand(filter, after, IStoreBrowsing.MaxPageSize, "EXPLAIN ");
        using var reader = Run(() => command.ExecuteReader());
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    public long CountInState(ObjectType objectType, string state, long cap)
    {
        var (table, _) = BrowseTables.Of(objectType);
        using var command = Command($"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE state = @state LIMIT @cap) AS capped");
        command.Parameters.Add(Text("state", state));
        command.Parameters.Add(new NpgsqlParameter<long>("cap", cap));
        return Convert.ToInt64(Run(command.ExecuteScalar), CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<StoredEvent> RecentEvents(int limit)
    {
        using var command = Command(
            """
            SELECT event_id, environment, object_type, object_id, charge_permission_id, from_state, to_state, reason_code,
                   amount, currency, occurred_at, detail, merchant_id
            FROM events ORDER BY event_id DESC LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<int>("limit", Math.Clamp(limit, 1, IStoreBrowsing.MaxPageSize)));
        var events = new List<StoredEvent>();
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            events.Add(ReadEvent(reader, reader.GetString(12)));
        }

        return events;
    }

    private NpgsqlCommand BrowseCommand(BrowseFilter filter, BrowseCursor? after, int size, string prefix)
    {
        var (table, idColumn) = BrowseTables.Of(filter.ObjectType);
        var command = Command(string.Empty);
        var where = new List<string>();
        void Add(string condition, NpgsqlParameter parameter)
        {
            where.Add(condition);
            command.Parameters.Add(parameter);
        }

        if (filter.ObjectId is { } id)
        {
            Add($"{idColumn} = @id", Text("id", id));
        }

        if (filter.MerchantId is { } merchant)
        {
            Add("merchant_id = @m", Text("m", merchant));
        }

        if (filter.Environment is { } environment)
        {
            Add("environment = @env", Text("env", environment.ToString()));
        }

        if (filter.State is { } state)
        {
            Add("state = @state", Text("state", state));
        }

        if (filter.MerchantReference is { } reference)
        {
            Add("merchant_reference = @ref", Text("ref", reference));
        }

        if (filter.AmountMin is { } min)
        {
            Add("amount >= @min", new NpgsqlParameter("min", NpgsqlDbType.Numeric) { Value = min });
        }

        if (filter.AmountMax is { } max)
        {
            Add("amount <= @max", new NpgsqlParameter("max", NpgsqlDbType.Numeric) { Value = max });
        }

        if (filter.CreatedFrom is { } from)
        {
            Add("created_at >= @from", Time("from", from.ToUnixTimeMilliseconds()));
        }

        if (filter.CreatedBefore is { } before)
        {
            Add("created_at < @before", Time("before", before.ToUnixTimeMilliseconds()));
        }

        if (after is not null)
        {
            Add($"(created_at, {idColumn}) < (@after, @afterid)", Time("after", after.CreatedAt.ToUnixTimeMilliseconds()));
            command.Parameters.Add(Text("afterid", after.ObjectId));
        }

        var sql = new StringBuilder(prefix).Append(
            CultureInfo.InvariantCulture,
            $"SELECT merchant_id, environment, {idColumn}, state, amount, currency, merchant_reference, created_at FROM {table}");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        // One row more than the page tells whether there is a next page.
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY created_at DESC, {idColumn} DESC LIMIT {size + 1}");
        command.CommandText = sql.ToString();
        return command;
    }
}
