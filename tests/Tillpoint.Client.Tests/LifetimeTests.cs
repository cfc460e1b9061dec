using System.Net;

namespace Tillpoint.Client.Tests;

public sealed class LifetimeTests
{
    [Fact]
    public async Task Disposing_the_client_leaves_a_supplied_HttpClient_usable()
    {
        var handler = new CapturingHandler(HttpStatusCode.OK, SampleJson.CheckoutSession);
        using var http = new HttpClient(handler);
        var client = new AmazonPayClient(http, new AmazonPayClientOptions
        {
            Endpoint = new Uri("https://127.0.0.1:8443"),
            PublicKeyId = Harness.SandboxKeyId,
            PrivateKeyPem = TestKeys.PrivateKeyPem,
        });

        client.Dispose();

        using var response = await http.GetAsync(new Uri("https://127.0.0.1:8443/anything"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Calls_after_dispose_throw_ObjectDisposedException()
    {
        var harness = new Harness();
        harness.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Client.GetCheckoutSessionAsync("cs-1"));
        Assert.Empty(harness.Handler.Requests);
    }

    [Fact]
    public void Invalid_private_key_pem_is_rejected_at_construction()
    {
        var options = new AmazonPayClientOptions
        {
            Endpoint = new Uri("https://127.0.0.1:8443"),
            PublicKeyId = Harness.SandboxKeyId,
            PrivateKeyPem = "not a pem",
        };

        Assert.ThrowsAny<ArgumentException>(() => new AmazonPayClient(options));
    }
}
