using System.Net;
using System.Text;
using Tillpoint.Protocol.Json;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Client.Tests;

/// <summary>The account APIs' and the in-store API's methods: method, path, body, headers, answers and errors.</summary>
public sealed class AccountAndInStoreOperationTests
{
    private const string Ids = """{"uniqueReferenceId":"ref-1","merchantAccountId":"AMERCHANT0001"}""";

    private static readonly MerchantAccountRequest Account = new()
    {
        UniqueReferenceId = "ref-1",
        LedgerCurrency = "JPY",
        BusinessInfo = new BusinessInfoDto { BusinessType = "CORPORATE", BusinessLegalName = "Rufus", CountryOfEstablishment = "JP" },
    };

    private const string AccountJson =
        """{"uniqueReferenceId":"ref-1","ledgerCurrency":"JPY","businessInfo":{"businessType":"CORPORATE","countryOfEstablishment":"JP","businessLegalName":"Rufus"}}""";

    private static readonly StoreRequest Store = new()
    {
        AllowedOriginDomains = ["https://rufus.example"],
        AllowedRedirectUrls = ["https://rufus.example/review"],
        StoreName = "Rufus",
    };

    private const string StoreJson =
        """{"allowedOriginDomains":["https://rufus.example"],"allowedRedirectURLs":["https://rufus.example/review"],"storeName":"Rufus"}""";

    private const string StoreAnswer =
        """{"storeId":"amzn1.application-oa2-client.1","merchantAccountId":"AMERCHANT0001","storeName":"Rufus","allowedOriginDomains":["https://rufus.example"],"allowedRedirectURLs":["https://rufus.example/review"],"privacyPolicyUrl":null,"merchantLogoUrl":null}""";

    private static readonly Dictionary<string, (string Method, string Path, string Body, string Answer, Func<AmazonPayClient, Task> Call)> Operations = new()
    {
        ["RegisterAmazonPayAccount"] = ("POST", "merchantAccounts", AccountJson, Ids, c => c.RegisterAmazonPayAccountAsync(Account)),
        ["CreateMerchantAccount"] = ("POST", "merchantAccounts", AccountJson, Ids, c => c.CreateMerchantAccountAsync(Account)),
        ["DeleteAmazonPayAccount"] = ("DELETE", "merchantAccounts/AMERCHANT0001", "", Ids, c => c.DeleteAmazonPayAccountAsync("AMERCHANT0001")),
        ["UpdateMerchantAccount"] = ("PATCH", "merchantAccounts/AMERCHANT0001", "{}", Ids, c => c.UpdateMerchantAccountAsync("AMERCHANT0001", new MerchantAccountRequest(), "token-1")),
        ["UpdateAmazonPayAccount"] = ("PATCH", "merchantAccounts/AMERCHANT0001", "{}", "", c => c.UpdateAmazonPayAccountAsync("AMERCHANT0001", new MerchantAccountRequest())),
        ["MerchantAccountClaim"] = ("POST", "merchantAccounts/AMERCHANT0001/claim", """{"uniqueReferenceId":"ref-1"}""", Ids,
            c => c.MerchantAccountClaimAsync("AMERCHANT0001", new ClaimMerchantAccountRequest { UniqueReferenceId = "ref-1" })),
        ["CreateStore"] = ("POST", "merchantAccounts/AMERCHANT0001/stores", StoreJson, StoreAnswer,
            c => c.CreateStoreAsync("AMERCHANT0001", Store, "token-1")),
        ["UpdateStore"] = ("PATCH", "merchantAccounts/AMERCHANT0001/stores/amzn1.application-oa2-client.1", """{"storeName":"Rufus 2"}""", StoreAnswer,
            c => c.UpdateStoreAsync("AMERCHANT0001", "amzn1.application-oa2-client.1", new StoreRequest { StoreName = "Rufus 2" }, "token-1")),
        ["MerchantScan"] = ("POST", "in-store/merchantScan", """{"scanData":"UKhrmatMeKdlfY6b","merchantCOE":"US"}""", """{"chargePermissionId":"S01-1"}""",
            c => c.MerchantScanAsync(new MerchantScanRequest { ScanData = "UKhrmatMeKdlfY6b", MerchantCOE = "US" })),
        ["InStoreCharge"] = ("POST", "in-store/charge", """{"chargePermissionId":"S01-1","chargeTotal":{"amount":"2.00","currencyCode":"USD"}}""",
            """{"chargeId":"S01-1-C1","chargeStatus":{"state":"Completed"}}""",
            c => c.InStoreChargeAsync(new InStoreChargeRequest { ChargePermissionId = "S01-1", ChargeTotal = new Price { Amount = "2.00", CurrencyCode = "USD" } })),
        ["InStoreRefund"] = ("POST", "in-store/refund", """{"chargeId":"S01-1-C1","refundTotal":{"amount":"2.00","currencyCode":"USD"}}""",
            """{"refundId":"S01-1-R1","refundStatus":{"state":"Pending"}}""",
            c => c.InStoreRefundAsync(new InStoreRefundRequest { ChargeId = "S01-1-C1", RefundTotal = new Price { Amount = "2.00", CurrencyCode = "USD" } })),
    };

