using Tillpoint.Client;

namespace Tillpoint.Testing;

/// <summary>
/// A merchant of a <see cref="TillpointTestServer"/> with a sandbox key, and a client signing with that key. The
/// ids and the private key serve tests that call with other clients, such as the official Amazon Pay SDKs.
/// </summary>
public sealed class TillpointMerchant
{
    internal TillpointMerchant(string merchantId, string storeId, string publicKeyId, string privateKeyPem, AmazonPayClient client)
    {
        MerchantId = merchantId;
        StoreId = storeId;
        PublicKeyId = publicKeyId;
        PrivateKeyPem = privateKeyPem;
        Client = client;
    }

    /// <summary>The merchant id (<c>A</c> and 13 letters and digits), as the button and the SDKs are configured with.</summary>
    public string MerchantId { get; }

    /// <summary>The store id (<c>amzn1.application-oa2-client.…</c>) that Create Checkout Session names.</summary>
    public string StoreId { get; }

    /// <summary>The sandbox public key id (<c>SANDBOX-…</c>): requests signed with it are Sandbox requests on any path.</summary>
    public string PublicKeyId { get; }

    /// <summary>The private key of <see cref="PublicKeyId"/>, in PEM.</summary>
    public string PrivateKeyPem { get; }

    /// <summary>
    /// A client for this merchant, signing with <see cref="PublicKeyId"/> and trusting the server's certificate. It is
    /// disposed with the server.
    /// </summary>
    public AmazonPayClient Client { get; }
}
