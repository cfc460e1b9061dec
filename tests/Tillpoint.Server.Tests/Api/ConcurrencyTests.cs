using System.Globalization;
using Tillpoint.Client;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

/// <summary>
/// Many clients acting on one charge permission at once, over HTTP: whatever the interleaving, the money rules hold in
/// the stored state, every idempotency key has exactly one effect, and nothing fails with a server error.
/// </summary>
public sealed class ConcurrencyTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Fact]
    public async Task ParallelCapturesRefundsCancelsAndCharges_KeepEveryMoneyRule_AndEachKeyHasOneEffect()
    {
        using var client = Host.Client(Merchant);

        var answers = await MixedLoad.RunAsync(Host, Merchant, (_, operation) => MixedLoad.Answer.Of(operation, operation.SendAsync(client)));

        Assert.Equal(MixedLoad.Requests, answers.Count);
    }

    [Fact]
    public async Task OneKeySentManyTimesAtOnce_HasOneEffect_AndCapturesWithManyKeysOnlyOneSucceeds()
    {
        using var client = Host.Client(Merchant);
        var permissionId = await Payments.ChargePermissionAsync(Host, client, Merchant, "100.00");
        var captured = (await Payments.CreateChargeAsync(client, permissionId, "50.00", captureNow: true)).Value.ChargeId!;
        var authorized = (await Payments.CreateChargeAsync(client, permissionId, "40.00")).Value.ChargeId!;
        var key = AmazonPayClient.NewIdempotencyKey();

        var refunds = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(
            () => Payments.OutcomeAsync(() => Payments.RefundAsync(client, captured, "10.00", idempotencyKey: key)))));
        var captures = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(
            () => Payments.OutcomeAsync(() => Checkouts.CaptureAsync(client, authorized, (30 + i).ToString("0.00", CultureInfo.InvariantCulture))))));

        Assert.All(refunds, outcome => Assert.Equal(new Outcome(201, null), outcome));
        Assert.Single(Host.Store.Read(reader => reader.GetRefundsOfCharge(Merchant.MerchantId, captured)));
        Assert.Single(captures, outcome => outcome == new Outcome(200, null));
        Assert.Equal(15, captures.Count(outcome => outcome == new Outcome(422, "InvalidChargeStatus")));
    }
}
