using System.Text.Json.Serialization;
using Tillpoint.Storage.Documents;

namespace Tillpoint.Storage;

/// <summary>
/// How aggregates are stored: each row keeps its queried columns plus the aggregate as a JSON document of its stored type
/// (<c>Documents/</c>), so a new field needs no migration and a renamed domain property changes no stored name. Nulls are
/// left out; enums are written by name.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    IgnoreReadOnlyProperties = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoredCheckoutSession))]
[JsonSerializable(typeof(StoredChargePermission))]
[JsonSerializable(typeof(StoredCharge))]
[JsonSerializable(typeof(StoredRefund))]
[JsonSerializable(typeof(StoredDispute))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
