using System.Text.Json;
using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;
using Tillpoint.Storage.Documents;

namespace Tillpoint.Storage.Tests.Golden;

/// <summary>
/// Enums are stored by name, in documents and in columns. <c>Golden/enum-names.json</c> lists every name stored so far:
/// renaming or removing a member fails here (stored rows would no longer parse); a new member is appended to the file.
/// </summary>
public sealed class StoredEnumNameTests
{
    public const string File = "enum-names.json";

    /// <summary>The stored document types; every enum they reach is stored by name.</summary>
    private static readonly Type[] Documents = [typeof(StoredCheckoutSession), typeof(StoredChargePermission), typeof(StoredCharge), typeof(StoredRefund)];

    /// <summary>Enums kept by name in columns (states, environments, events, IPN deliveries).</summary>
    private static readonly Type[] Columns =
    [
        typeof(ReleaseEnvironment), typeof(ObjectType), typeof(Currency), typeof(CheckoutSessionState), typeof(ChargePermissionState),
        typeof(ChargeState), typeof(RefundState), typeof(CheckoutSessionReasonCode), typeof(ChargePermissionReasonCode),
        typeof(ChargeReasonCode), typeof(RefundReasonCode), typeof(IpnDeliveryState), typeof(IpnAttemptOutcome),
    ];

    [Fact]
    public void EveryStoredEnum_HasExactlyTheNamesStoredSoFar()
    {
        using var golden = JsonDocument.Parse(System.IO.File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", File)));
        var stored = golden.RootElement.EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(name => name.GetString()!).ToList(), StringComparer.Ordinal);
        var enums = Documents.SelectMany(Reachable).Concat(Columns).Distinct().OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

        Assert.Equal(enums.Select(t => t.Name), stored.Keys.Order(StringComparer.Ordinal));
        Assert.All(enums, type => Assert.Equal(stored[type.Name], Enum.GetNames(type)));
    }

    /// <summary>The enums a stored type reaches through its stored properties, lists, dictionaries and nullables.</summary>
    private static IEnumerable<Type> Reachable(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type) || type == typeof(string) || type.IsPrimitive || type == typeof(decimal) || type == typeof(DateTimeOffset))
            {
                continue;
            }

            if (type.IsEnum)
            {
                yield return type;
                continue;
            }

            foreach (var argument in type.GetGenericArguments())
            {
                pending.Push(argument);
            }

            if (!type.IsGenericType || Nullable.GetUnderlyingType(type) is null)
            {
                foreach (var property in Fields.Stored(type))
                {
                    pending.Push(property.PropertyType);
                }
            }
        }
    }
}
