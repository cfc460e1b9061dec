using Tillpoint.Storage.Postgres;
using Tillpoint.Storage.Sqlite;

namespace Tillpoint.Storage;

/// <summary>Opens the store the options choose; every verb that needs one opens it here.</summary>
public static class TillpointStores
{
    /// <summary>Opens (creating and migrating when needed) the store.</summary>
    public static ITillpointStore Open(StoreOptions options) => options.Kind switch
    {
        StoreKind.Sqlite => SqliteStore.Open(options),
        StoreKind.Postgres => PostgresStore.Open(options),
    };
}
