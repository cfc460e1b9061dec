using Tillpoint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Sdk;

/// <summary>The official Node SDK's report methods (reports.test.mjs) against a real server and its sweeper.</summary>
public sealed class ReportsNodeSdkTests(ITestOutputHelper output)
{
    /// <summary>Every test of reports.test.mjs.</summary>
    private const int ExpectedPassCount = 5;

    [Fact]
    public async Task OfficialNodeSdk_CallsEveryReportMethod()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        await NodeSdkSuite.RunAsync(output, host, merchant, ["reports.test.mjs"], ExpectedPassCount);
    }
}
