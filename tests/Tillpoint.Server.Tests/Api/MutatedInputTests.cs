using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
        var operations = new (HttpMethod Method, string Path, string Body)[]
        {
            (HttpMethod.Post, "checkoutSessions",
                $"{{\"webCheckoutDetails\":{{\"checkoutReviewReturnUrl\":\"https://a.example/r\",\"checkoutCancelUrl\":\"https://a.example/c\"}},\"storeId\":\"{Merchant.StoreId}\",\"scopes\":[\"name\",\"email\"],\"paymentDetails\":{{\"allowOvercharge\":true}},\"merchantMetadata\":{{\"merchantReferenceId\":\"o-1\",\"merchantStoreName\":\"S\"}},\"deliverySpecifications\":{{\"specialRestrictions\":[\"RestrictPOBoxes\"],\"addressRestrictions\":{{\"type\":\"Allowed\",\"restrictions\":{{\"US\":{{\"statesOrRegions\":[\"WA\"],\"zipCodes\":[\"98109\"]}}}}}}}},\"platformId\":\"p\",\"providerMetadata\":{{\"providerReferenceId\":\"r\"}}}}"),
            (HttpMethod.Patch, $"checkoutSessions/{session.CheckoutSessionId}",
                "{\"webCheckoutDetails\":{\"checkoutResultReturnUrl\":\"https://a.example/x\"},\"paymentDetails\":{\"paymentIntent\":\"Authorize\",\"canHandlePendingAuthorization\":false,\"chargeAmount\":{\"amount\":\"14.00\",\"currencyCode\":\"USD\"},\"totalOrderAmount\":{\"amount\":\"20.00\",\"currencyCode\":\"USD\"}},\"merchantMetadata\":{\"noteToBuyer\":\"n\"},\"supplementaryData\":\"s\"}"),
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
