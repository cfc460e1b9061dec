using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

// Not "…Tests.Operator": Operator is a keyword of Visual Basic (CA1716).
namespace Tillpoint.Server.Tests.OperatorEndpoints;

/// <summary>
/// The merchant's whole checkout (create, the buyer's approval, update, the buyer at amazonPayRedirectUrl, complete) with
/// the headless buyer alone, through <see cref="TillpointOperatorClient"/>, for every outcome of the sandbox instruments.
/// The class's own server: the clock is moved to settle pending authorizations.
/// </summary>
public sealed class HeadlessBuyerFlowTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Theory]
    [InlineData("visa-1111", false, "200", "Completed", "Authorized", "Authorized")]
    [InlineData("jcb-0000", false, "200", "Completed", "Authorized", "Authorized")]
    [InlineData("visa-3064", false, "422 CheckoutSessionCanceled", "Canceled BuyerCanceled", null, null)]
    [InlineData("visa-3434", false, "422 CheckoutSessionCanceled", "Canceled Declined", null, null)]
    [InlineData("visa-0701", true, "202", "Completed", "AuthorizationInitiated", "Authorized")]
    [InlineData("visa-4354", true, "202", "Completed", "AuthorizationInitiated", "Declined")]
    [InlineData("visa-4354", false, "422 CheckoutSessionCanceled", "Canceled Declined", null, null)]
    public async Task Checkout_WithTheHeadlessBuyer_EndsAsTheInstrumentSays(
        string instrumentId, bool canHandlePending, string completeAnswer, string sessionState, string? chargeState, string? chargeStateLater)
    {
        using var client = Host.Client(Merchant);
        using var buyer = Host.Operator();
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;

        var approved = await buyer.ApproveCheckoutAsync(id, new BuyerChoice { PaymentInstrumentId = instrumentId });
        await Checkouts.UpdateAsync(client, id, canHandlePending: canHandlePending);
        var paid = await buyer.PayCheckoutAsync(id);
        var completed = await Payments.OutcomeAsync(() => Checkouts.CompleteAsync(client, id));
        var session = (await client.GetCheckoutSessionAsync(id)).Value;
        var charge = session.ChargeId is { } chargeId ? await Payments.ChargeStateAsync(client, chargeId) : null;
        await Host.AdvanceSandboxAsync(TimeSpan.FromSeconds(30));
        var later = session.ChargeId is { } settled ? await Payments.ChargeStateAsync(client, settled) : null;

        Assert.Equal(new BuyerRedirect(id, $"{Checkouts.ReviewUrl}?amazonCheckoutSessionId={id}"), approved);
        Assert.Equal(new BuyerRedirect(id, $"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}"), paid);
        Assert.Equal(completeAnswer, completed.ToString());
        Assert.Equal(sessionState, string.Join(' ', new[] { session.StatusDetails!.State, session.StatusDetails.ReasonCode }.OfType<string>()));
        Assert.Equal(chargeState, charge);
        Assert.Equal(chargeStateLater, later);
    }

    [Fact]
    public async Task Checkout_WithTheHeadlessBuyer_AfterASoftDecline_GoesOnWithAnotherInstrument()
    {
        using var client = Host.Client(Merchant);
        using var buyer = Host.Operator();
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;

        await buyer.ApproveCheckoutAsync(id, new BuyerChoice { PaymentInstrumentId = "visa-2222" });
        var redirect = (await Checkouts.UpdateAsync(client, id)).Value.WebCheckoutDetails!.AmazonPayRedirectUrl!;
        var declined = await buyer.PayCheckoutAsync(id);
        var tooEarly = await Payments.OutcomeAsync(() => Checkouts.CompleteAsync(client, id));
        await buyer.ApproveCheckoutAsync(id);
        var paid = await buyer.PayCheckoutAsync(id);
        var completed = (await Checkouts.CompleteAsync(client, id)).Value;

        Assert.Equal(redirect, declined.RedirectUrl);
        Assert.Equal("422 InvalidCheckoutSessionStatus", tooEarly.ToString());
        Assert.Equal($"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}", paid.RedirectUrl);
        Assert.Equal("Completed", completed.StatusDetails!.State);
        Assert.Equal("Authorized", await Payments.ChargeStateAsync(client, completed.ChargeId!));
    }

    [Fact]
    public async Task AnExpiredSession_IsRefusedByEveryStep_AndStaysExpired()
    {
        using var client = Host.Client(Merchant);
        using var buyer = Host.Operator();
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        await Host.AdvanceSandboxAsync(TimeSpan.FromHours(25));

        var refusals = new[]
        {
            await Assert.ThrowsAsync<AmazonPayException>(() => buyer.ApproveCheckoutAsync(id)),
            await Assert.ThrowsAsync<AmazonPayException>(() => buyer.PayCheckoutAsync(id)),
            await Assert.ThrowsAsync<AmazonPayException>(() => buyer.CancelCheckoutAsync(id)),
        };
        var status = (await client.GetCheckoutSessionAsync(id)).Value.StatusDetails!;

        Assert.All(refusals, e => Assert.Equal((422, "InvalidCheckoutSessionStatus"), (e.StatusCode, e.ReasonCode)));
        Assert.Equal(("Canceled", "Expired"), (status.State, status.ReasonCode));
    }

    [Fact]
    public async Task Checkout_WithTheHeadlessBuyer_ThenCaptureAndRefund()
    {
        using var client = Host.Client(Merchant);
        using var buyer = Host.Operator();
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;

        await buyer.ApproveCheckoutAsync(id);
        await Checkouts.UpdateAsync(client, id, intent: "AuthorizeWithCapture");
        await buyer.PayCheckoutAsync(id);
        var chargeId = (await Checkouts.CompleteAsync(client, id)).Value.ChargeId!;
        var refund = (await Payments.RefundAsync(client, chargeId, "4.00")).Value;
        await Host.AdvanceSandboxAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("Captured", await Payments.ChargeStateAsync(client, chargeId));
        Assert.Equal("Refunded", (await client.GetRefundAsync(refund.RefundId!)).Value.StatusDetails!.State);
    }
}
