using System.Security.Cryptography;
using System.Text;

namespace Tillpoint.Protocol.Notifications;

/// <summary>
/// SNS message signatures (spec §11.3). Version 1 is SHA1withRSA, the only one some receivers accept, so it is what
/// Tillpoint sends; version 2 (SHA256withRSA) is verified too.
/// </summary>
public static class IpnSignature
{
    /// <summary>The version Tillpoint signs with.</summary>
    public const string Version1 = "1";

    /// <summary>SHA256withRSA, verified but not sent.</summary>
    public const string Version2 = "2";

    /// <summary>
    /// The signed text of a notification: <c>key\nvalue\n</c> for Message, MessageId, Subject (only when present),
    /// Timestamp, TopicArn and Type, in that order.
    /// </summary>
    public static string StringToSign(IpnEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var text = new StringBuilder(envelope.Message.Length + 256);
        Append(text, "Message", envelope.Message);
        Append(text, "MessageId", envelope.MessageId);
        if (envelope.Subject is not null)
        {
            Append(text, "Subject", envelope.Subject);
        }

        Append(text, "Timestamp", envelope.Timestamp);
        Append(text, "TopicArn", envelope.TopicArn);
        Append(text, "Type", envelope.Type);
        return text.ToString();
    }

    /// <summary>Returns <paramref name="envelope"/> with <see cref="IpnEnvelope.Signature"/> and version 1 set.</summary>
    public static IpnEnvelope Sign(IpnEnvelope envelope, RSA privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        var unsigned = envelope with { SignatureVersion = Version1, Signature = string.Empty };
        var signature = privateKey.SignData(Encoding.UTF8.GetBytes(StringToSign(unsigned)), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        return unsigned with { Signature = Convert.ToBase64String(signature) };
    }

    /// <summary>
    /// Whether <see cref="IpnEnvelope.Signature"/> was made over this envelope's text by the key of
    /// <paramref name="publicKey"/>. False for an unknown version or a signature that is not Base64.
    /// </summary>
    public static bool Verify(IpnEnvelope envelope, RSA publicKey)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(publicKey);
        HashAlgorithmName hash;
        switch (envelope.SignatureVersion)
        {
            case Version1:
                hash = HashAlgorithmName.SHA1;
                break;
            case Version2:
                hash = HashAlgorithmName.SHA256;
                break;
            default:
                return false;
        }

        // Base64 decodes to fewer bytes than it has characters.
        var signature = new byte[envelope.Signature.Length];
        if (!Convert.TryFromBase64String(envelope.Signature, signature, out var length))
        {
            return false;
        }

        try
        {
            return publicKey.VerifyData(Encoding.UTF8.GetBytes(StringToSign(envelope)), signature.AsSpan(0, length), hash, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static void Append(StringBuilder text, string key, string value) => text.Append(key).Append('\n').Append(value).Append('\n');
}
