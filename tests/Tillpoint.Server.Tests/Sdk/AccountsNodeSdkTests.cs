using Tillpoint.Server.Tests.Support;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Sdk;

/// <summary>
/// The official Node SDK's account methods (register, update, delete Amazon Pay account; create, update, claim merchant
/// account) and its InStoreClient (merchant scan, charge, refund), with the payloads of the SDK's own tests.
/// </summary>
public sealed class AccountsNodeSdkTests(ITestOutputHelper output)
{
    /// <summary>accounts.test.mjs: 4 tests and their 20 steps.</summary>
    private const int ExpectedPassCount = 24;

    [Fact]
    public async Task OfficialNodeSdk_ManagesMerchantAccountsAndPaysInStore()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await Api.Accounts.Partners.CreateAsync(host);
        await NodeSdkSuite.RunAsync(output, host, merchant, ["accounts.test.mjs"], ExpectedPassCount);
    }
}
