using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api.Disputes;

/// <summary>Create, Get, Update and Contest Dispute and Upload File against the real server, with the sandbox's ways to open a dispute.</summary>
public sealed class DisputeApiTests(PspHostFixture fixture) : IClassFixture<PspHostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    /// <summary>A charge of <paramref name="amount"/> captured in full; returns its id.</summary>
    private async Task<string> CapturedChargeAsync(AmazonPayClient client, string amount = "100.00")
    {
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, amount);
        return (await Payments.CreateChargeAsync(client, permissionId, amount, captureNow: true)).Value.ChargeId!;
    }

    /// <summary>The payload the official SDKs' samples send, for <paramref name="chargeId"/> (times in seconds, in 2025).</summary>
    private static CreateDisputeRequest Create(string chargeId, string amount = "40.00") => new()
    {
        ChargeId = chargeId,
        ProviderMetadata = new DisputeProviderMetadataDto { ProviderDisputeId = "A2CQXQ2TUSYG7J" },
        DisputeAmount = Payments.Price(amount),
        FilingReason = "ProductNotReceived",
        FilingTimestamp = 1740000000,
        StatusDetails = new DisputeStatusRequest
        {
            State = "ActionRequired",
            ReasonCode = "MerchantResponseRequired",
            ReasonDescription = "Merchant needs to provide a response",
        },
        MerchantResponseDeadline = 1740604800,
    };

    [Fact]
    public async Task CreateGetContestUpdate_FollowTheStateMachine_AllAnswering200()
    {
        using var client = Host.Client(Merchant);
        var chargeId = await CapturedChargeAsync(client);

        var created = await client.CreateDisputeAsync(Create(chargeId));

        Assert.Equal(200, created.StatusCode);
        var dispute = created.Value;
        Assert.Matches($"^{chargeId[..^8]}-B\\d{{6}}$", dispute.DisputeId);
        Assert.Equal(chargeId, dispute.ChargeId);
        Assert.Equal(("Chargeback", "40.00", "ProductNotReceived", "AmazonPay", "Sandbox"),
            (dispute.DisputeType, dispute.DisputeAmount!.Amount, dispute.FilingReason, dispute.ResolutionAuthority, dispute.ReleaseEnvironment));
        Assert.Equal(("ActionRequired", "MerchantResponseRequired", (string?)null), (dispute.StatusDetails!.State, dispute.StatusDetails.ReasonCode, dispute.StatusDetails.Resolution));
        // The sample's deadline (2025) had passed: the sandbox gives the whole response window from now instead.
        Assert.True(ApiTimestamp.TryParse(dispute.CreationTimestamp, out var creation));
        Assert.Equal(ApiTimestamp.ToText(creation + TimeSpan.FromDays(11)), dispute.MerchantResponseDeadline);

        var got = await client.GetDisputeAsync(dispute.DisputeId!);
        Assert.Equal(dispute.MerchantResponseDeadline, got.Value.MerchantResponseDeadline);

        var contested = await client.ContestDisputeAsync(dispute.DisputeId!, new ContestDisputeRequest
        {
            MerchantEvidences = [new MerchantEvidenceDto { EvidenceType = "TrackingNumber", EvidenceText = "1Z999AA10123456784" }],
        });
        Assert.Equal(200, contested.StatusCode);
        Assert.Equal("UnderReview", contested.Value.StatusDetails!.State);
        Assert.Equal("1Z999AA10123456784", Assert.Single(contested.Value.MerchantEvidences!).EvidenceText);

        var updated = await client.UpdateDisputeAsync(dispute.DisputeId!, new UpdateDisputeRequest
        {
            StatusDetails = new DisputeStatusRequest { State = "Resolved", ReasonCode = "InvestigatorResolved", Resolution = "MerchantWon" },
            ClosureTimestamp = 1740600000000,
        });
        Assert.Equal(200, updated.StatusCode);
        Assert.Equal(("Resolved", "MerchantWon"), (updated.Value.StatusDetails!.State, updated.Value.StatusDetails.Resolution));

        // A provider's dispute takes evidence after its outcome too (the SDKs' own tests do this) and keeps its state.
        var late = await client.ContestDisputeAsync(dispute.DisputeId!, new ContestDisputeRequest
        {
            MerchantEvidences = [new MerchantEvidenceDto { EvidenceType = "TrackingNumber", FileId = "ababcbchdhdhhduathcfjhf", EvidenceText = "raw text" }],
        });
        Assert.Equal(("Resolved", "MerchantWon", 2), (late.Value.StatusDetails!.State, late.Value.StatusDetails.Resolution, late.Value.MerchantEvidences!.Count));
    }

    [Fact]
    public async Task Dispute_HasEveryKey_InTheReferencesOrder_NullsIncluded()
    {
        using var client = Host.Client(Merchant);
        var chargeId = await CapturedChargeAsync(client);
        var id = (await client.CreateDisputeAsync(Create(chargeId))).Value.DisputeId!;

        var (status, body, _) = await RawRequests.SendAsync(Host, Merchant, Merchant.SandboxKeyId, HttpMethod.Get, $"/sandbox/v2/disputes/{id}/");

        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(
            ["disputeId", "releaseEnvironment", "chargeId", "disputeType", "disputeAmount", "filingReason", "statusDetails", "merchantEvidences",
                "merchantResponseDeadline", "resolutionAuthority", "creationTimestamp"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["state", "reasonCode", "reasonDescription", "resolution", "lastUpdatedTimestamp"],
            json.RootElement.GetProperty("statusDetails").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("statusDetails").GetProperty("resolution").ValueKind);
        Assert.Matches("^\\d{8}T\\d{6}Z$", json.RootElement.GetProperty("creationTimestamp").GetString());
    }

    [Fact]
    public async Task Deadline_Passing_DecidesForTheBuyer_AndTheDisputeKeepsItsAmountFromRefunds()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var chargeId = (await Payments.CreateChargeAsync(client, permissionId, "100.00")).Value.ChargeId!;
        await Checkouts.CaptureAsync(client, chargeId, "100.00", simulationCode: "Chargeback");
        var id = Assert.Single(Host.Store.Read(r => r.GetDisputesOfPermission(Merchant.MerchantId, permissionId))).DisputeId;
        // 100 captured allows 115 refunded; the dispute holds 100 of it.
        Assert.Equal(new Outcome(422, "TransactionAmountExceeded"), await Payments.OutcomeAsync(() => Payments.RefundAsync(client, chargeId, "15.01")));

        await Host.AdvanceSandboxAsync(TimeSpan.FromDays(11));

        var expired = (await client.GetDisputeAsync(id)).Value;
        Assert.Equal(("Resolved", "MerchantResponseDeadlineExpired", "BuyerWon"),
            (expired.StatusDetails!.State, expired.StatusDetails.ReasonCode, expired.StatusDetails.Resolution));
        var late = await Payments.OutcomeAsync(() => client.ContestDisputeAsync(id, new ContestDisputeRequest
        {
            MerchantEvidences = [new MerchantEvidenceDto { EvidenceType = "Receipt", EvidenceText = "too late" }],
        }));
        Assert.Equal(new Outcome(422, "InvalidDisputeStatus"), late);
        Assert.Equal(new Outcome(422, "TransactionAmountExceeded"), await Payments.OutcomeAsync(() => Payments.RefundAsync(client, chargeId, "15.01")));
        Assert.Equal(201, (await Payments.RefundAsync(client, chargeId, "15.00")).StatusCode);
        var events = Host.Store.Read(r => r.GetEvents(Merchant.MerchantId, id));
        Assert.Equal(["ActionRequired", "Resolved"], events.Select(e => e.Event.ToState));
        Assert.Equal("BuyerWon", events[^1].Event.Detail);
        Assert.Equal(100.00m, events[^1].Event.Amount!.Value.Amount);
    }

    [Fact]
    public async Task Capture_WithTheChargebackCode_OpensADisputeForTheWholeCapture()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "60.00");
        var chargeId = (await Payments.CreateChargeAsync(client, permissionId, "60.00")).Value.ChargeId!;

        var captured = await Checkouts.CaptureAsync(client, chargeId, "60.00", simulationCode: "ChargebackProductNotReceived");

        Assert.Equal("Captured", captured.Value.StatusDetails!.State);
        var dispute = Assert.Single(Host.Store.Read(r => r.GetDisputesOfPermission(Merchant.MerchantId, permissionId)));
        var got = (await client.GetDisputeAsync(dispute.DisputeId)).Value;
        Assert.Equal(("60.00", "ProductNotReceived", "ActionRequired"), (got.DisputeAmount!.Amount, got.FilingReason, got.StatusDetails!.State));
    }

    [Fact]
    public async Task Capture_WithTheChargebackCode_InLive_IsRefused_AndCapturesNothing()
    {
        using var client = Host.Client(Merchant, Merchant.LiveKeyId, sandbox: false);
        var (status, body, _) = await RawRequests.SendAsync(
            Host, Merchant, Merchant.LiveKeyId, HttpMethod.Post, "/live/v2/charges/P01-0000000-0000000-C000000/capture",
            Encoding.UTF8.GetBytes("""{"captureAmount":{"amount":"1.00","currencyCode":"USD"}}"""),
            new Dictionary<string, string> { ["x-amz-pay-idempotency-key"] = "k1", ["x-amz-pay-simulation-code"] = "Chargeback" });

        Assert.Equal(400, status);
        Assert.Contains("InvalidSandboxSimulationSpecified", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadFile_TwoSteps_ThenContestCitesIt()
    {
        using var client = Host.Client(Merchant);
        var chargeId = await CapturedChargeAsync(client);
        var id = (await client.CreateDisputeAsync(Create(chargeId))).Value.DisputeId!;

        var file = (await client.UploadFileAsync(new UploadFileRequest { Type = "jpg", Purpose = "disputeEvidence" })).Value;
        Assert.Equal((0L, (string?)null), (file.Size, file.UploadTimestamp));
        Assert.StartsWith(Host.HttpsBase.GetLeftPart(UriPartial.Authority) + "/files/uploads/", file.Url, StringComparison.Ordinal);
        var cited = new ContestDisputeRequest { MerchantEvidences = [new MerchantEvidenceDto { EvidenceType = "CustomerSignature", FileId = file.Id }] };
        Assert.Equal(new Outcome(400, "InvalidParameterValue"), await Payments.OutcomeAsync(() => client.ContestDisputeAsync(id, cited)));

        using var http = RawRequests.Http(Host);
        using var put = await http.PutAsync(file.Url, new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0]));
        using var twice = await http.PutAsync(file.Url, new ByteArrayContent([1]));

        Assert.Equal(200, (int)put.StatusCode);
        Assert.Equal(400, (int)twice.StatusCode);
        var stored = Host.Store.Read(r => r.GetEvidenceFile(Merchant.MerchantId, file.Id!))!;
        Assert.Equal(4, stored.Size);
        var contested = await client.ContestDisputeAsync(id, cited);
        Assert.Equal(file.Id, Assert.Single(contested.Value.MerchantEvidences!).FileId);
    }

    [Fact]
    public async Task Upload_ToAnUnknownOrExpiredAddress_IsRefused()
    {
        using var client = Host.Client(Merchant);
        var file = (await client.UploadFileAsync(new UploadFileRequest { Type = "pdf", Purpose = "disputeEvidence" })).Value;
        using var http = RawRequests.Http(Host);

        using var unknown = await http.PutAsync(new Uri(Host.HttpsBase, "/files/uploads/nope"), new ByteArrayContent([1]));
        using var empty = await http.PutAsync(file.Url, new ByteArrayContent([]));
        await Host.AdvanceSandboxAsync(TimeSpan.FromMinutes(10));
        using var expired = await http.PutAsync(file.Url, new ByteArrayContent([1]));

        Assert.Equal(404, (int)unknown.StatusCode);
        Assert.Equal(400, (int)empty.StatusCode);
        Assert.Equal(400, (int)expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(Host.Store.Read(r => r.GetEvidenceFile(Merchant.MerchantId, file.Id!))!.UploadedAt);
    }

    [Fact]
    public async Task CreateAndUpdateDispute_WithoutThePspRole_AreUnauthorized_AndChangeNothing()
    {
        using var client = Host.Client(Merchant);
        var chargeId = await CapturedChargeAsync(client);
        var id = (await client.CreateDisputeAsync(Create(chargeId))).Value.DisputeId!;
        var before = (await client.GetDisputeAsync(id)).Value;
        var merchant = await Host.CreateMerchantAsync();
        using var withoutRole = Host.Client(merchant);
        var otherCharge = await Payments.CreateChargeAsync(
            withoutRole, await Payments.ChargePermissionAsync(Host, withoutRole, merchant, "100.00"), "100.00", captureNow: true);

        Assert.Equal(
            new Outcome(401, "UnauthorizedAccess"),
            await Payments.OutcomeAsync(() => withoutRole.CreateDisputeAsync(Create(otherCharge.Value.ChargeId!))));
        Assert.Equal(new Outcome(401, "UnauthorizedAccess"), await Payments.OutcomeAsync(() => withoutRole.UpdateDisputeAsync(id, new UpdateDisputeRequest
        {
            StatusDetails = new DisputeStatusRequest { State = "Closed", Resolution = "NoFault" },
        })));
        Assert.Empty(Host.Store.Read(r => r.GetDisputesOfPermission(merchant.MerchantId, otherCharge.Value.ChargePermissionId!)));
        Assert.Equal(before.StatusDetails!.State, (await client.GetDisputeAsync(id)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task Disputes_OfAnotherMerchantOrEnvironment_DoNotExist()
    {
        using var client = Host.Client(Merchant);
        var chargeId = await CapturedChargeAsync(client);
        var id = (await client.CreateDisputeAsync(Create(chargeId))).Value.DisputeId!;
        var other = await Host.CreateMerchantAsync();
        await Host.GrantAsync(other, "psp");
        using var otherClient = Host.Client(other);
        using var live = Host.Client(Merchant, Merchant.LiveKeyId, sandbox: false);

        Assert.Equal(new Outcome(404, "ResourceNotFound"), await Payments.OutcomeAsync(() => otherClient.GetDisputeAsync(id)));
        Assert.Equal(new Outcome(404, "ResourceNotFound"), await Payments.OutcomeAsync(() => live.GetDisputeAsync(id)));
        Assert.Equal(new Outcome(404, "ResourceNotFound"), await Payments.OutcomeAsync(() => otherClient.CreateDisputeAsync(Create(chargeId))));
        Assert.Equal(new Outcome(404, "ResourceNotFound"), await Payments.OutcomeAsync(() => otherClient.UpdateDisputeAsync(id, new UpdateDisputeRequest
        {
            StatusDetails = new DisputeStatusRequest { State = "Closed", Resolution = "NoFault" },
        })));
        Assert.Equal("ActionRequired", (await client.GetDisputeAsync(id)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task CreateDispute_OnACharge_NotCaptured_IsInvalidChargeStatus()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);
        var chargeId = (await Payments.CreateChargeAsync(client, permissionId, "10.00")).Value.ChargeId!;

        Assert.Equal(new Outcome(422, "InvalidChargeStatus"), await Payments.OutcomeAsync(() => client.CreateDisputeAsync(Create(chargeId, "5.00"))));
        Assert.Empty(Host.Store.Read(r => r.GetDisputesOfPermission(Merchant.MerchantId, permissionId)));
    }

    [Fact]
    public async Task CreateDispute_WithTheSameKey_ReplaysTheFirstDispute()
    {
        using var client = Host.Client(Merchant);
        var chargeId = await CapturedChargeAsync(client);
        var options = new RequestOptions { IdempotencyKey = "dispute-key-1" };

        var first = await client.CreateDisputeAsync(Create(chargeId), options);
        var second = await client.CreateDisputeAsync(Create(chargeId), options);

        Assert.Equal(first.Value.DisputeId, second.Value.DisputeId);
        var permissionId = first.Value.DisputeId![..^8];
        Assert.Single(Host.Store.Read(r => r.GetDisputesOfPermission(Merchant.MerchantId, permissionId)));
    }
}
