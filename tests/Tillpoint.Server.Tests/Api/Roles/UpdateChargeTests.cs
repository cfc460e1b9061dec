using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api.Roles;

/// <summary>Update Charge over HTTP: only with the psp role, granted and revoked by the operator; its refusals change nothing.</summary>
public sealed class UpdateChargeTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private static UpdateChargeRequest Report(string state, string? reasonCode = null) =>
        new() { StatusDetails = new UpdateChargeStatusDetails { State = state, ReasonCode = reasonCode } };

    private async Task<(TestMerchant Merchant, AmazonPayClient Client, string ChargeId)> AuthorizedChargeAsync(bool granted)
    {
        var merchant = await Host.CreateMerchantAsync();
        if (granted)
        {
            Assert.Equal(0, (await Host.CliAsync("merchants", "grant", "--merchant", merchant.MerchantId, "--role", "psp")).ExitCode);
        }

        var client = Host.Client(merchant);
        var permission = await Payments.ChargePermissionAsync(Host, client, merchant);
        var charge = (await Payments.CreateChargeAsync(client, permission, "20.00")).Value;
        Assert.Equal("Authorized", charge.StatusDetails!.State);
        return (merchant, client, charge.ChargeId!);
    }

    [Fact]
    public async Task UpdateCharge_WithoutThePspRole_Is401_ThenGrantedWorks_ThenRevokedIs401Again()
    {
        var (merchant, client, chargeId) = await AuthorizedChargeAsync(granted: false);

        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => client.UpdateChargeAsync(chargeId, Report("Canceled", "ExpiredUnused")));
        Assert.Equal((401, "UnauthorizedAccess"), (refused.StatusCode, refused.ReasonCode));
        Assert.Contains($"'{merchant.MerchantId}' is not authorized to call UpdateCharge: it needs the psp role", refused.Message, StringComparison.Ordinal);
        Assert.Equal("Authorized", await Payments.ChargeStateAsync(client, chargeId));

        await Host.CliAsync("merchants", "grant", "--merchant", merchant.MerchantId, "--role", "psp");
        var captured = (await client.UpdateChargeAsync(chargeId, Report("Captured"))).Value;
        Assert.Equal("Captured", captured.StatusDetails!.State);
        Assert.Equal("20.00", captured.CaptureAmount!.Amount);

        await Host.CliAsync("merchants", "revoke", "--merchant", merchant.MerchantId, "--role", "psp");
        var again = await Payments.OutcomeAsync(() => client.UpdateChargeAsync(chargeId, Report("Captured")));
        Assert.Equal(new Outcome(401, "UnauthorizedAccess"), again);
    }

    [Fact]
    public async Task UpdateCharge_TheSdkExample_CancelsTheCharge_AndAnswersTheWholeCharge()
    {
        var (_, client, chargeId) = await AuthorizedChargeAsync(granted: true);

        var response = await client.UpdateChargeAsync(chargeId, Report("Canceled", "ExpiredUnused"));

        Assert.Equal(200, response.StatusCode);
        var charge = response.Value;
        Assert.Equal(chargeId, charge.ChargeId);
        Assert.Equal(("Canceled", "ExpiredUnused"), (charge.StatusDetails!.State, charge.StatusDetails.ReasonCode));
        var got = (await client.GetChargeAsync(chargeId)).Value;
        Assert.Equal("Canceled", got.StatusDetails!.State);
        Assert.Equal(JsonSerializer.Serialize(got, ApiJsonContext.Default.ChargeDto), JsonSerializer.Serialize(charge, ApiJsonContext.Default.ChargeDto));
        Assert.Equal("Chargeable", await Payments.PermissionStateAsync(client, got.ChargePermissionId!));
    }

    [Fact]
    public async Task UpdateCharge_Repeated_AnswersTheSameCharge_AndAnotherFinalStateIs422()
    {
        var (_, client, chargeId) = await AuthorizedChargeAsync(granted: true);
        await client.UpdateChargeAsync(chargeId, Report("Canceled", "MerchantCanceled"));

        var repeated = await client.UpdateChargeAsync(chargeId, Report("Canceled", "MerchantCanceled"));
        var other = await Payments.OutcomeAsync(() => client.UpdateChargeAsync(chargeId, Report("Captured")));

        Assert.Equal(("Canceled", "MerchantCanceled"), (repeated.Value.StatusDetails!.State, repeated.Value.StatusDetails.ReasonCode));
        Assert.Equal(new Outcome(422, "InvalidChargeStatus"), other);
        Assert.Equal("Canceled", await Payments.ChargeStateAsync(client, chargeId));
    }

    [Fact]
    public async Task UpdateCharge_WithoutTheRole_IsRefusedBeforeTheBodyIsRead()
    {
        var (merchant, _, chargeId) = await AuthorizedChargeAsync(granted: false);

        var (status, body, _) = await RawRequests.SendAsync(
            Host, merchant, merchant.SandboxKeyId, HttpMethod.Patch, $"/sandbox/v2/charges/{chargeId}", Encoding.UTF8.GetBytes("{not json"));

        Assert.Equal(401, status);
        Assert.Equal("UnauthorizedAccess", JsonDocument.Parse(body).RootElement.GetProperty("reasonCode").GetString());
    }

    [Theory]
    [InlineData("/sandbox/v2/charges/{0}", "sandbox")]
    [InlineData("/sandbox/v2/charges/{0}/", "sandbox")]
    [InlineData("/v2/charges/{0}", "sandbox")]
    [InlineData("/live/v2/charges/{0}", "plain")]
    public async Task UpdateCharge_AnswersOnEveryPathForm(string template, string key)
    {
        var (merchant, client, chargeId) = await AuthorizedChargeAsync(granted: true);
        var keyId = key == "sandbox" ? merchant.SandboxKeyId : merchant.PlainKeyId;
        var payload = Encoding.UTF8.GetBytes("""{"statusDetails":{"state":"Canceled","reasonCode":"ExpiredUnused"}}""");

        var (status, body, _) = await RawRequests.SendAsync(Host, merchant, keyId, HttpMethod.Patch, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, chargeId), payload);

        if (template.StartsWith("/live", StringComparison.Ordinal))
        {
            // A sandbox charge does not exist in Live.
            Assert.Equal((404, "ResourceNotFound"), (status, JsonDocument.Parse(body).RootElement.GetProperty("reasonCode").GetString()));
            Assert.Equal("Authorized", await Payments.ChargeStateAsync(client, chargeId));
        }
        else
        {
            Assert.Equal(200, status);
            Assert.Equal("Canceled", JsonDocument.Parse(body).RootElement.GetProperty("statusDetails").GetProperty("state").GetString());
        }
    }

    [Theory]
    [InlineData("{}", 400, "MissingParameterValue", "statusDetails")]
    [InlineData("""{"statusDetails":{}}""", 400, "MissingParameterValue", "statusDetails.state")]
    [InlineData("""{"statusDetails":{"state":"Cancelled","reasonCode":"ExpiredUnused"}}""", 400, "InvalidParameterValue", "statusDetails.state")]
    [InlineData("""{"statusDetails":{"state":"canceled","reasonCode":"ExpiredUnused"}}""", 400, "InvalidParameterValue", "statusDetails.state")]
    [InlineData("""{"statusDetails":{"state":"1"}}""", 400, "InvalidParameterValue", "statusDetails.state")]
    [InlineData("""{"statusDetails":{"state":"Canceled","reasonCode":"Bored"}}""", 400, "InvalidParameterValue", "statusDetails.reasonCode")]
    [InlineData("""{"statusDetails":{"state":"Canceled"}}""", 400, "MissingParameterValue", "statusDetails.reasonCode")]
    [InlineData("""{"statusDetails":{"state":"Declined","reasonCode":"ExpiredUnused"}}""", 400, "InvalidParameterValue", "statusDetails.reasonCode")]
    [InlineData("""{"statusDetails":{"state":"Captured","reasonCode":"SoftDeclined"}}""", 400, "InvalidParameterValue", "statusDetails.reasonCode")]
    [InlineData("""{"statusDetails":{"state":"AuthorizationInitiated"}}""", 400, "InvalidParameterValue", "statusDetails.state")]
    [InlineData("""{"statusDetails":{"state":"Declined","reasonCode":"SoftDeclined"}}""", 422, "InvalidChargeStatus", "Authorized")]
    [InlineData("""{"statusDetails":{"state":42}}""", 400, "InvalidParameterValue", "statusDetails.state")]
    [InlineData("""{"statusDetails":{"state":"Canceled","reasonCode":"ExpiredUnused","reasonDescription":"x"}}""", 400, "UnrecognizedField", "reasonDescription")]
    [InlineData("""{"statusDetails":"Canceled"}""", 400, "InvalidParameterValue", "statusDetails")]
    [InlineData("[]", 400, "InvalidRequestFormat", "JSON object")]
    [InlineData("", 400, "InvalidRequestFormat", "empty")]
    public async Task UpdateCharge_BadInput_IsAClearError_AndChangesNothing(string payload, int status, string reasonCode, string named)
    {
        var (merchant, client, chargeId) = await AuthorizedChargeAsync(granted: true);

        var (answered, body, _) = await RawRequests.SendAsync(
            Host, merchant, merchant.SandboxKeyId, HttpMethod.Patch, $"/sandbox/v2/charges/{chargeId}", Encoding.UTF8.GetBytes(payload));

        var error = JsonDocument.Parse(body).RootElement;
        Assert.Equal((status, reasonCode), (answered, error.GetProperty("reasonCode").GetString()));
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Authorized", await Payments.ChargeStateAsync(client, chargeId));
    }

    [Fact]
    public async Task UpdateCharge_OfAnUnknownOrAnotherMerchantsCharge_IsNotFound()
    {
        var (_, _, othersCharge) = await AuthorizedChargeAsync(granted: false);
        var (_, client, _) = await AuthorizedChargeAsync(granted: true);

        var unknown = await Payments.OutcomeAsync(() => client.UpdateChargeAsync("S01-0000000-0000000-C000001", Report("Captured")));
        var others = await Payments.OutcomeAsync(() => client.UpdateChargeAsync(othersCharge, Report("Captured")));

        Assert.Equal(new Outcome(404, "ResourceNotFound"), unknown);
        Assert.Equal(new Outcome(404, "ResourceNotFound"), others);
    }
}
