using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Domain;
using static Tillpoint.Server.Tests.Ipn.IpnTestSupport;

namespace Tillpoint.Server.Tests.Api.Disputes;

/// <summary>
/// The sandbox's ways to open and move on a dispute (the CLI), the deadline reached by the sweeper without any request,
/// and the CHARGEBACK notification every dispute state change sends.
/// </summary>
public sealed class SandboxDisputeTests
{
    private static async Task<string> CapturedChargeAsync(TillpointHost host, AmazonPayClient client, TestMerchant merchant, string amount = "50.00")
    {
        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant, "60.00");
        return (await Payments.CreateChargeAsync(client, permissionId, amount, captureNow: true)).Value.ChargeId!;
    }

    [Fact]
    public async Task Cli_OpensAndMovesOnADispute_AndEveryStateChangeIsNotifiedAsChargeback()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        await using var host = await TillpointHost.StartAsync(Fast());
        var merchant = await host.CreateMerchantAsync();
        await AddEndpointAsync(host, merchant, receiver.Url);
        using var client = host.Client(merchant);
        var chargeId = await CapturedChargeAsync(host, client, merchant);
        var permissionId = chargeId[..^8];
        var before = Outbox(host, merchant, permissionId).Count;

        var opened = await host.CliAsync("disputes", "open", "--merchant", merchant.MerchantId, "--charge", chargeId, "--amount", "20.00", "--reason", "ProductNotReceived", "--json");

        Assert.Equal(0, opened.ExitCode);
        var dispute = JsonSerializer.Deserialize(opened.Output, ApiJsonContext.Default.DisputeDto)!;
        Assert.Equal(("20.00", "ProductNotReceived", "ActionRequired"), (dispute.DisputeAmount!.Amount, dispute.FilingReason, dispute.StatusDetails!.State));
        var id = dispute.DisputeId!;
        await client.ContestDisputeAsync(id, new ContestDisputeRequest { MerchantEvidences = [new MerchantEvidenceDto { EvidenceType = "TrackingNumber", EvidenceText = "1Z" }] });
        var asked = await host.CliAsync("disputes", "act", "--merchant", merchant.MerchantId, "--dispute", id, "--action", "request-evidence");
        Assert.Equal(0, asked.ExitCode);
        Assert.Contains("ActionRequired", asked.Output, StringComparison.Ordinal);
        await client.ContestDisputeAsync(id, new ContestDisputeRequest { MerchantEvidences = [new MerchantEvidenceDto { EvidenceType = "Receipt", EvidenceText = "paid" }] });
        var decided = await host.CliAsync("disputes", "act", "--merchant", merchant.MerchantId, "--dispute", id, "--action", "decide", "--resolution", "MerchantWon");
        Assert.Equal(0, decided.ExitCode);

        var got = (await client.GetDisputeAsync(id)).Value;
        Assert.Equal(("Resolved", "InvestigatorResolved", "MerchantWon"), (got.StatusDetails!.State, got.StatusDetails.ReasonCode, got.StatusDetails.Resolution));
        Assert.Equal(2, got.MerchantEvidences!.Count);
        var notified = Outbox(host, merchant, permissionId).Skip(before).ToList();
        Assert.Equal(5, notified.Count);
        Assert.All(notified, n => Assert.Equal((ObjectType.Dispute, id), (n.ObjectType, n.ObjectId)));
        var received = await receiver.NextAsync(before + 5);
        using var verifier = await VerifierAsync(host);
        var messages = new List<Tillpoint.Protocol.Notifications.IpnMessage>();
        foreach (var request in received)
        {
            messages.Add((await verifier.VerifyAsync(request.Body)).Message);
        }

        var chargebacks = messages.Where(m => m.ObjectType == "CHARGEBACK").ToList();
        Assert.Equal(5, chargebacks.Count);
        Assert.All(chargebacks, m => Assert.Equal((id, permissionId, "STATE_CHANGE"), (m.ObjectId, m.ChargePermissionId, m.NotificationType)));
    }

    [Fact]
    public async Task Cli_RefusesWhatIsNotThere_OrNotAllowed_WithOneLineAndItsExitCode()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant);
        var authorized = (await Payments.CreateChargeAsync(client, permissionId, "10.00")).Value.ChargeId!;

        var unknownCharge = await host.CliAsync("disputes", "open", "--merchant", merchant.MerchantId, "--charge", "S01-0000000-0000000-C000000");
        var notCaptured = await host.CliAsync("disputes", "open", "--merchant", merchant.MerchantId, "--charge", authorized);
        var badReason = await host.CliAsync("disputes", "open", "--merchant", merchant.MerchantId, "--charge", authorized, "--reason", "Because");
        var badAmount = await host.CliAsync("disputes", "open", "--merchant", merchant.MerchantId, "--charge", authorized, "--amount", "1.234");
        var badAction = await host.CliAsync("disputes", "act", "--merchant", merchant.MerchantId, "--dispute", "x", "--action", "shrug");
        var noResolution = await host.CliAsync("disputes", "act", "--merchant", merchant.MerchantId, "--dispute", "x", "--action", "decide");
        var unknownDispute = await host.CliAsync("disputes", "act", "--merchant", merchant.MerchantId, "--dispute", "x", "--action", "withdraw");
        var unknownMerchant = await host.CliAsync("disputes", "act", "--merchant", "ANOBODY", "--dispute", "x", "--action", "withdraw");

        Assert.Equal(3, unknownCharge.ExitCode);
        Assert.Equal(4, notCaptured.ExitCode);
        Assert.Equal(2, badReason.ExitCode);
        Assert.Equal(2, badAmount.ExitCode);
        Assert.Equal(2, badAction.ExitCode);
        Assert.Equal(2, noResolution.ExitCode);
        Assert.Equal(3, unknownDispute.ExitCode);
        Assert.Equal(3, unknownMerchant.ExitCode);
        Assert.All(
            new[] { unknownCharge, notCaptured, badReason, badAmount, badAction, noResolution, unknownDispute },
            r => Assert.Single(r.Error.TrimEnd().Split('\n')));
        Assert.Empty(host.Store.Read(r => r.GetDisputesOfPermission(merchant.MerchantId, permissionId)));
    }

    [Fact]
    public async Task Sweeper_DecidesAnExpiredDispute_WithoutAnyRequest_AtItsDeadline()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var chargeId = await CapturedChargeAsync(host, client, merchant);
        var permissionId = chargeId[..^8];
        await Checkouts.CaptureAsync(client, (await Payments.CreateChargeAsync(client, permissionId, "1.00")).Value.ChargeId!, "1.00", simulationCode: "Chargeback");
        var opened = Assert.Single(host.Store.Read(r => r.GetDisputesOfPermission(merchant.MerchantId, permissionId)));
        var dispute = (await client.GetDisputeAsync(opened.DisputeId)).Value;

        await host.AdvanceSandboxAsync(TimeSpan.FromDays(11));

        // Read from the store as it is, not through the API (which would apply the deadline itself): the sweeper saved it.
        var stored = host.Store.Read(r => r.GetDispute(merchant.MerchantId, dispute.DisputeId!))!;
        Assert.Equal((Tillpoint.Domain.Disputes.DisputeState.Resolved, Tillpoint.Domain.Disputes.DisputeResolution.BuyerWon), (stored.State, stored.Resolution));
        Assert.Equal(dispute.MerchantResponseDeadline, ApiTimestamp.ToText(stored.LastUpdatedTimestamp));
        Assert.DoesNotContain(
            host.Store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, host.Clock.GetUtcNow() + TimeSpan.FromDays(30), 10)),
            d => d.ObjectType == ObjectType.Dispute);
    }
}
