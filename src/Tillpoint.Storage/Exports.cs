using Tillpoint.Domain;

namespace Tillpoint.Storage;

/// <summary>
/// A merchant's events whose time is in [<paramref name="From"/>, <paramref name="To"/>), in one environment or, when
/// <paramref name="Environment"/> is null, in both.
/// </summary>
public sealed record EventRange(string MerchantId, ReleaseEnvironment? Environment, DateTimeOffset From, DateTimeOffset To);

/// <summary>Where an export page ended: the next page starts after this event (keyset paging, no offsets).</summary>
public readonly record struct EventCursor(DateTimeOffset OccurredAt, long EventId);

/// <summary>
/// Reads for exports and reports: events by time, a page at a time, so that an export of any size holds one page in
/// memory and every page is one index range scan.
/// </summary>
public interface IExportReader
{
    /// <summary>
    /// At most <paramref name="limit"/> events of <paramref name="range"/> in time order (event id breaking ties),
    /// starting after <paramref name="after"/> (from the range's start when null).
    /// </summary>
    IReadOnlyList<StoredEvent> GetEventPage(EventRange range, EventCursor? after, int limit);

    /// <summary>How many events <paramref name="range"/> holds: the total a progress bar counts towards.</summary>
    long CountEvents(EventRange range);
}

/// <summary>The schema migrations a store knows of and the ones its opening applied.</summary>
public interface IStoreSchema
{
    /// <summary>The schema version the store is at once open: the latest migration this build ships.</summary>
    int SchemaVersion { get; }

    /// <summary>The migrations opening the store applied, in order; empty when it was already up to date.</summary>
    IReadOnlyList<int> MigrationsApplied { get; }
}
