using Tillpoint.Protocol.Signing;

namespace Tillpoint.Client;

/// <summary>Configuration of an <see cref="AmazonPayClient"/>: where to send requests and how to sign them.</summary>
public sealed class AmazonPayClientOptions
{
    /// <summary>
    /// The API root: scheme, host and, when it is not the scheme's default, port, e.g. <c>https://127.0.0.1:8443</c>
    /// (a Tillpoint server) or <c>https://pay-api.amazon.com</c>. A path, if present, is kept as a prefix in front of
    /// <c>/v2</c> (or <c>/sandbox/v2</c>, <c>/live/v2</c>); a query, fragment or user info is rejected.
    /// </summary>
    public required Uri Endpoint { get; init; }

    /// <summary>
    /// The public key id registered for <see cref="PrivateKeyPem"/>. A <c>SANDBOX-</c> or <c>LIVE-</c> prefix
    /// (any case) selects the environment by itself and makes requests go to <c>/v2/...</c> (spec §1.2).
    /// </summary>
    public required string PublicKeyId { get; init; }

    /// <summary>The RSA private key (at least 2048 bits) as unencrypted PEM: PKCS#8 or PKCS#1.</summary>
    public required string PrivateKeyPem { get; init; }

    /// <summary>The request-signature algorithm; <see cref="SignatureAlgorithm.RsassaPssV2"/> (salt 32) unless V1 is asked for.</summary>
    public SignatureAlgorithm Algorithm { get; init; } = SignatureAlgorithm.RsassaPssV2;

    /// <summary>The value sent (and signed) as <c>x-amz-pay-region</c>, e.g. <c>na</c>, <c>eu</c> or <c>jp</c>; sent as given.</summary>
    public string Region { get; init; } = "na";

    /// <summary>
    /// Selects <c>/sandbox/v2</c> (<see langword="true"/>) or <c>/live/v2</c> (<see langword="false"/>). Used only when
    /// <see cref="PublicKeyId"/> has no <c>SANDBOX-</c>/<c>LIVE-</c> prefix; prefixed keys always use <c>/v2</c>.
    /// </summary>
    public bool Sandbox { get; init; } = true;

    /// <summary>The clock that stamps <c>x-amz-pay-date</c> on each request.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
