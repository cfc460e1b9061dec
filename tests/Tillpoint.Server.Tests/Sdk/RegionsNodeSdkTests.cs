using Tillpoint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Sdk;

/// <summary>
/// The official Node SDK configured for the EU and JP regions, pointed at Tillpoint with <c>overrideServiceUrl</c>: an
/// EU merchant pays in EUR and presents other currencies, a JP merchant pays in yen and nothing else.
/// </summary>
public sealed class RegionsNodeSdkTests(ITestOutputHelper output)
{
    /// <summary>regions.test.mjs: 3 tests.</summary>
    private const int ExpectedPassCount = 3;

    [Fact]
    public async Task OfficialNodeSdk_PaysInEurosAsAnEuMerchantAndInYenAsAJpMerchant()
    {
        await using var host = await TillpointHost.StartAsync();
        var eu = await host.CreateMerchantAsync("eu");
        var jp = await host.CreateMerchantAsync("jp");
        await NodeSdkSuite.RunAsync(
            output,
            host,
            eu,
            ["regions.test.mjs"],
            ExpectedPassCount,
            new Dictionary<string, string>
            {
                ["TILLPOINT_JP_PUBLIC_KEY_ID"] = jp.SandboxKeyId,
                ["TILLPOINT_JP_PRIVATE_KEY_PATH"] = jp.PrivateKeyPath,
                ["TILLPOINT_JP_STORE_ID"] = jp.StoreId,
            });
    }
}
