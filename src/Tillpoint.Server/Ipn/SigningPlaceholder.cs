// Stand-in for the envelope signing contract until it is merged; deleted then.
using System.Text.Json;
using Tillpoint.Domain;
using Tillpoint.Protocol.Notifications;

namespace Tillpoint.Protocol.Notifications
{
    public sealed record IpnMessage(
        string MerchantID, string ObjectType, string ObjectId, string ChargePermissionId, string NotificationType, string NotificationId,
        string NotificationVersion)
    {
        public const string StateChange = "STATE_CHANGE";

        public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["MerchantID"] = MerchantID, ["ObjectType"] = ObjectType, ["ObjectId"] = ObjectId, ["ChargePermissionId"] = ChargePermissionId,
            ["NotificationType"] = NotificationType, ["NotificationId"] = NotificationId, ["NotificationVersion"] = NotificationVersion,
        });
    }

    public static class IpnObjectTypes
    {
        public const string ChargePermission = "CHARGE_PERMISSION";
        public const string Charge = "CHARGE";
        public const string Refund = "REFUND";
    }

    public sealed record IpnEnvelope(
        string Type, string MessageId, string TopicArn, string Message, string Timestamp, string SignatureVersion, string Signature,
        string SigningCertURL, string UnsubscribeURL)
    {
        public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["Type"] = Type, ["MessageId"] = MessageId, ["TopicArn"] = TopicArn, ["Message"] = Message, ["Timestamp"] = Timestamp,
            ["SignatureVersion"] = SignatureVersion, ["Signature"] = Signature, ["SigningCertURL"] = SigningCertURL, ["UnsubscribeURL"] = UnsubscribeURL,
        });
    }
}

namespace Tillpoint.Server.Ipn
{
    public sealed class IpnSigner
    {
        public IpnEnvelope Sign(string merchantId, ReleaseEnvironment environment, IpnMessage message, DateTimeOffset timestamp) => new(
            "Notification", Guid.NewGuid().ToString(), "arn:aws:sns:us-east-1:000000000000:tillpoint-" + environment.ToString().ToLowerInvariant(),
            message.ToJson(), timestamp.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), "1", "unsigned",
            "https://localhost/ipn/certificate.pem", "https://localhost/");
    }
}
