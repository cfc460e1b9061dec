using Npgsql;
using NpgsqlTypes;

namespace Tillpoint.Storage.Postgres;

/// <summary>Exports: a merchant's events by time, over the events_by_time index.</summary>
internal sealed partial class PostgresSession : IExportReader
{
    public IReadOnlyList<StoredEvent> GetEventPage(EventRange range, EventCursor? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (Unstorable(range.MerchantId))
        {
            return [];
        }

        // One range of the (merchant_id, occurred_at, event_id) index starting at the cursor's millisecond, the OR
        // continuing after the cursor within it: each page starts where the last ended, however deep into the export.
        // The same form as the SQLite store's. Event ids are positive, so (from, 0) starts at the range's first event.
        using var command = Command(
            """
            SELECT event_id, environment, object_type, object_id, charge_permission_id, from_state, to_state, reason_code,
                   amount, currency, occurred_at, detail
            FROM events
            WHERE merchant_id = @m AND occurred_at >= GREATEST(@from, @afterat) AND occurred_at < @to
              AND (occurred_at > @afterat OR event_id > @afterid)
              AND (@env::text IS NULL OR environment = @env::text)
            ORDER BY occurred_at, event_id
            LIMIT @limit
            """);
        BindRange(command, range);
        command.Parameters.Add(Time("afterat", (after?.OccurredAt ?? range.From).ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter<long>("afterid", after?.EventId ?? 0L));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var events = new List<StoredEvent>(Math.Min(limit, 1024));
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            events.Add(ReadEvent(reader, range.MerchantId));
        }

        return events;
    }

    public long CountEvents(EventRange range)
    {
        if (Unstorable(range.MerchantId))
        {
            return 0;
        }

        using var command = Command(
            """
            SELECT count(*) FROM events
            WHERE merchant_id = @m AND occurred_at >= @from AND occurred_at < @to AND (@env::text IS NULL OR environment = @env::text)
            """);
        BindRange(command, range);
        return Convert.ToInt64(Run(command.ExecuteScalar), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void BindRange(NpgsqlCommand command, EventRange range)
    {
        command.Parameters.Add(Text("m", range.MerchantId));
        command.Parameters.Add(Time("from", range.From.ToUnixTimeMilliseconds()));
        command.Parameters.Add(Time("to", range.To.ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter("env", NpgsqlDbType.Text) { Value = (object?)range.Environment?.ToString() ?? DBNull.Value });
    }
}
