using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Tests.ChargePermissions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

/// <summary>
/// The soft-decline instrument (…2222): processing declines it, the buyer chooses another payment method and
/// processing goes on with that one; the session stays Open throughout.
/// </summary>
public class CheckoutSoftDeclineTests
{
    private static readonly DateTimeOffset At = Times.T0.AddMinutes(2);

    private static PaymentInstrument JaneInstrument(string id) => SandboxBuyers.FindInstrument(Build.Jane, id)!;

    private static CheckoutSession SoftDeclined(PaymentIntent intent = PaymentIntent.Authorize)
    {
        var processed = Build.Ready(Build.Payment(intent), InstrumentBehavior.SoftDeclines).Process(At);
        Assert.Null(processed.Error);
        return processed.Value.Value;
    }

    [Fact]
    public void EveryTestBuyer_HasTheSoftDeclineInstrument()
    {
        Assert.All(SandboxBuyers.All, buyer =>
        {
            var instrument = SandboxBuyers.FindInstrument(buyer, "visa-2222");
            Assert.NotNull(instrument);
            Assert.Equal("Visa ****2222", instrument.Descriptor);
            Assert.Equal(InstrumentBehavior.SoftDeclines, instrument.Behavior);
        });
    }

    [Theory]
    [InlineData(PaymentIntent.Authorize)]
    [InlineData(PaymentIntent.AuthorizeWithCapture)]
    public void Process_SoftDeclines_KeepsTheSessionOpenAndUnprocessed_WithoutAnEvent(PaymentIntent intent)
    {
        var ready = Build.Ready(Build.Payment(intent), InstrumentBehavior.SoftDeclines);

        var processed = ready.Process(At);

        Assert.True(processed.IsSuccess);
        var session = processed.Value.Value;
        Assert.Equal(CheckoutSessionState.Open, session.State);
        Assert.False(session.Processed);
        Assert.Null(session.ReasonCode);
        Assert.Equal("visa-2222", session.SoftDeclinedInstrumentId);
        Assert.Equal(At, session.LastUpdatedTimestamp);
        Assert.Empty(processed.Value.Events);
        Assert.Empty(session.Constraints);
    }

    [Fact]
    public void Process_Again_WhileSoftDeclined_ChangesNothing()
    {
        var declined = SoftDeclined();

        var again = declined.Process(At.AddMinutes(1));

        Assert.True(again.IsSuccess);
        Assert.Same(declined, again.Value.Value);
        Assert.Empty(again.Value.Events);
    }

    [Fact]
    public void Complete_WhileSoftDeclined_IsInvalidCheckoutSessionStatus()
    {
        var error = SoftDeclined().CheckCompletable(Usd.Of(14m), null);

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, error?.Code);
        Assert.Contains("choose another", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChooseAnotherInstrument_ThenProcess_ProceedsWithTheNewInstrument()
    {
        var declined = SoftDeclined();
        var visa = JaneInstrument("visa-1111");

        var chosen = declined.ChooseAnotherInstrument(visa.InstrumentId, visa.Descriptor, visa.Behavior, At.AddMinutes(1));
        var processed = chosen.Value.Value.Process(At.AddMinutes(1));

        Assert.True(chosen.IsSuccess);
        Assert.Empty(chosen.Value.Events);
        Assert.Null(chosen.Value.Value.SoftDeclinedInstrumentId);
        var session = processed.Value.Value;
        Assert.True(session.Processed);
        Assert.Equal(CheckoutSessionState.Open, session.State);
        Assert.Equal("visa-1111", session.Selection!.InstrumentId);
        Assert.Equal("Visa ****1111", session.Selection.PaymentDescriptor);
        Assert.Equal(InstrumentBehavior.Succeeds, session.Selection.Behavior);
        // Buyer and address stay as the buyer chose them before.
        Assert.Equal(declined.Selection!.Buyer, session.Selection.Buyer);
        Assert.Equal(declined.Selection.ShippingAddress, session.Selection.ShippingAddress);
        Assert.Null(session.CheckCompletable(Usd.Of(14m), null));
    }

    [Fact]
    public void ChooseAnotherInstrument_ThatDeclines_CancelsTheSessionAtProcessing()
    {
        var declines = JaneInstrument("visa-3434");

        var chosen = SoftDeclined().ChooseAnotherInstrument(declines.InstrumentId, declines.Descriptor, declines.Behavior, At);
        var processed = chosen.Value.Value.Process(At);

        Assert.Equal(CheckoutSessionState.Canceled, processed.Value.Value.State);
        Assert.Equal(CheckoutSessionReasonCode.Declined, processed.Value.Value.ReasonCode);
        Assert.Single(processed.Value.Events);
    }

    [Fact]
    public void ChooseAnotherInstrument_TheDeclinedOne_IsInvalidParameterValue()
    {
        var declined = SoftDeclined();
        var same = JaneInstrument("visa-2222");

        var chosen = declined.ChooseAnotherInstrument(same.InstrumentId, same.Descriptor, same.Behavior, At);

        Assert.Equal(ErrorCode.InvalidParameterValue, chosen.Error?.Code);
        Assert.Contains("paymentInstrumentId", chosen.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChooseAnotherInstrument_WithoutASoftDecline_IsInvalidCheckoutSessionStatus()
    {
        var visa = JaneInstrument("visa-1111");

        var chosen = Build.Ready().ChooseAnotherInstrument(visa.InstrumentId, visa.Descriptor, visa.Behavior, At);

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, chosen.Error?.Code);
    }

    [Fact]
    public void ChooseAnotherInstrument_AfterTheBuyerCanceled_IsInvalidCheckoutSessionStatus()
    {
        var canceled = SoftDeclined().CancelByBuyer(At).Value.Value;
        var visa = JaneInstrument("visa-1111");

        var chosen = canceled.ChooseAnotherInstrument(visa.InstrumentId, visa.Descriptor, visa.Behavior, At);

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, chosen.Error?.Code);
        Assert.Equal(CheckoutSessionReasonCode.BuyerCanceled, canceled.ReasonCode);
    }

    [Fact]
    public void AssociateBuyer_AfterASoftDecline_ReplacesTheDeclinedChoice()
    {
        var associated = SoftDeclined().AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePortland), At.AddMinutes(1));

        Assert.True(associated.IsSuccess);
        Assert.Null(associated.Value.Value.SoftDeclinedInstrumentId);
        Assert.True(associated.Value.Value.Process(At.AddMinutes(1)).Value.Value.Processed);
    }

    [Fact]
    public void ConfirmIntent_WithTheSoftDeclineInstrument_Proceeds_ButLaterChargesAreSoftDeclined()
    {
        var ledger = Ledgers.Confirmed(Usd.Of(100m), InstrumentBehavior.SoftDeclines);

        var (charged, charge) = ledger.Charged(Usd.Of(10m));

        Assert.Equal(ChargeState.Declined, charge.State);
        Assert.Equal(ChargeReasonCode.SoftDeclined, charge.ReasonCode);
        Assert.Equal(ChargePermissionState.NonChargeable, charged.ChargePermission.State);
        Assert.Equal(ChargePermissionReasonCode.PaymentMethodInvalid, charged.ChargePermission.PaymentMethodProblem);
    }
}
