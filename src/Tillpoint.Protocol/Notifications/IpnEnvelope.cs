using System.Globalization;
using System.Text.Json;

namespace Tillpoint.Protocol.Notifications;

/// <summary>
/// The Amazon SNS JSON envelope an IPN is posted in (spec §11.1), as the <c>text/plain</c> request body. Keys and
/// order are SNS's; <see cref="Subject"/> and <see cref="UnsubscribeURL"/> are left out when null.
/// </summary>
public sealed record IpnEnvelope
{
    /// <summary>The <see cref="Type"/> of a notification. Receivers ignore every other type.</summary>
    public const string NotificationType = "Notification";

    /// <summary>The <see cref="Timestamp"/> format: UTC with milliseconds.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary><see cref="NotificationType"/>, or SNS's subscription confirmations.</summary>
    public required string Type { get; init; }

    /// <summary>Unique per envelope: a redelivery gets a new one. De-duplicate on the message's NotificationId instead.</summary>
    public required string MessageId { get; init; }

    /// <summary>The topic the notification was published to.</summary>
    public required string TopicArn { get; init; }

    /// <summary>Optional in SNS; part of the signed text only when present.</summary>
    public string? Subject { get; init; }

    /// <summary>The <see cref="IpnMessage"/> as a JSON string.</summary>
    public required string Message { get; init; }

    /// <summary>When the envelope was signed, in <see cref="TimestampFormat"/>.</summary>
    public required string Timestamp { get; init; }

    /// <summary>"1" (SHA1withRSA) or "2" (SHA256withRSA).</summary>
    public required string SignatureVersion { get; init; }

    /// <summary>Base64 of the RSA signature over <see cref="IpnSignature.StringToSign"/>.</summary>
    public required string Signature { get; init; }

    /// <summary>Where the PEM certificate whose key made <see cref="Signature"/> is served.</summary>
    public required string SigningCertURL { get; init; }

    /// <summary>SNS's unsubscribe link; Tillpoint sends none (endpoints are managed by the operator).</summary>
    public string? UnsubscribeURL { get; init; }

    /// <summary>Formats a timestamp as <see cref="Timestamp"/> carries it.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>The body to post.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, IpnJsonContext.Default.IpnEnvelope);

    /// <summary>Reads an envelope; throws <see cref="FormatException"/> when the text is not one.</summary>
    public static IpnEnvelope Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json); // clearer than the same refusal one call later
        try
        {
            return JsonSerializer.Deserialize(json, IpnJsonContext.Default.IpnEnvelope)
                ?? throw new FormatException("The IPN body is JSON null, not an SNS envelope.");
        }
        catch (JsonException e)
        {
            // Missing required keys surface here too.
            throw new FormatException("The IPN body is not an SNS envelope: " + e.Message, e);
        }
    }
}
