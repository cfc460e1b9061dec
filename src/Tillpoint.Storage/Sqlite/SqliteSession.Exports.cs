using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Tillpoint.Storage.Sqlite;

/// <summary>Exports: a merchant's events by time, over the events_by_time index.</summary>
internal sealed partial class SqliteSession : IExportReader
{
    public IReadOnlyList<StoredEvent> GetEventPage(EventRange range, EventCursor? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // The index range starts at the cursor's millisecond, and the OR continues after the cursor within it. (A row
        // value comparison, (occurred_at, event_id) > (…), reads the same but SQLite does not start the range at it:
        // every page scanned from the range's start.) Event ids are positive, so (from, 0) starts at the first event.
        var command = Command(
            """
            SELECT event_id, environment, object_type, object_id, charge_permission_id, from_state, to_state, reason_code,
                   amount, currency, occurred_at, detail
            FROM events INDEXED BY events_by_time
            WHERE merchant_id = $m AND occurred_at >= max($from, $afterat) AND occurred_at < $to
              AND (occurred_at > $afterat OR event_id > $afterid)
              AND ($env IS NULL OR environment = $env)
            ORDER BY occurred_at, event_id
            LIMIT $limit
            """);
        BindRange(command, range);
        command.Parameters["$afterat"].Value = (after?.OccurredAt ?? range.From).ToUnixTimeMilliseconds();
        command.Parameters["$afterid"].Value = after?.EventId ?? 0L;
        command.Parameters["$limit"].Value = limit;
        var events = new List<StoredEvent>(Math.Min(limit, 1024));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(ReadEvent(reader, range.MerchantId));
        }

        return events;
    }

    public long CountEvents(EventRange range)
    {
        var command = Command(
            """
            SELECT count(*) FROM events INDEXED BY events_by_time
            WHERE merchant_id = $m AND occurred_at >= $from AND occurred_at < $to AND ($env IS NULL OR environment = $env)
            """);
        BindRange(command, range);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void BindRange(SqliteCommand command, EventRange range)
    {
        var p = command.Parameters;
        p["$m"].Value = range.MerchantId;
        p["$from"].Value = range.From.ToUnixTimeMilliseconds();
        p["$to"].Value = range.To.ToUnixTimeMilliseconds();
        p["$env"].Value = (object?)range.Environment?.ToString() ?? DBNull.Value;
    }
}
