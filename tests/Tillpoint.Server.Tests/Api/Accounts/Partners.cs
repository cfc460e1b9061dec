using System.Net;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api.Accounts;

/// <summary>A server and one partner merchant for a test class.</summary>
public sealed class PartnerFixture : IAsyncLifetime
{
    public TillpointHost Host { get; private set; } = null!;

    public TestMerchant Partner { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TillpointHost.StartAsync();
        Partner = await Partners.CreateAsync(Host);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>What the account and in-store tests share: a partner merchant, the SDKs' sample bodies and the error check.</summary>
internal static class Partners
{
    /// <summary>
    /// A merchant allowed to manage merchant accounts: the operations need the solution-provider role, which only the
    /// operator grants. Every test of the account APIs makes its partners here.
    /// </summary>
    public static async Task<TestMerchant> CreateAsync(TillpointHost host)
    {
        var partner = await host.CreateMerchantAsync();
        await host.GrantAsync(partner, "solution-provider");
        return partner;
    }

    /// <summary>
    /// The merchant an account made, with a sandbox key the operator gave it as for any merchant, so it can take payments
    /// itself. Its store id is its own.
    /// </summary>
    public static async Task<TestMerchant> AccountMerchantAsync(TillpointHost host, string merchantAccountId)
    {
        var merchant = host.Store.Read(r => r.GetMerchant(merchantAccountId))!;
        var keyPath = Path.Combine(host.DataDirectory, $"{merchantAccountId}-private.pem");
        var key = JsonDocument.Parse((await host.CliAsync("keys", "create", "--merchant", merchantAccountId, "--environment", "sandbox", "--out", keyPath, "--json")).Output).RootElement;
        return new TestMerchant(merchantAccountId, merchant.StoreId, key.GetProperty("publicKeyId").GetString()!, "", "", await File.ReadAllTextAsync(keyPath), keyPath);
    }

    /// <summary>
    /// A client of <paramref name="partner"/> whose HTTP client follows no redirects, so Merchant Account Claim's 303 is
    /// its answer.
    /// </summary>
    public static AmazonPayClient NoRedirectsClient(TillpointHost host, TestMerchant partner, bool plainKey = false) => new(
        new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == host.CertificateThumbprint },
        }),
        new AmazonPayClientOptions
        {
            Endpoint = host.HttpsBase,
            PublicKeyId = plainKey ? partner.PlainKeyId : partner.SandboxKeyId,
            PrivateKeyPem = partner.PrivateKeyPem,
            Sandbox = true,
            TimeProvider = host.SignatureClock,
        });

    /// <summary>Register Amazon Pay Account's body as the Node SDK's test sends it.</summary>
    public static string Register(string reference = "ABCD12345CB", string extra = "") =>
        $$$$"""
        {"uniqueReferenceId":"{{{{reference}}}}","ledgerCurrency":"JPY",
         "businessInfo":{"businessType":"CORPORATE","countryOfEstablishment":"JP","businessLegalName":"TestingSubmerchant",
           "businessAddress":{"addressLine1":"450","addressLine2":"Noda","city":"香取市","stateOrRegion":"千葉県","postalCode":"289-0314","countryCode":"JP"}},
         "primaryContactPerson":{"personFullName":"Integration Tests","dateOfBirth":null}{{{{extra}}}}}
        """;

    /// <summary>A minimal create: the email is what makes it one.</summary>
    public static string CreateWithEmail(string reference) =>
        $$$$"""
        {"uniqueReferenceId":"{{{{reference}}}}","ledgerCurrency":"JPY",
         "businessInfo":{"email":"rufus@abc.com","businessType":"CORPORATE","countryOfEstablishment":"JP","businessLegalName":"Rufus",
           "businessAddress":{"addressLine1":"1","city":"Chiryushi","postalCode":"4720021","countryCode":"JP"}}}
        """;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static JsonElement Json(AmazonPayRawResponse response) => JsonDocument.Parse(response.Body).RootElement;

    /// <summary>The API's error format, status and reason code (the checks of <see cref="BadInputTests"/>).</summary>
    public static void AssertError(AmazonPayRawResponse response, int status, string reasonCode, string why) =>
        BadInputTests.AssertError(response, status, reasonCode, why);

    public static void AssertStatus(AmazonPayRawResponse response, HttpStatusCode status) =>
        Assert.True((int)status == response.StatusCode, $"expected {(int)status}, got {response.StatusCode} {Encoding.UTF8.GetString(response.Body)}");
}
