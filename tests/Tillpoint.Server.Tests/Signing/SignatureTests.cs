using System.Net;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Domain;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Signing;

/// <summary>Request signatures as the server checks them, including every recorded vector replayed over HTTP.</summary>
public sealed class SignatureTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string VectorMerchant = "AVECTORMERCHANT";

    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    public static TheoryData<string> VectorNames()
    {
        var data = new TheoryData<string>();
        foreach (var vector in Vectors().EnumerateArray())
        {
            data.Add(vector.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public async Task RecordedVector_IsAcceptedOrRefusedAtItsStage(string name)
    {
        var vector = Vectors().EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
        await using var host = await TillpointHost.StartAsync();
        await RegisterVectorKeysAsync(host.Store);
        var date = vector.GetProperty("headers").EnumerateObject().Single(h => h.NameEquals("x-amz-pay-date")).Value.GetString()!;
        // Signatures are recordings: check them against the time they were made (the future-date case keeps today's).
        host.SignatureClock.Set(name == "reject-future-date" ? TillpointHost.Start : AmazonPayDateOf(date));

        using var response = await SendRawAsync(host, vector);
        var body = await response.Content.ReadAsStringAsync();
        var root = JsonDocument.Parse(body).RootElement;
        var reasonCode = root.TryGetProperty("reasonCode", out var code) ? code.GetString() : null;

        if (vector.GetProperty("expect").GetString() == "accept")
        {
            // Accepted requests reach the operation: creates succeed where the vector's store id is registered, the
            // spec digest's own store id belongs to nobody here, and the objects the other vectors name do not exist.
            Assert.True(response.IsSuccessStatusCode || reasonCode is "ResourceNotFound" or "InvalidParameterValue", body);
            return;
        }

        var (status, expected) = vector.GetProperty("failsAt").GetString() switch
        {
            "signature" => (HttpStatusCode.Forbidden, "InvalidRequestSignature"),
            "missing-header" => (HttpStatusCode.BadRequest, "MissingHeader"),
            "key" => (HttpStatusCode.Unauthorized, "UnauthorizedAccess"),
            "header-parse" or "policy" or "clock" => (HttpStatusCode.BadRequest, "InvalidHeaderValue"),
            var other => throw new InvalidOperationException($"Unknown stage {other}"),
        };
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(expected, reasonCode);
        if (expected == "InvalidRequestSignature")
        {
            // The message echoes the string to sign the server computed, so a client can see what differs.
            Assert.Contains(vector.GetProperty("stringToSign").GetString()!, root.GetProperty("message").GetString()!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MissingAuthorization_IsMissingHeader()
    {
        using var http = RawRequests.Http(Host);
        using var response = await http.GetAsync(new Uri(Host.HttpsBase, "/v2/charges/S01-0000000-0000000-C000000"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"reasonCode\":\"MissingHeader\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(response.Headers.GetValues("x-amz-pay-request-id"));
    }

    [Fact]
    public async Task SandboxKey_OnTheLivePath_IsUnauthorized()
    {
        // The client builds /v2 paths for prefixed keys, so the live path is signed by hand here.
        var error = await RawGetAsync(Host, Merchant, Merchant.SandboxKeyId, "/live/v2/charges/S01-0000000-0000000-C000000");

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("UnauthorizedAccess", error.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainKey_OnTheV2PathWithoutEnvironment_IsUnauthorized()
    {
        var error = await RawGetAsync(Host, Merchant, Merchant.PlainKeyId, "/v2/charges/S01-0000000-0000000-C000000");

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("UnauthorizedAccess", error.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObjectsOfTheSandbox_AreInvisibleInLive()
    {
        using var sandbox = Host.Client(Merchant);
        using var live = Host.Client(Merchant, Merchant.LiveKeyId);
        var created = (await Checkouts.CreateAsync(sandbox, Merchant)).Value;

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => live.GetCheckoutSessionAsync(created.CheckoutSessionId!));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("ResourceNotFound", error.ReasonCode);
    }

    [Fact]
    public async Task ObjectsOfAnotherMerchant_DoNotExist()
    {
        var other = await Host.CreateMerchantAsync();
        using var mine = Host.Client(Merchant);
        using var theirs = Host.Client(other);
        var created = (await Checkouts.CreateAsync(mine, Merchant)).Value;

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => theirs.GetCheckoutSessionAsync(created.CheckoutSessionId!));

        Assert.Equal("ResourceNotFound", error.ReasonCode);
    }

    [Fact]
    public async Task RevokedKey_IsRefused()
    {
        var merchant = await Host.CreateMerchantAsync();
        using var client = Host.Client(merchant);
        await Checkouts.CreateAsync(client, merchant);

        var (exit, _, _) = await Host.CliAsync("keys", "revoke", merchant.SandboxKeyId);
        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CreateAsync(client, merchant));

        Assert.Equal(0, exit);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal("UnauthorizedAccess", error.ReasonCode);
    }

    [Theory]
    [InlineData(-20, "older than")]
    [InlineData(10, "should not be in future")]
    public async Task DateOutsideTheWindow_IsInvalidHeaderValue(int minutes, string message)
    {
        using var client = ClientWith("na", new TestClock(Host.SignatureClock.GetUtcNow().AddMinutes(minutes)));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => client.GetChargeAsync("S01-0000000-0000000-C000000"));

        Assert.Equal("InvalidHeaderValue", error.ReasonCode);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("US", true)]
    [InlineData("na", true)]
    [InlineData("EU", true)]
    [InlineData("mars", false)]
    public async Task Region_IsCaseInsensitive_AndMustBeKnown(string region, bool accepted)
    {
        using var client = ClientWith(region, Host.SignatureClock);

        var response = await client.SendAsync(HttpMethod.Get, "charges/S01-0000000-0000000-C000000", null);

        Assert.Equal(accepted ? 404 : 400, response.StatusCode);
    }

    [Fact]
    public async Task PayHost_ThatIsNeitherThisServerNorAmazon_IsRefused()
    {
        var error = await RawGetAsync(Host, Merchant, Merchant.SandboxKeyId, "/v2/charges/S01-0000000-0000000-C000000", payHost: "evil.example");

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("x-amz-pay-host", error.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_IsResourceNotFound_WrongMethod_IsRequestNotSupported()
    {
        using var client = Host.Client(Merchant);

        var unknown = await client.SendAsync(HttpMethod.Get, "nothingHere", null);
        var wrongMethod = await client.SendAsync(HttpMethod.Delete, "charges/S01-0000000-0000000-C000000", null);

        Assert.Equal(404, unknown.StatusCode);
        Assert.Contains("ResourceNotFound", Encoding.UTF8.GetString(unknown.Body), StringComparison.Ordinal);
        Assert.Equal(405, wrongMethod.StatusCode);
        Assert.Contains("RequestNotSupported", Encoding.UTF8.GetString(wrongMethod.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrailingSlash_IsRouted()
    {
        using var client = Host.Client(Merchant);
        var created = (await Checkouts.CreateAsync(client, Merchant)).Value;

        var response = await client.SendAsync(HttpMethod.Get, $"checkoutSessions/{created.CheckoutSessionId}/", null);

        Assert.Equal(200, response.StatusCode);
    }

    private AmazonPayClient ClientWith(string region, TimeProvider clock) => new(
        RawRequests.Http(Host),
        new AmazonPayClientOptions
        {
            Endpoint = Host.HttpsBase,
            PublicKeyId = Merchant.SandboxKeyId,
            PrivateKeyPem = Merchant.PrivateKeyPem,
            Region = region,
            TimeProvider = clock,
        });

    private static DateTimeOffset AmazonPayDateOf(string value) =>
        AmazonPayDate.TryParse(value, out var time) ? time : throw new FormatException(value);

    private static async Task RegisterVectorKeysAsync(ITillpointStore store)
    {
        var pem = await File.ReadAllTextAsync(Path.Combine(TestRepository.Root, "tests/Tillpoint.Protocol.Tests/Vectors/test-key-public.pem"));
        await store.WriteAsync(write =>
        {
            write.AddMerchant(new Merchant(VectorMerchant, "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef", "Vectors", TillpointHost.Start));
            write.AddPublicKey(new PublicKeyRecord("AMZNPAYTESTVECTORKEY0001", VectorMerchant, null, pem, TillpointHost.Start, null));
            write.AddPublicKey(new PublicKeyRecord("SANDBOX-AMZNPAYTESTVECTORKEY0002", VectorMerchant, ReleaseEnvironment.Sandbox, pem, TillpointHost.Start, null));
            return true;
        });
    }

    /// <summary>Sends the vector's request byte for byte: method, target, every header as recorded, and the body.</summary>
    private static async Task<HttpResponseMessage> SendRawAsync(TillpointHost host, JsonElement vector)
    {
        using var http = RawRequests.Http(host);
        using var request = new HttpRequestMessage(new HttpMethod(vector.GetProperty("method").GetString()!), new Uri(host.HttpsBase, vector.GetProperty("target").GetString()));
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(vector.GetProperty("body").GetString()!));
        foreach (var header in vector.GetProperty("headers").EnumerateObject())
        {
            if (header.Name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", header.Value.GetString());
            }
            else
            {
                request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
            }
        }

        return await http.SendAsync(request);
    }

    private static async Task<(HttpStatusCode StatusCode, string Body)> RawGetAsync(
        TillpointHost host, TestMerchant merchant, string keyId, string path, string? payHost = null)
    {
        var (status, body, _) = await RawRequests.SendAsync(host, merchant, keyId, HttpMethod.Get, path, payHost: payHost);
        return ((HttpStatusCode)status, body);
    }

    private static JsonElement Vectors() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestRepository.Root, "tests/Tillpoint.Protocol.Tests/Vectors/signed-requests.json"))).RootElement;
}
