using System.Net;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api.Accounts;

/// <summary>What the account and in-store tests share: a partner merchant, the SDKs' sample bodies and the error check.</summary>
internal static class Partners
{
    /// <summary>
    /// A merchant allowed to manage merchant accounts: the operations need the solution-provider role, which only the
    /// operator grants.
    /// </summary>
    public static Task<TestMerchant> CreateAsync(TillpointHost host) => host.CreateMerchantAsync();

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

    public static void AssertError(AmazonPayRawResponse response, int status, string reasonCode, string why)
    {
        var body = Encoding.UTF8.GetString(response.Body);
        Assert.True(status == response.StatusCode, $"{why}: expected {status}, got {response.StatusCode} {body}");
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(reasonCode, root.GetProperty("reasonCode").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("message").GetString()));
        Assert.Equal(2, root.EnumerateObject().Count());
    }

    public static void AssertStatus(AmazonPayRawResponse response, HttpStatusCode status) =>
        Assert.True((int)status == response.StatusCode, $"expected {(int)status}, got {response.StatusCode} {Encoding.UTF8.GetString(response.Body)}");
}
