using System.Security.Cryptography;
using Tillpoint.Protocol.Notifications;
using Tillpoint.Protocol.Signing;
using Tillpoint.Protocol.Tests.Signing;

namespace Tillpoint.Protocol.Tests;

/// <summary>Every public entry point names the argument it refuses, rather than failing later inside.</summary>
public sealed class ArgumentGuardTests
{
    private static readonly Func<string, string?> AnyHeader = _ => "v";

    public static TheoryData<string, Action> NullArguments()
    {
        var envelope = new IpnEnvelope
        {
            Type = IpnEnvelope.NotificationType,
            MessageId = "m",
            TopicArn = "t",
            Message = "{}",
            Timestamp = "2026-11-28T03:00:00.000Z",
            SignatureVersion = IpnSignature.Version1,
            Signature = string.Empty,
            SigningCertURL = "https://127.0.0.1:8443/ipn/signing-certificate.pem",
        };
        var authorization = new AuthorizationHeader(SignatureAlgorithm.RsassaPssV2, "K", "x-amz-pay-date", "s");
        var key = SigningVectors.TestPublicKey;
        return new TheoryData<string, Action>
        {
            { "method", () => CanonicalRequest.Build(null!, "/", null, "h", AnyHeader, []) },
            { "rawPath", () => CanonicalRequest.Build("GET", null!, null, "h", AnyHeader, []) },
            { "signedHeaders", () => CanonicalRequest.Build("GET", "/", null, null!, AnyHeader, []) },
            { "headerValue", () => CanonicalRequest.Build("GET", "/", null, "h", null!, []) },
            { "decodedPairs", () => CanonicalRequest.CanonicalQueryString((IEnumerable<KeyValuePair<string, string>>)null!) },
            { "canonicalRequest", () => CanonicalRequest.StringToSign(SignatureAlgorithm.RsassaPss, null!) },
            { "authorization", () => RequestSignatureVerifier.Verify(null!, key, "GET", "/", null, AnyHeader, []) },
            { "key", () => RequestSignatureVerifier.Verify(authorization, null!, "GET", "/", null, AnyHeader, []) },
            { "payloadJson", () => ButtonSignature.StringToSign(SignatureAlgorithm.RsassaPss, null!) },
            { "key", () => ButtonSignature.Sign(null!, SignatureAlgorithm.RsassaPss, "{}") },
            { "key", () => ButtonSignature.Verify(null!, SignatureAlgorithm.RsassaPss, "{}", "s") },
            { "signatureBase64", () => ButtonSignature.Verify(key, SignatureAlgorithm.RsassaPss, "{}", null!) },
            { "publicKeyId", () => _ = new RequestSigner(null!, null!) },
            { "key", () => _ = new RequestSigner("ID", null!) },
            { "headers", () => new RequestSigner("ID", RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"))).Sign("GET", "/", null, null!, []) },
            { "pem", () => RsaVerificationKey.FromPem(null!) },
            { "pem", () => RsaSigningKey.FromPem(null!) },
            { "envelope", () => IpnSignature.StringToSign(null!) },
            { "privateKey", () => IpnSignature.Sign(envelope, null!) },
            { "envelope", () => IpnSignature.Verify(null!, RSA.Create()) },
            { "publicKey", () => IpnSignature.Verify(envelope, null!) },
            { "json", () => IpnEnvelope.Parse(null!) },
            { "json", () => IpnMessage.Parse(null!) },
        };
    }

    [Theory]
    [MemberData(nameof(NullArguments))]
    public void Null_IsRefusedByName(string parameter, Action call)
    {
        var refused = Assert.ThrowsAny<ArgumentException>(call);

        Assert.Equal(parameter, refused.ParamName);
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("GET", "")]
    public void Build_EmptyMethodOrPath_IsRefused(string method, string rawPath)
    {
        Assert.Throws<ArgumentException>(() => CanonicalRequest.Build(method, rawPath, null, "h", AnyHeader, []));
    }

    [Fact]
    public void CanonicalQueryString_PairWithNullName_IsRefused()
    {
        var refused = Assert.Throws<ArgumentException>(() => CanonicalRequest.CanonicalQueryString([new KeyValuePair<string, string>(null!, "v")]));

        Assert.Equal("decodedPairs", refused.ParamName);
    }

    [Fact]
    public void RequestSigner_NullHeaderValue_IsRefusedAsHeaders()
    {
        using var key = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));
        var headers = new Dictionary<string, string> { ["accept"] = null! };

        Assert.Equal("headers", Assert.Throws<ArgumentNullException>(() => new RequestSigner("ID", key).Sign("GET", "/", null, headers, [])).ParamName);
    }

    [Fact]
    public void RequestSigner_EmptyPublicKeyId_IsRefused()
    {
        using var key = RsaSigningKey.FromPem(SigningVectors.ReadText("test-key-private.pem"));

        Assert.Equal("publicKeyId", Assert.Throws<ArgumentException>(() => new RequestSigner("", key)).ParamName);
    }
}
