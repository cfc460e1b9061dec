using Tillpoint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Sdk;

/// <summary>
/// The official Node SDK's Disputes and Files methods (createDispute, getDispute, updateDispute, contestDispute,
/// uploadFile) against a real server, with the payloads of the SDK's own test.
/// </summary>
public sealed class NodeSdkDisputeTests(ITestOutputHelper output)
{
    /// <summary>The test of disputes.test.mjs and its nine steps: all must pass.</summary>
    private const int ExpectedPassCount = 10;

    [Fact]
    public async Task OfficialNodeSdk_CreatesGetsContestsAndUpdatesDisputes_AndUploadsFiles()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        await host.GrantAsync(merchant, "psp");
        var withoutRole = await host.CreateMerchantAsync();
        await NodeSdkSuite.RunAsync(
            output,
            host,
            merchant,
            ["disputes.test.mjs"],
            ExpectedPassCount,
            new Dictionary<string, string>
            {
                ["TILLPOINT_NO_ROLE_PUBLIC_KEY_ID"] = withoutRole.SandboxKeyId,
                ["TILLPOINT_NO_ROLE_PRIVATE_KEY_PATH"] = withoutRole.PrivateKeyPath,
            });
    }
}
