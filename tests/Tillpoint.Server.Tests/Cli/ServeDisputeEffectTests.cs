using System.CommandLine;
using System.Diagnostics;
using Tillpoint.Server.Cli;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Cli;

/// <summary>
/// <c>serve --dispute-effect hold|none</c> (or <c>TILLPOINT_DISPUTE_EFFECT</c>): whether a dispute holds its amount from
/// what its charge may still refund (docs/disputes.md).
/// </summary>
public sealed class ServeDisputeEffectTests
{
    private static readonly RootCommand Root = TillpointCli.CreateRootCommand(TextWriter.Null, TextWriter.Null, TimeProvider.System);

    [Theory]
    [InlineData("serve", "Hold")]
    [InlineData("serve --dispute-effect none", "None")]
    [InlineData("serve --dispute-effect Hold", "Hold")]
    public void DisputeEffect_AsTyped_Parses(string commandLine, string expected)
    {
        var parse = Root.Parse(commandLine);

        Assert.Empty(parse.Errors);
        Assert.Equal(expected, parse.GetValue<DisputeEffect>("--dispute-effect").ToString());
    }

    [Fact]
    public async Task DisputeEffect_FromAnEnvironmentVariableThatNamesNoEffect_StopsServeWithOneUsageLine()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tillpoint.dll"), "serve"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TILLPOINT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["TILLPOINT_DISPUTE_EFFECT"] = "sometimes";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(ExitCodes.Usage, process.ExitCode);
        Assert.StartsWith("error: TILLPOINT_DISPUTE_EFFECT must be hold or none, not 'sometimes'.", (await error).Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, 422, "TransactionAmountExceeded")]
    [InlineData(false, 201, null)]
    public async Task RefundOfADisputedCapture_IsRefusedWhileTheDisputeHoldsIt_AndTakenWhenDisputesHoldNothing(bool hold, int status, string? reasonCode)
    {
        await using var host = await TillpointHost.StartAsync(options => options with { Limits = options.Limits with { DisputesReduceRefundable = hold } });
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant, "30.00");
        var chargeId = (await Payments.CreateChargeAsync(client, permissionId, "30.00", captureNow: true)).Value.ChargeId!;
        Assert.Equal(0, (await host.CliAsync("disputes", "open", "--merchant", merchant.MerchantId, "--charge", chargeId)).ExitCode);

        var refund = await Payments.OutcomeAsync(() => Payments.RefundAsync(client, chargeId, "30.00"));

        Assert.Equal(new Outcome(status, reasonCode), refund);
    }
}
