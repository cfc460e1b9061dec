using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tillpoint.Protocol.Notifications;
using Tillpoint.Protocol.Tests.Signing;

namespace Tillpoint.Protocol.Tests.Notifications;

public sealed class IpnSignatureTests
{
    private static readonly IpnMessage Message = new(
        "A2EXAMPLE1234", IpnObjectTypes.Charge, "S01-1234567-1234567-C123456", "S01-1234567-1234567",
        IpnMessage.StateChange, "2f1ee3c8-4a52-4c8b-8f7f-6b1d7d0f3c11", IpnMessage.Version2);

    private static IpnEnvelope Unsigned(string? subject = null) => new()
    {
        Type = IpnEnvelope.NotificationType,
        MessageId = "9b3f4a8e-0c2d-4d7e-9a51-3f2b8e6c1d70",
        TopicArn = "arn:tillpoint:sns:local:A2EXAMPLE1234:ipn-sandbox",
        Subject = subject,
        Message = Message.ToJson(),
        Timestamp = "2026-11-28T03:00:00.000Z",
        SignatureVersion = IpnSignature.Version1,
        Signature = string.Empty,
        SigningCertURL = "https://127.0.0.1:8443/ipn/signing-certificate.pem",
    };

    private static RSA PrivateKey()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(SigningVectors.ReadText("test-key-private.pem"));
        return rsa;
    }

    [Fact]
    public void StringToSign_ListsTheNotificationKeysInSnsOrder()
    {
        var text = IpnSignature.StringToSign(Unsigned());

        Assert.Equal(
            $"Message\n{Message.ToJson()}\nMessageId\n9b3f4a8e-0c2d-4d7e-9a51-3f2b8e6c1d70\nTimestamp\n2026-11-28T03:00:00.000Z\n"
            + "TopicArn\narn:tillpoint:sns:local:A2EXAMPLE1234:ipn-sandbox\nType\nNotification\n",
            text);
    }

    [Fact]
    public void StringToSign_IncludesSubjectOnlyWhenPresent()
    {
        var text = IpnSignature.StringToSign(Unsigned(subject: "Payment"));

        Assert.Contains("MessageId\n9b3f4a8e-0c2d-4d7e-9a51-3f2b8e6c1d70\nSubject\nPayment\nTimestamp\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_ProducesVersion1Sha1WithRsaThatVerifies()
    {
        using var key = PrivateKey();

        var signed = IpnSignature.Sign(Unsigned(), key);

        Assert.Equal("1", signed.SignatureVersion);
        Assert.True(key.VerifyData(
            Encoding.UTF8.GetBytes(IpnSignature.StringToSign(signed)), Convert.FromBase64String(signed.Signature),
            HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1));
        Assert.True(IpnSignature.Verify(signed, key));
    }

    [Theory]
    [InlineData("Message")]
    [InlineData("MessageId")]
    [InlineData("Timestamp")]
    [InlineData("TopicArn")]
    [InlineData("Type")]
    public void Verify_RefusesAChangeToAnySignedField(string field)
    {
        using var key = PrivateKey();
        var signed = IpnSignature.Sign(Unsigned(), key);

        var tampered = field switch
        {
            "Message" => signed with { Message = signed.Message.Replace("C123456", "C123457", StringComparison.Ordinal) },
            "MessageId" => signed with { MessageId = Guid.Empty.ToString() },
            "Timestamp" => signed with { Timestamp = "2026-11-28T03:00:00.001Z" },
            "TopicArn" => signed with { TopicArn = "arn:tillpoint:sns:local:A2EXAMPLE1234:ipn-live" },
            _ => signed with { Type = "SubscriptionConfirmation" },
        };

        Assert.False(IpnSignature.Verify(tampered, key));
    }

    [Fact]
    public void Verify_RefusesAnotherKeysSignature()
    {
        using var key = PrivateKey();
        using var other = RSA.Create(2048);

        Assert.False(IpnSignature.Verify(IpnSignature.Sign(Unsigned(), other), key));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("")]
    public void Verify_RefusesAnUnknownSignatureVersion(string version)
    {
        using var key = PrivateKey();
        var signed = IpnSignature.Sign(Unsigned(), key);

        Assert.False(IpnSignature.Verify(signed with { SignatureVersion = version }, key));
    }

    [Fact]
    public void Verify_RefusesASignatureThatIsNotBase64()
    {
        using var key = PrivateKey();

        Assert.False(IpnSignature.Verify(Unsigned() with { Signature = "not base64!" }, key));
    }

    [Fact]
    public void Verify_WhenTheKeyThrowsOnTheSignature_IsFalseNotAnException()
    {
        using var key = PrivateKey();
        using var failing = new FailingRsa();

        Assert.False(IpnSignature.Verify(IpnSignature.Sign(Unsigned(), key), failing));
    }

    [Fact]
    public void Verify_AcceptsVersion2Sha256WithRsa()
    {
        using var key = PrivateKey();
        var envelope = Unsigned() with { SignatureVersion = IpnSignature.Version2 };
        var signature = key.SignData(Encoding.UTF8.GetBytes(IpnSignature.StringToSign(envelope)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.True(IpnSignature.Verify(envelope with { Signature = Convert.ToBase64String(signature) }, key));
    }

    [Fact]
    public void Message_SerializesTheDocumentedKeysInOrder()
    {
        using var json = JsonDocument.Parse(Message.ToJson());

        Assert.Equal(
            ["MerchantID", "ObjectType", "ObjectId", "ChargePermissionId", "NotificationType", "NotificationId", "NotificationVersion"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Message, IpnMessage.Parse(Message.ToJson()));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("not json")]
    [InlineData("{\"MerchantID\":\"A\",\"ObjectType\":\"CHARGE\"}")]
    public void MessageParse_RefusesWhatIsNotAMessage(string json) =>
        Assert.Throws<FormatException>(() => IpnMessage.Parse(json));

    [Theory]
    [InlineData("MerchantID")]
    [InlineData("ObjectType")]
    [InlineData("ObjectId")]
    [InlineData("NotificationType")]
    [InlineData("NotificationId")]
    [InlineData("NotificationVersion")]
    public void MessageParse_RefusesAMessageMissingOrEmptyInOneRequiredKey(string key)
    {
        var json = JsonNode.Parse(Message.ToJson())!.AsObject();
        json[key] = "";
        Assert.Throws<FormatException>(() => IpnMessage.Parse(json.ToJsonString()));

        json.Remove(key);
        Assert.Throws<FormatException>(() => IpnMessage.Parse(json.ToJsonString()));
    }

    [Fact]
    public void MessageParse_JsonNull_IsRefused() =>
        Assert.Throws<FormatException>(() => IpnMessage.Parse("null"));

    [Fact]
    public void Envelope_RoundTripsAndLeavesOutNullOptionalKeys()
    {
        using var key = PrivateKey();
        var signed = IpnSignature.Sign(Unsigned(), key);

        var json = signed.ToJson();
        using var document = JsonDocument.Parse(json);

        Assert.Equal(
            ["Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(signed, IpnEnvelope.Parse(json));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{\"Type\":\"Notification\"}")]
    [InlineData("<xml/>")]
    public void EnvelopeParse_RefusesWhatIsNotAnEnvelope(string json) =>
        Assert.Throws<FormatException>(() => IpnEnvelope.Parse(json));

    [Fact]
    public void FormatTimestamp_IsUtcWithMilliseconds() =>
        Assert.Equal("2026-11-28T03:04:05.067Z", IpnEnvelope.FormatTimestamp(new DateTimeOffset(2026, 11, 28, 4, 4, 5, 67, TimeSpan.FromHours(1))));
}
