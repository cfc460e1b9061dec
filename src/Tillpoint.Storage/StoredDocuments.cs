using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Storage;

/// <summary>How one aggregate type is written to and read from its row's <c>document</c> column.</summary>
internal sealed class StoredDocument<T>(JsonTypeInfo<T> typeInfo)
    where T : class
{
    public byte[] Write(T aggregate) => JsonSerializer.SerializeToUtf8Bytes(aggregate, typeInfo);

    public T Read(byte[] document) => JsonSerializer.Deserialize(document, typeInfo)
        ?? throw new InvalidDataException($"A stored {typeof(T).Name} document is null.");
}

/// <summary>The one place both stores go through to turn aggregates into stored documents and back.</summary>
internal static class StoredDocuments
{
    public static readonly StoredDocument<CheckoutSession> CheckoutSession = new(StorageJsonContext.Default.CheckoutSession);

    public static readonly StoredDocument<ChargePermission> ChargePermission = new(StorageJsonContext.Default.ChargePermission);

    public static readonly StoredDocument<Charge> Charge = new(StorageJsonContext.Default.Charge);

    public static readonly StoredDocument<Refund> Refund = new(StorageJsonContext.Default.Refund);

    public static readonly StoredDocument<StoredDispute> Dispute = new(StorageJsonContext.Default.StoredDispute);
}
