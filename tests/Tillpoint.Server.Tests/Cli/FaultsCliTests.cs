using System.CommandLine;
using Tillpoint.Server.Cli;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Server.Tests.Throttling;

namespace Tillpoint.Server.Tests.Cli;

/// <summary>
/// <c>tillpoint faults set|list|clear</c> against a running server, <c>merchants set-throttling</c>, and the serve
/// options <c>--throttling</c> and <c>--seed</c>.
/// </summary>
public sealed class FaultsCliTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly RootCommand Root = TillpointCli.CreateRootCommand(TextWriter.Null, TextWriter.Null, TimeProvider.System);

    private TillpointHost Host => fixture.Host;

    [Fact]
    public async Task FaultsSetListClear_ChangeTheRunningServersRules()
    {
        var set = await FaultsAsync("set", "--merchant", fixture.Merchant.MerchantId, "--operation", "GetCheckoutSession", "--rate", "1", "--kind", "serviceunavailable", "--json");
        var failed = await Signed.GetUnknownSessionAsync(Host, fixture.Merchant);
        var listed = await FaultsAsync("list");
        var cleared = await FaultsAsync("clear", "--json");
        var answered = await Signed.GetUnknownSessionAsync(Host, fixture.Merchant);

        Assert.Equal(0, set.ExitCode);
        Assert.Equal(
            $$"""{"faults":[{"merchantId":"{{fixture.Merchant.MerchantId}}","operation":"GetCheckoutSession","rate":1,"kind":"ServiceUnavailable","latencyMs":null,"injected":0}]}""",
            set.Output.Trim());
        Assert.Equal(503, failed);
        Assert.Equal(0, listed.ExitCode);
        Assert.Equal(
            $"MERCHANT        OPERATION           RATE  KIND                LATENCY MS  INJECTED\n{fixture.Merchant.MerchantId}  GetCheckoutSession  1     ServiceUnavailable              1",
            listed.Output.Trim().ReplaceLineEndings("\n"));
        Assert.Equal((0, """{"faults":[]}"""), (cleared.ExitCode, cleared.Output.Trim()));
        Assert.Equal(404, answered);
    }

    [Fact]
    public async Task FaultsSet_ThatTheServerRefuses_IsAUsageError_WithItsReason()
    {
        var refused = await FaultsAsync("set", "--operation", "BrewCoffee", "--rate", "1", "--kind", "internalservererror");

        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.StartsWith("error: the server refused: InvalidParameterValue: ", refused.Error, StringComparison.Ordinal);
        Assert.Contains("BrewCoffee", refused.Error, StringComparison.Ordinal);
        Assert.Single(refused.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Faults_WithAWrongToken_OrNoServer_Fail_OnOneLine()
    {
        var wrong = await TillpointCliAsync("faults", "list", "--server", Host.HttpBase.ToString(), "--operator-token", "wrong-token-0123456789");
        var nowhere = await TillpointCliAsync("faults", "list", "--server", "http://127.0.0.1:9", "--operator-token", TillpointHost.OperatorToken);
        var tokenless = await TillpointCliAsync("faults", "list", "--server", Host.HttpBase.ToString(), "--data-dir", Path.Combine(Path.GetTempPath(), "no-such-tillpoint-folder"));

        Assert.Equal(ExitCodes.Failure, wrong.ExitCode);
        Assert.StartsWith("error: the server refused: UnauthorizedAccess: ", wrong.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, nowhere.ExitCode);
        Assert.StartsWith("error: could not reach http://127.0.0.1:9/", nowhere.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, tokenless.ExitCode);
        Assert.StartsWith("error: no operator token", tokenless.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Faults_OverHttps_TrustTheCertificateInTheDataFolder()
    {
        var listed = await TillpointCliAsync(
            "faults", "list", "--server", Host.HttpsBase.ToString(), "--operator-token", TillpointHost.OperatorToken, "--data-dir", Host.DataDirectory, "--json");

        Assert.Equal((0, """{"faults":[]}"""), (listed.ExitCode, listed.Output.Trim()));
    }

    [Theory]
    [InlineData("faults set --rate 1.5 --kind latency", "--rate must be a fraction from 0 to 1, such as 0.3, not '1.5'.")]
    [InlineData("faults set --rate 1 --kind teapot", "--kind must be internalservererror, serviceunavailable, latency or dropconnection, not 'teapot'.")]
    [InlineData("faults set --rate 1 --kind latency --latency-ms 0", "--latency-ms must be between 1 and 60000 milliseconds, not '0'.")]
    [InlineData("faults set --kind latency", "Option '--rate' is required.")]
    [InlineData("serve --throttling fast", "--throttling must be off or amazon, not 'fast'.")]
    [InlineData("serve --seed -1", "--seed must be between 0 and 2147483647, not '-1'.")]
    [InlineData("merchants set-throttling --merchant A1 sometimes", "throttling must be default, amazon or off, not 'sometimes'.")]
    public void ABadValue_FailsTheParse_NamingWhatItTakes(string commandLine, string error) =>
        Assert.Contains(error, Root.Parse(commandLine).Errors.Select(e => e.Message));

    [Theory]
    [InlineData("serve", "Off", null)]
    [InlineData("serve --throttling amazon --seed 42", "Amazon", 42)]
    [InlineData("serve --throttling OFF --seed 0", "Off", 0)]
    public void ThrottlingAndSeed_AsTyped_Parse(string commandLine, string throttling, int? seed)
    {
        var parse = Root.Parse(commandLine);

        Assert.Empty(parse.Errors);
        Assert.Equal(throttling, parse.GetValue<Tillpoint.Server.Throttling.ThrottlingMode>("--throttling").ToString());
        Assert.Equal(seed, parse.GetValue<int?>("--seed"));
    }

    [Fact]
    public async Task SetThrottling_OfAnUnknownMerchant_IsNotFound_AndStoresNothing()
    {
        var unknown = await Host.CliAsync("merchants", "set-throttling", "--merchant", "ANOSUCHMERCHANT", "amazon");

        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Equal("error: No merchant with id 'ANOSUCHMERCHANT'.", unknown.Error.Trim());
        Assert.DoesNotContain(Host.Store.Read(reader => reader.GetSettings(Tillpoint.Server.Throttling.ThrottlingSettings.Prefix)), s => s.Key.EndsWith("ANOSUCHMERCHANT", StringComparison.Ordinal));
    }

    private Task<(int ExitCode, string Output, string Error)> FaultsAsync(params string[] args) =>
        TillpointCliAsync(["faults", .. args, "--server", Host.HttpBase.ToString(), "--operator-token", TillpointHost.OperatorToken]);

    private static async Task<(int ExitCode, string Output, string Error)> TillpointCliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await TillpointCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
