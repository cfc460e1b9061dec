using System.Globalization;
using System.Text;
using Tillpoint.Domain;

namespace Tillpoint.Storage.Relational;

/// <summary>
/// The dashboard's list queries: keyset pages over (created_at, id), newest first, reading columns only. Exports: a
/// merchant's events by time.
/// </summary>
internal sealed partial class RelationalSession
{
    public BrowsePage Browse(BrowseFilter filter, BrowseCursor? after, int pageSize)
    {
        var size = BrowseTables.ClampPageSize(pageSize);
        // Text that cannot be stored matches nothing (and PostgreSQL would refuse the parameter).
        if (!CanStore(filter.ObjectId) || !CanStore(filter.MerchantId) || !CanStore(filter.State) || !CanStore(filter.MerchantReference) ||
            !CanStore(after?.ObjectId))
        {
            return new BrowsePage([], null);
        }

        using var command = BrowseCommand(filter, after, size, string.Empty);
        var rows = command.ReadAll(reader => new BrowseRow(
            filter.ObjectType,
            reader.GetString(0),
            Enum.Parse<ReleaseEnvironment>(reader.GetString(1)),
            reader.GetString(2),
            reader.GetString(3),
            reader.IsDBNull(4) || reader.IsDBNull(5) ? null : new Money(Dialect.GetAmount(reader, 4), Enum.Parse<Currency>(reader.GetString(5))),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            Dialect.GetTime(reader, 7)));

        if (rows.Count <= size)
        {
            return new BrowsePage(rows, null);
        }

        rows.RemoveAt(rows.Count - 1);
        return new BrowsePage(rows, new BrowseCursor(rows[^1].CreatedAt, rows[^1].ObjectId));
    }

    /// <summary>The plan of a list query, one line per step, so tests can check it uses an index.</summary>
    internal string PlanOfBrowse(BrowseFilter filter, BrowseCursor? after)
    {
        if (Dialect.BeforeExplain is { } before)
        {
            using var setting = Command(before);
            setting.Execute();
        }

        using var command = BrowseCommand(filter, after, IStoreBrowsing.MaxPageSize, Dialect.Explain);
        return string.Join('\n', command.ReadAll(reader => reader.GetString(Dialect.PlanColumn)));
    }

    private Statement BrowseCommand(BrowseFilter filter, BrowseCursor? after, int size, string prefix)
    {
        var (table, idColumn) = BrowseTables.Of(filter.ObjectType);
        // A statement of its own: the filters make too many shapes to keep prepared.
        var command = new Statement(this, _connection.CreateCommand(), owned: true);
        var where = new List<string>();
        void Equal(string column, string name, string? value)
        {
            if (value is not null)
            {
                where.Add($"{column} = @{name}");
                command.Text(name, value);
            }
        }

        Equal(idColumn, "id", filter.ObjectId);
        Equal("merchant_id", "m", filter.MerchantId);
        Equal("environment", "env", filter.Environment?.ToString());
        Equal("state", "state", filter.State);
        Equal("merchant_reference", "ref", filter.MerchantReference);
        if (filter.AmountMin is { } min)
        {
            where.Add($"{Dialect.AmountColumn} >= @min");
            Dialect.AmountBound(command.Command, "min", min, lower: true);
        }

        if (filter.AmountMax is { } max)
        {
            where.Add($"{Dialect.AmountColumn} <= @max");
            Dialect.AmountBound(command.Command, "max", max, lower: false);
        }

        if (filter.CreatedFrom is { } from)
        {
            where.Add("created_at >= @from");
            command.Time("from", from);
        }

        if (filter.CreatedBefore is { } before)
        {
            where.Add("created_at < @before");
            command.Time("before", before);
        }

        if (after is not null)
        {
            where.Add($"(created_at, {idColumn}) < (@after, @afterid)");
            command.Time("after", after.CreatedAt);
            command.Text("afterid", after.ObjectId);
        }

        var sql = new StringBuilder(prefix).Append(
            CultureInfo.InvariantCulture,
            $"SELECT merchant_id, environment, {idColumn}, state, {Dialect.AmountColumn}, currency, merchant_reference, created_at FROM {table}");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        // One row more than the page tells whether there is a next page.
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY created_at DESC, {idColumn} DESC LIMIT {size + 1}");
        command.Command.CommandText = sql.ToString();
        return command;
    }

    public long CountInState(ObjectType objectType, string state, long cap)
    {
        var (table, _) = BrowseTables.Of(objectType);
        using var command = Command(
            $"SELECT count(*) FROM (SELECT 1 FROM {table}{Dialect.IndexedBy(table + "_by_state_created")} WHERE state = @state LIMIT @cap) AS capped");
        command.Text("state", state);
        command.Int64("cap", cap);
        return command.Scalar();
    }

    public IReadOnlyList<StoredEvent> RecentEvents(int limit)
    {
        using var command = Command(_sql.RecentEvents);
        command.Int32("limit", Math.Clamp(limit, 1, IStoreBrowsing.MaxPageSize));
        return command.ReadAll(reader => ReadEvent(reader, reader.GetString(12)));
    }

    public IReadOnlyList<StoredEvent> GetEventPage(EventRange range, EventCursor? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (!CanStore(range.MerchantId))
        {
            return [];
        }

        using var command = Command(_sql.EventPage);
        BindRange(command, range);
        command.Time("afterat", after?.OccurredAt ?? range.From);
        command.Int64("afterid", after?.EventId ?? 0L);
        command.Int32("limit", limit);
        return command.ReadAll(reader => ReadEvent(reader, range.MerchantId));
    }

    public long CountEvents(EventRange range)
    {
        if (!CanStore(range.MerchantId))
        {
            return 0;
        }

        using var command = Command(_sql.CountEvents);
        BindRange(command, range);
        return command.Scalar();
    }

    private static void BindRange(Statement command, EventRange range)
    {
        command.Text("m", range.MerchantId);
        command.Time("from", range.From);
        command.Time("to", range.To);
        command.Text("env", range.Environment?.ToString());
    }
}
