using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tillpoint.Client;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

/// <summary>
/// Hundreds of mangled request bodies (values of the wrong type, nulls, huge and odd strings, removed and added keys)
/// against every write operation: each must get an answer in the API's format, never a server error.
/// </summary>
public sealed class MutatedInputTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const int MutationsPerOperation = 150;

    private static readonly JsonNode?[] OddValues =
    [
        null, true, 0, -1, 1e308, "", " ", "x", new string('x', 5000), "14.00", "-0.01", "1e3", "NaN", "\u0000", "USD",
        "https://a.example/r", "http://[::1]/", new JsonArray(), new JsonArray(1, "a", null), new JsonObject(),
        new JsonObject { ["amount"] = "1.00" }, new JsonObject { ["currencyCode"] = "JPY", ["amount"] = 1.5 },
    ];

    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Fact]
    public async Task MutatedBodies_NeverCauseAServerError()
    {
        using var client = Host.Client(Merchant);
        var session = await Checkouts.ProcessedAsync(Host, client, Merchant);
        var authorized = await Checkouts.AuthorizedAsync(Host, client, Merchant);
        var recurring = (await Recurring.Agreements.CompletedAsync(Host, client, Merchant, "Recurring", "Confirm", Recurring.Agreements.Monthly)).ChargePermissionId;
        var multiAddress = await MultiAddressSessionAsync();
        var operations = new (HttpMethod Method, string Path, string Body)[]
        {
            (HttpMethod.Post, "checkoutSessions",
                $"{{\"webCheckoutDetails\":{{\"checkoutReviewReturnUrl\":\"https://a.example/r\"}},\"storeId\":\"{Merchant.StoreId}\",\"chargePermissionType\":\"Recurring\",\"recurringMetadata\":{{\"frequency\":{{\"unit\":\"Month\",\"value\":\"1\"}},\"amount\":{{\"amount\":\"14.00\",\"currencyCode\":\"USD\"}}}},\"paymentDetails\":{{\"paymentIntent\":\"Authorize\",\"chargeAmount\":{{\"amount\":\"14.00\",\"currencyCode\":\"USD\"}}}}}}"),
            (HttpMethod.Post, "checkoutSessions",
                $"{{\"webCheckoutDetails\":{{\"checkoutReviewReturnUrl\":\"https://a.example/r\"}},\"storeId\":\"{Merchant.StoreId}\",\"chargePermissionType\":\"PaymentMethodOnFile\",\"paymentMethodOnFileMetadata\":{{\"setupOnly\":true}},\"paymentDetails\":{{\"paymentIntent\":\"Confirm\"}}}}"),
            (HttpMethod.Patch, $"chargePermissions/{recurring}",
                "{\"recurringMetadata\":{\"frequency\":{\"unit\":\"Week\",\"value\":2},\"amount\":{\"amount\":\"7.00\",\"currencyCode\":\"USD\"}},\"merchantMetadata\":{\"merchantReferenceId\":\"o-2\"}}"),
            (HttpMethod.Post, "charges",
                $"{{\"chargePermissionId\":\"{recurring}\",\"chargeAmount\":{{\"amount\":\"1.00\",\"currencyCode\":\"USD\"}},\"captureNow\":true,\"chargeInitiator\":\"MITR\",\"channel\":\"Web\"}}"),
            (HttpMethod.Post, "checkoutSessions",
                $"{{\"webCheckoutDetails\":{{\"checkoutReviewReturnUrl\":\"https://a.example/r\",\"checkoutCancelUrl\":\"https://a.example/c\"}},\"storeId\":\"{Merchant.StoreId}\",\"scopes\":[\"name\",\"email\"],\"paymentDetails\":{{\"allowOvercharge\":true}},\"merchantMetadata\":{{\"merchantReferenceId\":\"o-1\",\"merchantStoreName\":\"S\"}},\"deliverySpecifications\":{{\"specialRestrictions\":[\"RestrictPOBoxes\"],\"addressRestrictions\":{{\"type\":\"Allowed\",\"restrictions\":{{\"US\":{{\"statesOrRegions\":[\"WA\"],\"zipCodes\":[\"98109\"]}}}}}}}},\"platformId\":\"p\",\"providerMetadata\":{{\"providerReferenceId\":\"r\"}}}}"),
            (HttpMethod.Patch, $"checkoutSessions/{session.CheckoutSessionId}",
                "{\"webCheckoutDetails\":{\"checkoutResultReturnUrl\":\"https://a.example/x\"},\"paymentDetails\":{\"paymentIntent\":\"Authorize\",\"canHandlePendingAuthorization\":false,\"chargeAmount\":{\"amount\":\"14.00\",\"currencyCode\":\"USD\"},\"totalOrderAmount\":{\"amount\":\"20.00\",\"currencyCode\":\"USD\"}},\"merchantMetadata\":{\"noteToBuyer\":\"n\"},\"supplementaryData\":\"s\"}"),
            (HttpMethod.Patch, $"checkoutSessions/{multiAddress}",
                "{\"paymentDetails\":{\"paymentIntent\":\"Authorize\",\"chargeAmount\":{\"amount\":\"30.00\",\"currencyCode\":\"USD\"}},\"multiAddressesCheckoutMetadata\":[{\"addressId\":\"0\",\"price\":{\"amount\":\"10.00\",\"currencyCode\":\"USD\"}},{\"addressId\":\"2\",\"price\":{\"amount\":\"20.00\",\"currencyCode\":\"USD\"}}]}"),
            (HttpMethod.Post, $"checkoutSessions/{session.CheckoutSessionId}/complete",
                "{\"chargeAmount\":{\"amount\":\"15.00\",\"currencyCode\":\"USD\"},\"totalOrderAmount\":{\"amount\":\"15.00\",\"currencyCode\":\"USD\"}}"),
            (HttpMethod.Post, $"charges/{authorized.ChargeId}/capture",
                "{\"captureAmount\":{\"amount\":\"99.00\",\"currencyCode\":\"USD\"},\"softDescriptor\":\"Descriptor\"}"),
        };
        var random = new Random(20261127);
        var failures = new List<string>();
        var reasonCodes = new HashSet<string>();

        foreach (var (method, path, body) in operations)
        {
            for (var i = 0; i < MutationsPerOperation; i++)
            {
                var mutated = Mutate(JsonNode.Parse(body)!, random).ToJsonString();
                var response = await client.SendAsync(method, path, Encoding.UTF8.GetBytes(mutated));
                var text = Encoding.UTF8.GetString(response.Body);
                if (response.StatusCode >= 500 || (response.StatusCode >= 400 && !IsApiError(text)))
                {
                    failures.Add($"{method} {path} {mutated} -> {response.StatusCode} {text}");
                }
                else if (response.StatusCode >= 400)
                {
                    reasonCodes.Add(JsonDocument.Parse(text).RootElement.GetProperty("reasonCode").GetString()!);
                }
            }
        }

        Assert.Empty(failures);
        // The mutations reach every stage of validation, not just the first.
        Assert.Superset(new HashSet<string> { "UnrecognizedField", "InvalidParameterValue", "MissingParameterValue" }, reasonCodes);
    }

    /// <summary>A PayAndShipMultiAddress session (started by the button) whose buyer chose two addresses.</summary>
    private async Task<string> MultiAddressSessionAsync()
    {
        using var browser = Host.Browser();
        var id = await new HostedCheckout(browser).StartAsync(
            HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant), extra: ("productType", "PayAndShipMultiAddress")));
        using var buyer = Host.Operator();
        await buyer.ApproveCheckoutAsync(id, new Protocol.Json.BuyerChoice { ShippingAddressIds = ["0", "2"] });
        return id;
    }

    /// <summary>
    /// The same mangling against the operations the SDKs' reports, disputes, files, merchant accounts, in-store and Update
    /// Charge methods call, as a merchant holding both partner roles; and a refused Create Report stores no report.
    /// </summary>
    [Fact]
    public async Task MutatedBodies_OfThePartnerAndReportOperations_NeverCauseAServerError_NorStoreARefusal()
    {
        var merchant = await Host.CreateMerchantAsync();
        await Host.GrantAsync(merchant, "psp");
        await Host.GrantAsync(merchant, "solution-provider");
        using var client = Host.Client(merchant);
        var chargeId = await CapturedChargeAsync(client, merchant);
        var disputedChargeId = await CapturedChargeAsync(client, merchant);
        var disputeId = JsonDocument.Parse((await client.SendAsync(HttpMethod.Post, "disputes", Utf8(DisputeBody(disputedChargeId)))).Body)
            .RootElement.GetProperty("disputeId").GetString()!;
        var account = JsonDocument.Parse((await client.SendAsync(HttpMethod.Post, "merchantAccounts", Utf8(AccountBody("fuzz-0")))).Body)
            .RootElement.GetProperty("merchantAccountId").GetString()!;
        var scan = JsonDocument.Parse((await client.SendAsync(HttpMethod.Post, "in-store/merchantScan", Utf8(ScanBody))).Body).RootElement;
        var (from, to) = (Reports.ReportsApiTests.Basic(TillpointHost.Start.AddDays(-3)), Reports.ReportsApiTests.Basic(TillpointHost.Start.AddDays(-2)));
        // A schedule due later, so that every report listed at the end is one a Create Report answered 201 for.
        var next = Reports.ReportsApiTests.Basic(TillpointHost.Start.AddDays(30));
        var operations = new (HttpMethod Method, string Path, string Body)[]
        {
            (HttpMethod.Post, "reports", $"{{\"reportType\":\"{Reports.ReportsApiTests.SandboxSettlement}\",\"startTime\":\"{from}\",\"endTime\":\"{to}\"}}"),
            (HttpMethod.Post, "report-schedules",
                $"{{\"reportType\":\"{Reports.ReportsApiTests.SandboxSettlement}\",\"scheduleFrequency\":\"P1D\",\"nextReportCreationTime\":\"{next}\",\"deleteExistingSchedule\":true}}"),
            (HttpMethod.Post, "disputes", DisputeBody(chargeId)),
            (HttpMethod.Patch, $"disputes/{disputeId}",
                "{\"statusDetails\":{\"state\":\"Resolved\",\"resolution\":\"MerchantWon\",\"reasonCode\":\"MerchantAcceptedDispute\",\"reasonDescription\":\"d\"},\"closureTimestamp\":1740000000}"),
            (HttpMethod.Post, $"disputes/{disputeId}/contest",
                "{\"merchantEvidences\":[{\"evidenceType\":\"TrackingNumber\",\"evidenceText\":\"1Z999AA10123456784\"}]}"),
            (HttpMethod.Post, "files", "{\"type\":\"jpg\",\"purpose\":\"disputeEvidence\"}"),
            (HttpMethod.Post, "merchantAccounts", AccountBody("fuzz-1")),
            (HttpMethod.Patch, $"merchantAccounts/{account}", AccountBody("fuzz-0")),
            (HttpMethod.Post, $"merchantAccounts/{account}/claim", "{\"uniqueReferenceId\":\"fuzz-0\"}"),
            (HttpMethod.Post, "in-store/merchantScan", ScanBody),
            (HttpMethod.Post, "in-store/charge",
                $"{{\"chargePermissionId\":\"{scan.GetProperty("chargePermissionId").GetString()}\",\"chargeReferenceId\":\"c-1\",\"chargeTotal\":{{\"currencyCode\":\"USD\",\"amount\":1}},\"softDescriptor\":\"amzn-store\"}}"),
            (HttpMethod.Post, "in-store/refund",
                $"{{\"chargeId\":\"{chargeId}\",\"refundReferenceId\":\"r-1\",\"refundTotal\":{{\"currencyCode\":\"USD\",\"amount\":1}},\"softDescriptor\":\"amzn-store\"}}"),
            (HttpMethod.Patch, $"charges/{chargeId}", "{\"statusDetails\":{\"state\":\"Canceled\",\"reasonCode\":\"ExpiredUnused\"}}"),
        };
        var random = new Random(20261207);
        var failures = new List<string>();
        var reportsCreated = 0;
        foreach (var (method, path, body) in operations)
        {
            for (var i = 0; i < MutationsPerOperation / 3; i++)
            {
                var mutated = Mutate(JsonNode.Parse(body)!, random).ToJsonString();
                var response = await client.SendAsync(method, path, Utf8(mutated));
                var text = Encoding.UTF8.GetString(response.Body);
                if (response.StatusCode >= 500 || (response.StatusCode >= 400 && !IsApiError(text)))
                {
                    failures.Add($"{method} {path} {mutated} -> {response.StatusCode} {text}");
                }

                reportsCreated += path == "reports" && response.StatusCode == 201 ? 1 : 0;
            }
        }

        Assert.Empty(failures);
        Assert.Equal(reportsCreated, await CountReportsAsync(client));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private const string ScanBody =
        """{"scanData":"UKhrmatMeKdlfY6b","scanReferenceId":"s-1","merchantCOE":"US","ledgerCurrency":"USD","chargeTotal":{"currencyCode":"USD","amount":"2.00"},"storeLocation":{"countryCode":"US"}}""";

    /// <summary>The official SDKs' Create Dispute sample for <paramref name="chargeId"/>.</summary>
    private static string DisputeBody(string chargeId) =>
        $$"""{"chargeId":"{{chargeId}}","providerMetadata":{"providerDisputeId":"A2CQXQ2TUSYG7J"},"disputeAmount":{"amount":"10.00","currencyCode":"USD"},"filingReason":"ProductNotReceived","filingTimestamp":1740000000,"statusDetails":{"state":"ActionRequired","reasonCode":"MerchantResponseRequired","reasonDescription":"d"},"merchantResponseDeadline":1740604800}""";

    private static string AccountBody(string reference) => Accounts.Partners.CreateWithEmail(reference);

    private async Task<string> CapturedChargeAsync(AmazonPayClient client, TestMerchant merchant)
    {
        var permissionId = await Payments.ChargePermissionAsync(Host, client, merchant);
        return (await Payments.CreateChargeAsync(client, permissionId, "100.00", captureNow: true)).Value.ChargeId!;
    }

    private static async Task<int> CountReportsAsync(AmazonPayClient client)
    {
        var count = 0;
        string? next = null;
        do
        {
            var response = await client.SendAsync(HttpMethod.Get, "reports" + (next is null ? string.Empty : $"?nextToken={Uri.EscapeDataString(next)}"), null);
            var page = JsonDocument.Parse(response.Body).RootElement;
            count += page.GetProperty("reports").GetArrayLength();
            next = page.TryGetProperty("nextToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }
        while (next is not null);
        return count;
    }

    private static bool IsApiError(string body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            return root.TryGetProperty("reasonCode", out _) && root.TryGetProperty("message", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Applies one to three random edits somewhere in the tree.</summary>
    private static JsonNode Mutate(JsonNode root, Random random)
    {
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var objects = Objects(root).ToList();
            var target = objects[random.Next(objects.Count)];
            var keys = target.Select(p => p.Key).ToList();
            switch (random.Next(3))
            {
                case 0 when keys.Count > 0:
                    target[keys[random.Next(keys.Count)]] = OddValues[random.Next(OddValues.Length)]?.DeepClone();
                    break;
                case 1 when keys.Count > 0:
                    target.Remove(keys[random.Next(keys.Count)]);
                    break;
                default:
                    target["unexpected" + random.Next(3)] = OddValues[random.Next(OddValues.Length)]?.DeepClone();
                    break;
            }
        }

        return root;
    }

    private static IEnumerable<JsonObject> Objects(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            yield return obj;
            foreach (var child in obj.Select(p => p.Value).OfType<JsonNode>().SelectMany(Objects))
            {
                yield return child;
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.OfType<JsonNode>().SelectMany(Objects))
            {
                yield return child;
            }
        }
    }
}
