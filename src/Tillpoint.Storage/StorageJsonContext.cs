using System.Text.Json.Serialization;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Storage;

/// <summary>
/// How aggregates are stored: each row keeps its queried columns plus the whole aggregate as a JSON document, so a
/// new field needs no migration. Derived (get-only) properties are not stored.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    IgnoreReadOnlyProperties = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(CheckoutSession))]
[JsonSerializable(typeof(ChargePermission))]
[JsonSerializable(typeof(Charge))]
[JsonSerializable(typeof(Refund))]
[JsonSerializable(typeof(StoredDispute))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
