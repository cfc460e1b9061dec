using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tillpoint.Protocol.Notifications;

/// <summary>
/// The notification an IPN carries: the <c>Message</c> string of the SNS envelope (spec §11.2). It names the object
/// that changed but carries none of its state: a receiver calls Get Charge, Get Charge Permission or Get Refund.
/// </summary>
/// <param name="MerchantID">The merchant the object belongs to.</param>
/// <param name="ObjectType">One of <see cref="IpnObjectTypes"/>.</param>
/// <param name="ObjectId">The id of the object that changed.</param>
/// <param name="ChargePermissionId">The charge permission the object belongs to (itself for a charge permission).</param>
/// <param name="NotificationType"><see cref="StateChange"/> for a change of state.</param>
/// <param name="NotificationId">Unique per notification and kept across redeliveries: the key to de-duplicate on.</param>
/// <param name="NotificationVersion">The IPN format version, always <see cref="Version2"/>.</param>
public sealed record IpnMessage(
    string MerchantID,
    string ObjectType,
    string ObjectId,
    string ChargePermissionId,
    string NotificationType,
    string NotificationId,
    string NotificationVersion)
{
    /// <summary>The notification type of a state change.</summary>
    public const string StateChange = "STATE_CHANGE";

    /// <summary>The notification type of a change of attributes that leaves the state as it was.</summary>
    public const string AttributeChange = "ATTRIBUTE_CHANGE";

    /// <summary>The format version Amazon Pay v2 sends (unrelated to the API version).</summary>
    public const string Version2 = "V2";

    /// <summary>The JSON text, keys in the documented order.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, IpnJsonContext.Default.IpnMessage);

    /// <summary>Reads a message; throws <see cref="FormatException"/> when it is not one.</summary>
    public static IpnMessage Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json); // clearer than the same refusal one call later
        IpnMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(json, IpnJsonContext.Default.IpnMessage);
        }
        catch (JsonException e)
        {
            throw new FormatException("The IPN message is not valid JSON: " + e.Message, e);
        }

        if (message is null
            || string.IsNullOrEmpty(message.MerchantID)
            || string.IsNullOrEmpty(message.ObjectType)
            || string.IsNullOrEmpty(message.ObjectId)
            || string.IsNullOrEmpty(message.NotificationType)
            || string.IsNullOrEmpty(message.NotificationId)
            || string.IsNullOrEmpty(message.NotificationVersion))
        {
            throw new FormatException("The IPN message lacks one of MerchantID, ObjectType, ObjectId, NotificationType, NotificationId, NotificationVersion.");
        }

        return message;
    }
}

/// <summary>The values of <see cref="IpnMessage.ObjectType"/>.</summary>
public static class IpnObjectTypes
{
    /// <summary>A charge permission changed.</summary>
    public const string ChargePermission = "CHARGE_PERMISSION";

    /// <summary>A charge changed.</summary>
    public const string Charge = "CHARGE";

    /// <summary>A refund changed.</summary>
    public const string Refund = "REFUND";

    /// <summary>A dispute was opened or its status changed; <see cref="IpnMessage.ObjectId"/> is the dispute id.</summary>
    public const string Chargeback = "CHARGEBACK";
}

/// <summary>
/// SNS and the IPN message use PascalCase keys, unlike the API; unknown keys are tolerated when reading, as SNS adds
/// keys over time.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IpnMessage))]
[JsonSerializable(typeof(IpnEnvelope))]
internal sealed partial class IpnJsonContext : JsonSerializerContext;
