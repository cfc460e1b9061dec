using System.Text.Json;
using Tillpoint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Sdk;

/// <summary>
/// The official Node SDK's updateCharge and getAuthorizationToken (roles.test.mjs): refused without the role the operator
/// grants, answered with it, and the delegation token honoured as x-amz-pay-authtoken.
/// </summary>
public sealed class RolesNodeSdkTests(ITestOutputHelper output)
{
    /// <summary>Every test of roles.test.mjs.</summary>
    private const int ExpectedPassCount = 6;

    [Fact]
    public async Task OfficialNodeSdk_CallsTheRoleOperations()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        var psp = await host.CreateMerchantAsync();
        var provider = await host.CreateMerchantAsync();
        await host.CliAsync("merchants", "grant", "--merchant", psp.MerchantId, "--role", "psp");
        await host.CliAsync("merchants", "grant", "--merchant", provider.MerchantId, "--role", "solution-provider");
        var (_, issued, _) = await host.CliAsync(
            "merchants", "authorize-token", "--merchant", merchant.MerchantId, "--solution-provider", provider.MerchantId, "--json");

        await NodeSdkSuite.RunAsync(
            output,
            host,
            merchant,
            ["roles.test.mjs"],
            ExpectedPassCount,
            new Dictionary<string, string>
            {
                ["TILLPOINT_MERCHANT_ID"] = merchant.MerchantId,
                ["TILLPOINT_CHARGE_ID"] = await AuthorizedChargeAsync(host, merchant),
                ["TILLPOINT_PSP_PUBLIC_KEY_ID"] = psp.SandboxKeyId,
                ["TILLPOINT_PSP_PRIVATE_KEY_PATH"] = psp.PrivateKeyPath,
                ["TILLPOINT_PSP_CHARGE_ID"] = await AuthorizedChargeAsync(host, psp),
                ["TILLPOINT_SP_PUBLIC_KEY_ID"] = provider.SandboxKeyId,
                ["TILLPOINT_SP_PRIVATE_KEY_PATH"] = provider.PrivateKeyPath,
                ["TILLPOINT_MWS_AUTH_TOKEN"] = JsonDocument.Parse(issued).RootElement.GetProperty("mwsAuthToken").GetString()!,
            });
    }

    private static async Task<string> AuthorizedChargeAsync(TillpointHost host, TestMerchant merchant)
    {
        using var client = host.Client(merchant);
        var permission = await Payments.ChargePermissionAsync(host, client, merchant);
        return (await Payments.CreateChargeAsync(client, permission, "20.00")).Value.ChargeId!;
    }
}