    public static TheoryData<string> AllOperations => [.. Operations.Keys];

    [Theory]
    [MemberData(nameof(AllOperations))]
    public async Task Operation_sendsItsMethodPathAndBody_Signed(string name)
    {
        var operation = Operations[name];
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, operation.Answer));

        await operation.Call(harness.Client);

        var request = harness.Request;
        Assert.Equal((operation.Method, "/v2/" + operation.Path), (request.Method, request.Path));
        Assert.Equal(operation.Body, Encoding.UTF8.GetString(request.Body));
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
    }

    [Theory]
    [MemberData(nameof(AllOperations))]
    public async Task Operation_error_becomes_an_exception(string name)
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.UnprocessableEntity, SampleJson.Error422, requestId: "rq-422"));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Operations[name].Call(harness.Client));

        Assert.Equal((422, "InvalidChargeStatus", "rq-422"), (error.StatusCode, error.ReasonCode, error.RequestId));
    }

    [Fact]
    public async Task UpdateMerchantAccount_SendsTheTokenSigned_BesideTheCallersOwnHeaders()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, Ids));

        var answer = await harness.Client.UpdateMerchantAccountAsync(
            "AMERCHANT0001", new MerchantAccountRequest(), "token-1",
            new RequestOptions { ExtraHeaders = new Dictionary<string, string> { ["x-partner-trace"] = "t-1" } });

        Assert.Equal("AMERCHANT0001", answer.Value.MerchantAccountId);
        Assert.Equal(("token-1", "t-1"), (harness.Request.Header("x-amz-pay-authtoken"), harness.Request.Header("x-partner-trace")));
        Assert.Contains("x-amz-pay-authtoken", TestKeys.Authorization(harness.Request).SignedHeaders.Split(';'));
    }

    [Fact]
    public async Task UpdateMerchantAccount_WithoutATokenOrWithTwo_IsRefusedBeforeSending()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, Ids));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.UpdateMerchantAccountAsync("A1", new MerchantAccountRequest(), " "));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.UpdateMerchantAccountAsync(
            "A1", new MerchantAccountRequest(), "t", new RequestOptions { ExtraHeaders = new Dictionary<string, string> { ["X-Amz-Pay-AuthToken"] = "u" } }));

        Assert.Empty(harness.Handler.Requests);
    }

    [Fact]
    public async Task StoreMethods_SendTheTokenSigned_AndReadTheStore()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.Created, StoreAnswer));

        var created = await harness.Client.CreateStoreAsync("AMERCHANT0001", Store, "token-1");
        var updated = await harness.Client.UpdateStoreAsync("AMERCHANT0001", "amzn1.application-oa2-client.1", new StoreRequest(), "token-2");

        Assert.Equal(("amzn1.application-oa2-client.1", "AMERCHANT0001"), (created.Value.StoreId, created.Value.MerchantAccountId));
        Assert.Equal(["https://rufus.example/review"], updated.Value.AllowedRedirectUrls!);
        var requests = harness.Handler.Requests;
        Assert.Equal(["token-1", "token-2"], requests.Select(r => r.Header("x-amz-pay-authtoken")));
        Assert.All(requests, r => Assert.Contains("x-amz-pay-authtoken", TestKeys.Authorization(r).SignedHeaders.Split(';')));
    }

    [Fact]
    public async Task StoreMethods_WithoutATokenOrAStoreId_AreRefusedBeforeSending()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, StoreAnswer));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.CreateStoreAsync("A1", Store, ""));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.UpdateStoreAsync("A1", " ", Store, "t"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.UpdateStoreAsync("A1", "..", Store, "t"));

        Assert.Empty(harness.Handler.Requests);
    }

    [Fact]
    public async Task Claim_SeeOther_IsTheAnswer_NotAnError()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.SeeOther, Ids));

        var answer = await harness.Client.MerchantAccountClaimAsync("AMERCHANT0001", new ClaimMerchantAccountRequest { UniqueReferenceId = "ref-1" });

        Assert.Equal((303, "ref-1"), (answer.StatusCode, answer.Value.UniqueReferenceId));
    }

    [Fact]
    public async Task UpdateAmazonPayAccount_NoContent_IsTheAnswer()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.NoContent, ""));

        var answer = await harness.Client.UpdateAmazonPayAccountAsync("AMERCHANT0001", new MerchantAccountRequest());

        Assert.Equal(204, answer.StatusCode);
        Assert.Empty(answer.Body);
    }
}
