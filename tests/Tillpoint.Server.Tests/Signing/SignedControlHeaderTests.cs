using System.Text;
using System.Text.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Signing;

/// <summary>
/// Headers that decide a request's effect must be covered by its signature, or a captured request could be replayed
/// with a fresh idempotency key for a fresh effect while its date is still accepted.
/// </summary>
public sealed class SignedControlHeaderTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string IdempotencyHeader = "x-amz-pay-idempotency-key";
    private const string SimulationHeader = "x-amz-pay-simulation-code";

    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Fact]
    public async Task Capture_WithIdempotencyKeyOutsideSignedHeaders_IsInvalidRequestSignature_AndChargeStaysAuthorized()
    {
        var chargeId = await AuthorizedChargeAsync();

        var (status, body, _) = await CaptureAsync(chargeId, unsigned: new() { [IdempotencyHeader] = NewKey() });

        AssertInvalidSignature(status, body);
        using var client = Host.Client(Merchant);
        Assert.Equal("Authorized", await Payments.ChargeStateAsync(client, chargeId));
    }

    [Fact]
    public async Task Capture_WithIdempotencyKeySigned_Captures()
    {
        var chargeId = await AuthorizedChargeAsync();

        var (status, body, _) = await CaptureAsync(chargeId, signed: new() { [IdempotencyHeader] = NewKey() });

        Assert.True(status == 200, body);
        using var client = Host.Client(Merchant);
        Assert.Equal("Captured", await Payments.ChargeStateAsync(client, chargeId));
    }

    [Fact]
    public async Task CreateCharge_WithIdempotencyKeyOutsideSignedHeaders_IsInvalidRequestSignature_AndCreatesNothing()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);
        var before = await Payments.PermissionStateAsync(client, permissionId);

        var (status, body, _) = await CreateChargeAsync(permissionId, unsigned: new() { [IdempotencyHeader] = NewKey() });

        AssertInvalidSignature(status, body);
        Assert.Equal(before, await Payments.PermissionStateAsync(client, permissionId));
        // The same request signed is accepted, so the refusal above was about the unsigned key alone.
        var (signedStatus, signedBody, _) = await CreateChargeAsync(permissionId, signed: new() { [IdempotencyHeader] = NewKey() });
        Assert.True(signedStatus == 201, signedBody);
    }

    [Fact]
    public async Task Capture_WithSimulationCodeOutsideSignedHeaders_IsHonoured_AsThePhpSdkSendsIt()
    {
        // The PHP SDK signs only the default headers and the idempotency key; its sandbox simulations must keep working.
        var chargeId = await AuthorizedChargeAsync();

        var (status, body, _) = await CaptureAsync(
            chargeId, signed: new() { [IdempotencyHeader] = NewKey() }, unsigned: new() { [SimulationHeader] = "CaptureInitiated" });

        Assert.True(status == 200, body);
        Assert.Equal("CaptureInitiated", JsonDocument.Parse(body).RootElement.GetProperty("statusDetails").GetProperty("state").GetString());
    }

    private async Task<string> AuthorizedChargeAsync()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant);
        var charge = (await Payments.CreateChargeAsync(client, permissionId, "10.00")).Value;
        Assert.Equal("Authorized", charge.StatusDetails!.State);
        return charge.ChargeId!;
    }

    private Task<(int StatusCode, string Body, string? RequestId)> CaptureAsync(
        string chargeId, Dictionary<string, string>? signed = null, Dictionary<string, string>? unsigned = null) =>
        RawRequests.SendAsync(
            Host, Merchant, Merchant.SandboxKeyId, HttpMethod.Post, $"/v2/charges/{chargeId}/capture",
            "{\"captureAmount\":{\"amount\":\"10.00\",\"currencyCode\":\"USD\"}}"u8.ToArray(), signed, unsignedHeaders: unsigned);

    private Task<(int StatusCode, string Body, string? RequestId)> CreateChargeAsync(
        string permissionId, Dictionary<string, string>? signed = null, Dictionary<string, string>? unsigned = null) =>
        RawRequests.SendAsync(
            Host, Merchant, Merchant.SandboxKeyId, HttpMethod.Post, "/v2/charges",
            Encoding.UTF8.GetBytes(
                $"{{\"chargePermissionId\":\"{permissionId}\",\"chargeAmount\":{{\"amount\":\"10.00\",\"currencyCode\":\"USD\"}},\"captureNow\":false}}"),
            signed,
            unsignedHeaders: unsigned);

    private static void AssertInvalidSignature(int status, string body)
    {
        Assert.True(status == 403, body);
        Assert.Equal("InvalidRequestSignature", JsonDocument.Parse(body).RootElement.GetProperty("reasonCode").GetString());
    }

    private static string NewKey() => Guid.NewGuid().ToString("N");
}
