using Tillpoint.Domain;

namespace Tillpoint.Storage;

/// <summary>
/// What the dashboard's lists filter on. Every criterion is optional and they combine with AND. Amounts compare in the
/// object's own currency (no conversion); the merchant reference is merchantMetadata.merchantReferenceId, matched
/// exactly.
/// </summary>
public sealed record BrowseFilter(ObjectType ObjectType)
{
    public string? MerchantId { get; init; }

    public ReleaseEnvironment? Environment { get; init; }

    public string? ObjectId { get; init; }

    public string? State { get; init; }

    public decimal? AmountMin { get; init; }

    public decimal? AmountMax { get; init; }

    /// <summary>Inclusive.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Exclusive.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    public string? MerchantReference { get; init; }
}

/// <summary>Where a page ends: the next page starts after this (created_at, id), newest first.</summary>
public sealed record BrowseCursor(DateTimeOffset CreatedAt, string ObjectId);

/// <summary>One listed object, read from its queried columns only (its document is not loaded).</summary>
public sealed record BrowseRow(
    ObjectType ObjectType,
    string MerchantId,
    ReleaseEnvironment Environment,
    string ObjectId,
    string State,
    Money? Amount,
    string? MerchantReference,
    DateTimeOffset CreatedAt);

/// <summary>A page of rows; <see cref="Next"/> is null on the last page.</summary>
public sealed record BrowsePage(IReadOnlyList<BrowseRow> Rows, BrowseCursor? Next);

/// <summary>Queries for operators browsing every merchant's objects (the dashboard); never used by the API.</summary>
public interface IStoreBrowsing
{
    /// <summary>The most page size a caller may ask for; larger requests are clamped.</summary>
    const int MaxPageSize = 100;

    /// <summary>Newest first (by created_at, then id), after <paramref name="after"/>; at most <paramref name="pageSize"/> rows.</summary>
    BrowsePage Browse(BrowseFilter filter, BrowseCursor? after, int pageSize);

    /// <summary>
    /// How many objects of a type are in <paramref name="state"/>, counting no further than <paramref name="cap"/>, so the
    /// cost stays bounded however many objects there are.
    /// </summary>
    long CountInState(ObjectType objectType, string state, long cap);

    /// <summary>The latest events of every merchant, newest first.</summary>
    IReadOnlyList<StoredEvent> RecentEvents(int limit);
}

/// <summary>The columns a Save keeps for the dashboard's lists, besides state and creation time.</summary>
internal readonly record struct Listing(Money? Amount, string? MerchantReference);

/// <summary>Table and column names per object type, shared by both stores' list queries.</summary>
internal static class BrowseTables
{
    public static (string Table, string IdColumn) Of(ObjectType objectType) => objectType switch
    {
        ObjectType.CheckoutSession => ("checkout_sessions", "checkout_session_id"),
        ObjectType.ChargePermission => ("charge_permissions", "charge_permission_id"),
        ObjectType.Charge => ("charges", "charge_id"),
        ObjectType.Refund => ("refunds", "refund_id"),
        ObjectType.Dispute => ("disputes", "dispute_id"),
    };

    public static int ClampPageSize(int pageSize) => Math.Clamp(pageSize, 1, IStoreBrowsing.MaxPageSize);
}
