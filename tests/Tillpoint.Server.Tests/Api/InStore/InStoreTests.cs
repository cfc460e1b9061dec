using System.Net;
using Tillpoint.Client;
using Tillpoint.Storage;
using Tillpoint.Server.Tests.Support;
using static Tillpoint.Server.Tests.Api.Accounts.Partners;

namespace Tillpoint.Server.Tests.Api.InStore;

/// <summary>
/// The in-store API over HTTP: the SDKs' sample payloads work as they are, in-store money is the ledger's money, and
/// bad requests are refused clearly without changing anything.
/// </summary>
public sealed class InStoreTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    /// <summary>Every event of the merchant: a refused request adds none.</summary>
    private EventRange AllEvents => new(Merchant.MerchantId, null, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);

    private static string Hex() => Guid.NewGuid().ToString("N");

    /// <summary>The PHP README's payload, chargeTotal included.</summary>
    private static string Scan(string scanData = "UKhrmatMeKdlfY6b", string extra = "") =>
        $$$"""
        {"scanData":"{{{scanData}}}","scanReferenceId":"{{{Hex()}}}","merchantCOE":"US","ledgerCurrency":"USD",
         "chargeTotal":{"currencyCode":"USD","amount":"2.00"},"storeLocation":{"countryCode":"US"},
         "metadata":{"merchantNote":"Software Purchase","customInformation":"in-store Software Purchase",
           "communicationContext":{"merchantStoreName":"TESTSTORE","merchantOrderId":"789123"}}{{{extra}}}}
        """;

    private static string Charge(string chargePermissionId, string amount = "2") =>
        $$$"""{"chargePermissionId":"{{{chargePermissionId}}}","chargeReferenceId":"{{{Hex()}}}","chargeTotal":{"currencyCode":"USD","amount":{{{amount}}}},"softDescriptor":"amzn-store"}""";

    private static string Refund(string chargeId, string amount = "2") =>
        $$$"""{"chargeId":"{{{chargeId}}}","refundReferenceId":"{{{Hex()}}}","refundTotal":{"currencyCode":"USD","amount":{{{amount}}}},"softDescriptor":"amzn-store"}""";

    private static async Task<string> ScanAsync(AmazonPayClient client, string? body = null)
    {
        var response = await client.SendAsync(HttpMethod.Post, "in-store/merchantScan", Utf8(body ?? Scan()));
        AssertStatus(response, HttpStatusCode.OK);
        return Json(response).GetProperty("chargePermissionId").GetString()!;
    }

    private static async Task<string> ChargeAsync(AmazonPayClient client, string chargePermissionId)
    {
        var response = await client.SendAsync(HttpMethod.Post, "in-store/charge", Utf8(Charge(chargePermissionId)));
        AssertStatus(response, HttpStatusCode.OK);
        return Json(response).GetProperty("chargeId").GetString()!;
    }

    [Fact]
    public async Task ScanChargeRefund_AreThePermissionsChargesAndRefundsOfTheLedger()
    {
        using var client = Host.Client(Merchant);

        var permissionId = await ScanAsync(client);
        var chargeId = await ChargeAsync(client, permissionId);
        var refund = await client.SendAsync(HttpMethod.Post, "in-store/refund", Utf8(Refund(chargeId, "1.50")));

        AssertStatus(refund, HttpStatusCode.OK);
        Assert.Equal("""{"state":"Pending"}""", Json(refund).GetProperty("refundStatus").GetRawText());
        var permission = (await client.GetChargePermissionAsync(permissionId)).Value;
        // The scan named 2.00: the limit is that plus 15 %, and the captured charge holds 2.00 of it.
        Assert.Equal(("2.30", "0.30"), (permission.Limits!.AmountLimit!.Amount, permission.Limits.AmountBalance!.Amount));
        Assert.Equal("TESTSTORE", permission.MerchantMetadata!.MerchantStoreName);
        var charge = (await client.GetChargeAsync(chargeId)).Value;
        Assert.Equal(("Captured", "PointOfSale"), (charge.StatusDetails!.State, charge.Channel));

        await Host.AdvanceSandboxAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("1.50", (await client.GetChargeAsync(chargeId)).Value.RefundedAmount!.Amount);
        var events = Host.Store.Read(r => r.GetEvents(Merchant.MerchantId, chargeId)).Select(e => e.Event.ToState);
        Assert.Contains("Captured", events);
    }

    [Fact]
    public async Task Charge_OverTheScannedTotal_IsRefusedByTheLedger_AndSavesNoCharge()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await ScanAsync(client);

        AssertError(
            await client.SendAsync(HttpMethod.Post, "in-store/charge", Utf8(Charge(permissionId, "2.31"))), 422, "TransactionAmountExceeded", "over the limit");

        Assert.Empty(Host.Store.Read(r => r.GetChargesOfPermission(Merchant.MerchantId, permissionId)));
    }

    [Fact]
    public async Task Charge_WithADeclineSimulationCode_AnswersDeclined_AndTheDeclinedChargeIsKept()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await ScanAsync(client);

        var response = await client.SendAsync(
            HttpMethod.Post, "in-store/charge", Utf8(Charge(permissionId)), new RequestOptions { SimulationCode = "HardDeclined" });

        AssertStatus(response, HttpStatusCode.OK);
        Assert.Equal("Declined", Json(response).GetProperty("chargeStatus").GetProperty("state").GetString());
        Assert.Equal("Declined", Assert.Single(Host.Store.Read(r => r.GetChargesOfPermission(Merchant.MerchantId, permissionId))).State.ToString());
    }

    [Fact]
    public async Task Charge_RepeatedWithItsIdempotencyKey_IsOneCharge()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await ScanAsync(client);
        var body = Utf8(Charge(permissionId));
        var key = new RequestOptions { IdempotencyKey = AmazonPayClient.NewIdempotencyKey() };

        var first = await client.SendAsync(HttpMethod.Post, "in-store/charge", body, key);
        var again = await client.SendAsync(HttpMethod.Post, "in-store/charge", body, key);

        Assert.Equal(first.Body, again.Body);
        Assert.Single(Host.Store.Read(r => r.GetChargesOfPermission(Merchant.MerchantId, permissionId)));
    }

    [Fact]
    public async Task AnotherMerchantsPermissionAndCharge_DoNotExistForThisOne()
    {
        var other = await Host.CreateMerchantAsync();
        using var owner = Host.Client(Merchant);
        using var stranger = Host.Client(other);
        var permissionId = await ScanAsync(owner);
        var chargeId = await ChargeAsync(owner, permissionId);

        AssertError(await stranger.SendAsync(HttpMethod.Post, "in-store/charge", Utf8(Charge(permissionId))), 404, "ResourceNotFound", "charge");
        AssertError(await stranger.SendAsync(HttpMethod.Post, "in-store/refund", Utf8(Refund(chargeId))), 404, "ResourceNotFound", "refund");

        Assert.Single(Host.Store.Read(r => r.GetChargesOfPermission(Merchant.MerchantId, permissionId)));
        Assert.Empty(Host.Store.Read(r => r.GetRefundsOfCharge(Merchant.MerchantId, chargeId)));
    }

    public static TheoryData<string, string, string, int, string> BadRequests() => new()
    {
        { "scan: malformed", "in-store/merchantScan", "{\"scanData\":", 400, "InvalidRequestFormat" },
        { "scan: unknown field", "in-store/merchantScan", Scan(extra: ",\"tip\":1"), 400, "UnrecognizedField" },
        { "scan: scanData as number", "in-store/merchantScan", Scan().Replace("\"UKhrmatMeKdlfY6b\"", "7", StringComparison.Ordinal), 400, "InvalidParameterValue" },
        { "scan: empty scanData", "in-store/merchantScan", Scan(""), 400, "MissingParameterValue" },
        { "scan: scanData too long", "in-store/merchantScan", Scan(new string('s', 1025)), 400, "InvalidParameterValue" },
        { "scan: missing merchantCOE", "in-store/merchantScan", Scan().Replace("\"merchantCOE\":\"US\",", "", StringComparison.Ordinal), 400, "MissingParameterValue" },
        { "scan: merchantCOE of three letters", "in-store/merchantScan", Scan().Replace("\"merchantCOE\":\"US\"", "\"merchantCOE\":\"USA\"", StringComparison.Ordinal), 400, "InvalidParameterValue" },
        { "scan: unknown currency", "in-store/merchantScan", Scan().Replace("\"ledgerCurrency\":\"USD\"", "\"ledgerCurrency\":\"XYZ\"", StringComparison.Ordinal), 400, "InvalidParameterValue" },
        { "scan: total in another currency", "in-store/merchantScan", Scan().Replace("{\"currencyCode\":\"USD\",\"amount\":\"2.00\"}", "{\"currencyCode\":\"EUR\",\"amount\":\"2.00\"}", StringComparison.Ordinal), 400, "CurrencyMismatch" },
        { "scan: reference with a space", "in-store/merchantScan", Scan().Replace("\"scanReferenceId\":\"", "\"scanReferenceId\":\"a b", StringComparison.Ordinal), 400, "InvalidParameterValue" },
        { "scan: note too long", "in-store/merchantScan", Scan().Replace("Software Purchase\",\"custom", new string('n', 256) + "\",\"custom", StringComparison.Ordinal), 400, "InvalidParameterValue" },
        { "charge: missing permission", "in-store/charge", "{\"chargeReferenceId\":\"r\",\"chargeTotal\":{\"currencyCode\":\"USD\",\"amount\":1}}", 400, "MissingParameterValue" },
        { "charge: missing reference", "in-store/charge", "{\"chargePermissionId\":\"S01-0000000-0000000\",\"chargeTotal\":{\"currencyCode\":\"USD\",\"amount\":1}}", 400, "MissingParameterValue" },
        { "charge: reference too long", "in-store/charge", Charge("S01-0000000-0000000").Replace("\"chargeReferenceId\":\"", "\"chargeReferenceId\":\"" + new string('r', 64), StringComparison.Ordinal), 400, "InvalidParameterValue" },
        { "charge: zero", "in-store/charge", Charge("S01-0000000-0000000", "0"), 400, "InvalidParameterValue" },
        { "charge: amount as text of letters", "in-store/charge", Charge("S01-0000000-0000000", "\"two\""), 400, "InvalidParameterValue" },
        { "charge: descriptor too long", "in-store/charge", Charge("S01-0000000-0000000").Replace("amzn-store", new string('d', 17), StringComparison.Ordinal), 400, "InvalidParameterValue" },
        { "charge: unknown permission", "in-store/charge", Charge("S01-0000000-0000000"), 404, "ResourceNotFound" },
        { "refund: missing charge", "in-store/refund", "{\"refundReferenceId\":\"r\",\"refundTotal\":{\"currencyCode\":\"USD\",\"amount\":1}}", 400, "MissingParameterValue" },
        { "refund: missing total", "in-store/refund", "{\"chargeId\":\"S01-0000000-0000000-C000001\",\"refundReferenceId\":\"r\"}", 400, "MissingParameterValue" },
        { "refund: negative", "in-store/refund", Refund("S01-0000000-0000000-C000001", "-1"), 400, "InvalidParameterValue" },
        { "refund: unknown charge", "in-store/refund", Refund("S01-0000000-0000000-C000001"), 404, "ResourceNotFound" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequest_IsRefusedClearly_AndChangesNothing(string why, string path, string body, int status, string reasonCode)
    {
        using var client = Host.Client(Merchant);
        var before = Host.Store.Read(r => r.CountEvents(AllEvents));

        AssertError(await client.SendAsync(HttpMethod.Post, path, Utf8(body)), status, reasonCode, why);

        Assert.Equal(before, Host.Store.Read(r => r.CountEvents(AllEvents)));
    }
}
