using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Tillpoint.Domain;

namespace Tillpoint.Storage.Sqlite;

/// <summary>The dashboard's list queries: keyset pages over (created_at, id), newest first, reading columns only.</summary>
internal sealed partial class SqliteSession
{
    public BrowsePage Browse(BrowseFilter filter, BrowseCursor? after, int pageSize)
    {
        var size = BrowseTables.ClampPageSize(pageSize);
        using var command = BrowseCommand(filter, after, size, string.Empty);
        var rows = new List<BrowseRow>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(new BrowseRow(
                    filter.ObjectType,
                    reader.GetString(0),
                    Enum.Parse<ReleaseEnvironment>(reader.GetString(1)),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) || reader.IsDBNull(5)
                        ? null
                        : new Money(reader.GetInt64(4) / 100m, Enum.Parse<Currency>(reader.GetString(5))),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
            }
        }

        return Page(rows, size);
    }

    /// <summary>The plan of a list query (EXPLAIN QUERY PLAN), one line per step, so tests can check it uses an index.</summary>
    internal string PlanOfBrowse(BrowseFilter filter, BrowseCursor? after)
    {
        using var command = BrowseCommand(filter, after, IStoreBrowsing.MaxPageSize, "EXPLAIN QUERY PLAN ");
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read())
        {
            steps.Add(reader.GetString(3));
        }

        return string.Join('\n', steps);
    }

    private SqliteCommand BrowseCommand(BrowseFilter filter, BrowseCursor? after, int size, string prefix)
    {
        var (table, idColumn) = BrowseTables.Of(filter.ObjectType);
        var command = connection.CreateCommand();
        var where = new List<string>();
        void Add(string condition, string name, object value)
        {
            where.Add(condition);
            command.Parameters.AddWithValue(name, value);
        }

        if (filter.ObjectId is { } id)
        {
            Add($"{idColumn} = $id", "$id", id);
        }

        if (filter.MerchantId is { } merchant)
        {
            Add("merchant_id = $m", "$m", merchant);
        }

        if (filter.Environment is { } environment)
        {
            Add("environment = $env", "$env", environment.ToString());
        }

        if (filter.State is { } state)
        {
            Add("state = $state", "$state", state);
        }

        if (filter.MerchantReference is { } reference)
        {
            Add("merchant_reference = $ref", "$ref", reference);
        }

        if (filter.AmountMin is { } min)
        {
            Add("amount_hundredths >= $min", "$min", (long)Math.Ceiling(min * 100m));
        }

        if (filter.AmountMax is { } max)
        {
            Add("amount_hundredths <= $max", "$max", (long)Math.Floor(max * 100m));
        }

        if (filter.CreatedFrom is { } from)
        {
            Add("created_at >= $from", "$from", from.ToUnixTimeMilliseconds());
        }

        if (filter.CreatedBefore is { } before)
        {
            Add("created_at < $before", "$before", before.ToUnixTimeMilliseconds());
        }

        if (after is not null)
        {
            where.Add($"(created_at, {idColumn}) < ($after, $afterId)");
            command.Parameters.AddWithValue("$after", after.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$afterId", after.ObjectId);
        }

        var sql = new StringBuilder(prefix).Append(
            CultureInfo.InvariantCulture,
            $"SELECT merchant_id, environment, {idColumn}, state, amount_hundredths, currency, merchant_reference, created_at FROM {table}");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        // One row more than the page tells whether there is a next page.
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY created_at DESC, {idColumn} DESC LIMIT {size + 1}");
        command.CommandText = sql.ToString();
        return command;
    }

    public long CountInState(ObjectType objectType, string state, long cap)
    {
        var (table, _) = BrowseTables.Of(objectType);
        var command = Command($"SELECT count(*) FROM (SELECT 1 FROM {table} INDEXED BY {table}_by_state_created WHERE state = $state LIMIT $cap)");
        command.Parameters["$state"].Value = state;
        command.Parameters["$cap"].Value = cap;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<StoredEvent> RecentEvents(int limit)
    {
        var command = Command(
            """
            SELECT event_id, environment, object_type, object_id, charge_permission_id, from_state, to_state, reason_code,
                   amount, currency, occurred_at, detail, merchant_id
            FROM events ORDER BY event_id DESC LIMIT $limit
            """);
        command.Parameters["$limit"].Value = Math.Clamp(limit, 1, IStoreBrowsing.MaxPageSize);
        var events = new List<StoredEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(ReadEvent(reader, reader.GetString(12)));
        }

        return events;
    }

    private static BrowsePage Page(List<BrowseRow> rows, int size)
    {
        if (rows.Count <= size)
        {
            return new BrowsePage(rows, null);
        }

        rows.RemoveAt(rows.Count - 1);
        var last = rows[^1];
        return new BrowsePage(rows, new BrowseCursor(last.CreatedAt, last.ObjectId));
    }
}
