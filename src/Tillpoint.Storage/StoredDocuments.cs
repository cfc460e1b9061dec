using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Disputes;
using Tillpoint.Domain.Refunds;
using Tillpoint.Storage.Documents;

namespace Tillpoint.Storage;

/// <summary>How one aggregate type is written to and read from its row's <c>document</c> column.</summary>
internal abstract class StoredDocument<T>
    where T : class
{
    /// <summary>The version of the documents this code writes (and the only one it reads until there is a second).</summary>
    public abstract int DocumentVersion { get; }

    public abstract byte[] Write(T aggregate);

    public abstract T Read(byte[] document);
}

/// <summary>An aggregate stored as <typeparamref name="TStored"/>, mapped to and from the domain record by the stored type.</summary>
/// <remarks>
/// <paramref name="oldestVersion"/>: the oldest version <typeparamref name="TStored"/> still reads as it is, when a newer
/// version only added optional fields to it.
/// </remarks>
internal sealed class StoredDocument<T, TStored>(
    int documentVersion, JsonTypeInfo<TStored> typeInfo, Func<T, TStored> store, Func<TStored, T> load, int? oldestVersion = null)
    : StoredDocument<T>
    where T : class
    where TStored : class
{
    public override int DocumentVersion => documentVersion;

    public override byte[] Write(T aggregate) => JsonSerializer.SerializeToUtf8Bytes(store(aggregate), typeInfo);

    public override T Read(byte[] document)
    {
        var version = DocumentVersions.Of(document);
        if (version > documentVersion || version < (oldestVersion ?? documentVersion))
        {
            // Only a newer Tillpoint writes a higher version: misreading its documents would lose what it added.
            throw new InvalidDataException(
                $"A stored {typeof(T).Name} document is of version {version}; this version of Tillpoint reads version {documentVersion}.");
        }

        var stored = JsonSerializer.Deserialize(document, typeInfo)
            ?? throw new InvalidDataException($"A stored {typeof(T).Name} document is null.");
        return load(stored);
    }
}

/// <summary>
/// Where a stored document records its version: a <c>documentVersion</c> number as its first property, or nothing for
/// version 1, which is the shape documents had before versions were recorded, so every document stored until then is
/// read as what it is and version 1 is still written byte for byte as before.
/// </summary>
internal static class DocumentVersions
{
    public static int Of(ReadOnlySpan<byte> document)
    {
        // Two tokens of a reader over the span: no allocation, and nothing beyond the first property is looked at.
        var reader = new Utf8JsonReader(document);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("documentVersion"u8))
        {
            return 1;
        }

        return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var version) && version >= 1
            ? version
            : throw new InvalidDataException("A stored document's documentVersion is not a positive whole number.");
    }
}

/// <summary>The one place both stores go through to turn aggregates into stored documents and back.</summary>
internal static class StoredDocuments
{
    /// <summary>
    /// Version 2 added recurring and saved-wallet checkouts, version 3 multi-address and Buy Now checkouts; it reads
    /// versions 1 and 2 as they are.
    /// </summary>
    public const int CheckoutSessionVersion = 3;

    /// <summary>Version 2 added recurring and saved-wallet permissions; it reads version 1 as it is.</summary>
    public const int ChargePermissionVersion = 2;

    public static readonly StoredDocument<CheckoutSession> CheckoutSession = new StoredDocument<CheckoutSession, StoredCheckoutSession>(
        CheckoutSessionVersion, StorageJsonContext.Default.StoredCheckoutSession, StoredCheckoutSession.From, stored => stored.ToDomain(),
        oldestVersion: 1);

    public static readonly StoredDocument<ChargePermission> ChargePermission = new StoredDocument<ChargePermission, StoredChargePermission>(
        ChargePermissionVersion, StorageJsonContext.Default.StoredChargePermission, StoredChargePermission.From, stored => stored.ToDomain(),
        oldestVersion: 1);

    public static readonly StoredDocument<Charge> Charge = new StoredDocument<Charge, StoredCharge>(
        1, StorageJsonContext.Default.StoredCharge, StoredCharge.From, stored => stored.ToDomain());

    public static readonly StoredDocument<Refund> Refund = new StoredDocument<Refund, StoredRefund>(
        1, StorageJsonContext.Default.StoredRefund, StoredRefund.From, stored => stored.ToDomain());

    public static readonly StoredDocument<Dispute> Dispute = new StoredDocument<Dispute, StoredDispute>(
        1, StorageJsonContext.Default.StoredDispute, StoredDispute.From, stored => stored.ToDispute());
}
