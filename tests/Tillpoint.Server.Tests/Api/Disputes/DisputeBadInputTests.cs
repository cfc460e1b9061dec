using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;
using static Tillpoint.Server.Tests.Api.BadInputTests;

namespace Tillpoint.Server.Tests.Api.Disputes;

/// <summary>
/// Bad input to every dispute and file operation: wrong types, unknown values, too long, missing, other merchants' ids.
/// Each gets its reason code in the API's format, never a 5xx, and changes nothing.
/// </summary>
public sealed class DisputeBadInputTests(PspHostFixture fixture) : IClassFixture<PspHostFixture>
{
    private const string Amount = "\"disputeAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"}";
    private const string Times = "\"filingTimestamp\":1740000000,\"merchantResponseDeadline\":1740604800";
    private const string Provider = "\"providerMetadata\":{\"providerDisputeId\":\"P1\"}";

    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    public static TheoryData<string, string, int, string> CreateBodies() => new()
    {
        { "malformed JSON", "{\"chargeId\":", 400, "InvalidRequestFormat" },
        { "unknown field", $"{{\"chargeId\":\"$C\",{Provider},{Amount},\"filingReason\":\"Fraudulent\",{Times},\"mood\":1}}", 400, "UnrecognizedField" },
        { "missing chargeId", $"{{{Provider},{Amount},\"filingReason\":\"Fraudulent\",{Times}}}", 400, "MissingParameterValue" },
        { "missing provider id", $"{{\"chargeId\":\"$C\",{Amount},\"filingReason\":\"Fraudulent\",{Times}}}", 400, "MissingParameterValue" },
        { "provider id over 255", $"{{\"chargeId\":\"$C\",\"providerMetadata\":{{\"providerDisputeId\":\"{new string('p', 256)}\"}},{Amount},\"filingReason\":\"Fraudulent\",{Times}}}", 400, "InvalidParameterValue" },
        { "missing amount", $"{{\"chargeId\":\"$C\",{Provider},\"filingReason\":\"Fraudulent\",{Times}}}", 400, "MissingParameterValue" },
        { "amount of three decimals", $"{{\"chargeId\":\"$C\",{Provider},\"disputeAmount\":{{\"amount\":\"1.001\",\"currencyCode\":\"USD\"}},\"filingReason\":\"Fraudulent\",{Times}}}", 400, "InvalidParameterValue" },
        { "other currency", $"{{\"chargeId\":\"$C\",{Provider},\"disputeAmount\":{{\"amount\":\"1.00\",\"currencyCode\":\"EUR\"}},\"filingReason\":\"Fraudulent\",{Times}}}", 400, "CurrencyMismatch" },
        { "unknown reason", $"{{\"chargeId\":\"$C\",{Provider},{Amount},\"filingReason\":\"Bored\",{Times}}}", 400, "InvalidParameterValue" },
        { "other dispute type", $"{{\"chargeId\":\"$C\",{Provider},\"disputeType\":\"Claim\",{Amount},\"filingReason\":\"Fraudulent\",{Times}}}", 400, "InvalidParameterValue" },
        { "timestamp as text", $"{{\"chargeId\":\"$C\",{Provider},{Amount},\"filingReason\":\"Fraudulent\",\"filingTimestamp\":\"yesterday\",\"merchantResponseDeadline\":1740604800}}", 400, "InvalidParameterValue" },
        { "negative timestamp", $"{{\"chargeId\":\"$C\",{Provider},{Amount},\"filingReason\":\"Fraudulent\",\"filingTimestamp\":-1,\"merchantResponseDeadline\":1740604800}}", 400, "InvalidParameterValue" },
        { "timestamp past 9999", $"{{\"chargeId\":\"$C\",{Provider},{Amount},\"filingReason\":\"Fraudulent\",\"filingTimestamp\":9223372036854775807,\"merchantResponseDeadline\":1740604800}}", 400, "InvalidParameterValue" },
        { "both timestamp names", $"{{\"chargeId\":\"$C\",{Provider},{Amount},\"filingReason\":\"Fraudulent\",{Times},\"creationTimestamp\":1740000000}}", 400, "InvalidParameterCombination" },
        { "missing deadline", $"{{\"chargeId\":\"$C\",{Provider},{Amount},\"filingReason\":\"Fraudulent\",\"filingTimestamp\":1740000000}}", 400, "MissingParameterValue" },
        { "final state", $"{{\"chargeId\":\"$C\",{Provider},{Amount},\"filingReason\":\"Fraudulent\",{Times},\"statusDetails\":{{\"state\":\"Resolved\",\"resolution\":\"BuyerWon\"}}}}", 400, "InvalidParameterValue" },
        { "state missing", $"{{\"chargeId\":\"$C\",{Provider},{Amount},\"filingReason\":\"Fraudulent\",{Times},\"statusDetails\":{{}}}}", 400, "MissingParameterValue" },
        { "over the capture", $"{{\"chargeId\":\"$C\",{Provider},\"disputeAmount\":{{\"amount\":\"10.01\",\"currencyCode\":\"USD\"}},\"filingReason\":\"Fraudulent\",{Times}}}", 400, "InvalidParameterValue" },
        { "unknown charge", $"{{\"chargeId\":\"S01-0000000-0000000-C000000\",{Provider},{Amount},\"filingReason\":\"Fraudulent\",{Times}}}", 404, "ResourceNotFound" },
    };

    [Theory]
    [MemberData(nameof(CreateBodies))]
    public async Task CreateDispute_WithBadBody_IsRefused_AndOpensNothing(string why, string body, int status, string reasonCode)
    {
        using var client = Host.Client(Merchant);
        var (permissionId, chargeId) = await CapturedAsync(client);

        var response = await client.SendAsync(HttpMethod.Post, "disputes", Encoding.UTF8.GetBytes(body.Replace("$C", chargeId, StringComparison.Ordinal)));

        AssertError(response, status, reasonCode, why);
        Assert.Empty(Host.Store.Read(r => r.GetDisputesOfPermission(Merchant.MerchantId, permissionId)));
    }

    public static TheoryData<string, string, string, int, string> DisputeBodies() => new()
    {
        { "contest without evidence", "contest", "{\"merchantEvidences\":[]}", 400, "MissingParameterValue" },
        { "contest with a null evidence", "contest", "{\"merchantEvidences\":[null]}", 400, "MissingParameterValue" },
        { "contest with an unknown type", "contest", "{\"merchantEvidences\":[{\"evidenceType\":\"Vibes\",\"evidenceText\":\"x\"}]}", 400, "InvalidParameterValue" },
        { "contest with neither file nor text", "contest", "{\"merchantEvidences\":[{\"evidenceType\":\"Receipt\"}]}", 400, "MissingParameterValue" },
        { "contest with a text over 4096", "contest", "{\"merchantEvidences\":[{\"evidenceType\":\"Other\",\"evidenceText\":\"" + new string('x', 4097) + "\"}]}", 400, "InvalidParameterValue" },
        { "contest with 21 pieces", "contest", "{\"merchantEvidences\":[" + string.Join(',', Enumerable.Repeat("{\"evidenceType\":\"Other\",\"evidenceText\":\"x\"}", 21)) + "]}", 400, "InvalidParameterValue" },
        { "contest with a number for a type", "contest", "{\"merchantEvidences\":[{\"evidenceType\":3,\"evidenceText\":\"x\"}]}", 400, "InvalidParameterValue" },
        { "update without status", "", "{}", 400, "MissingParameterValue" },
        { "update to Resolved without resolution", "", "{\"statusDetails\":{\"state\":\"Resolved\"}}", 400, "MissingParameterValue" },
        { "update with an unknown resolution", "", "{\"statusDetails\":{\"state\":\"Resolved\",\"resolution\":\"Draw\"}}", 400, "InvalidParameterValue" },
        { "update open with a closure time", "", "{\"statusDetails\":{\"state\":\"UnderReview\"},\"closureTimestamp\":1740600000}", 400, "InvalidParameterValue" },
        { "update with a description over 255", "", "{\"statusDetails\":{\"state\":\"UnderReview\",\"reasonDescription\":\"" + new string('d', 256) + "\"}}", 400, "InvalidParameterValue" },
    };

    [Theory]
    [MemberData(nameof(DisputeBodies))]
    public async Task ContestOrUpdate_WithBadBody_IsRefused_AndChangesNothing(string why, string action, string body, int status, string reasonCode)
    {
        using var client = Host.Client(Merchant);
        var (_, chargeId) = await CapturedAsync(client);
        var dispute = (await client.CreateDisputeAsync(Create(chargeId))).Value;

        var response = action == "contest"
            ? await client.SendAsync(HttpMethod.Post, $"disputes/{dispute.DisputeId}/contest", Encoding.UTF8.GetBytes(body))
            : await client.SendAsync(HttpMethod.Patch, $"disputes/{dispute.DisputeId}", Encoding.UTF8.GetBytes(body));

        AssertError(response, status, reasonCode, why);
        var after = (await client.GetDisputeAsync(dispute.DisputeId!)).Value;
        Assert.Equal(JsonSerializer.Serialize(dispute, ApiJsonContext.Default.DisputeDto), JsonSerializer.Serialize(after, ApiJsonContext.Default.DisputeDto));
    }

    [Theory]
    [InlineData("{\"type\":\"exe\",\"purpose\":\"disputeEvidence\"}", "InvalidParameterValue")]
    [InlineData("{\"type\":\"JPG\",\"purpose\":\"disputeEvidence\"}", "InvalidParameterValue")]
    [InlineData("{\"type\":\"jpg\",\"purpose\":\"fun\"}", "InvalidParameterValue")]
    [InlineData("{\"purpose\":\"disputeEvidence\"}", "MissingParameterValue")]
    [InlineData("{\"type\":\"jpg\"}", "MissingParameterValue")]
    [InlineData("{\"type\":7,\"purpose\":\"disputeEvidence\"}", "InvalidParameterValue")]
    public async Task UploadFile_WithBadBody_IsRefused(string body, string reasonCode)
    {
        using var client = Host.Client(Merchant);

        var response = await client.SendAsync(HttpMethod.Post, "files", Encoding.UTF8.GetBytes(body));

        AssertError(response, 400, reasonCode, body);
    }

    [Fact]
    public async Task Dispute_OnEveryPathForm_AndUnknownIds_AnswerAsTheOthers()
    {
        using var client = Host.Client(Merchant);
        var (_, chargeId) = await CapturedAsync(client);
        var id = (await client.CreateDisputeAsync(Create(chargeId))).Value.DisputeId!;

        foreach (var path in new[] { $"/sandbox/v2/disputes/{id}", $"/sandbox/v2/disputes/{id}/", $"/v2/disputes/{id}" })
        {
            var (status, _, _) = await RawRequests.SendAsync(Host, Merchant, Merchant.SandboxKeyId, HttpMethod.Get, path);
            Assert.Equal(200, status);
        }

        var (live, liveBody, _) = await RawRequests.SendAsync(Host, Merchant, Merchant.LiveKeyId, HttpMethod.Get, $"/live/v2/disputes/{id}");
        var (unknown, _, _) = await RawRequests.SendAsync(Host, Merchant, Merchant.SandboxKeyId, HttpMethod.Get, "/sandbox/v2/disputes/S01-0000000-0000000-B000000");
        var (wrongMethod, _, _) = await RawRequests.SendAsync(Host, Merchant, Merchant.SandboxKeyId, HttpMethod.Delete, $"/sandbox/v2/disputes/{id}");
        Assert.Equal((404, 404, 405), (live, unknown, wrongMethod));
        Assert.Contains("ResourceNotFound", liveBody, StringComparison.Ordinal);
    }

    private static CreateDisputeRequest Create(string chargeId) => new()
    {
        ChargeId = chargeId,
        ProviderMetadata = new DisputeProviderMetadataDto { ProviderDisputeId = "P1" },
        DisputeAmount = Payments.Price("1.00"),
        FilingReason = "Fraudulent",
        FilingTimestamp = 1740000000,
        MerchantResponseDeadline = 1740604800,
    };

    private async Task<(string PermissionId, string ChargeId)> CapturedAsync(AmazonPayClient client)
    {
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "10.00");
        return (permissionId, (await Payments.CreateChargeAsync(client, permissionId, "10.00", captureNow: true)).Value.ChargeId!);
    }
}
