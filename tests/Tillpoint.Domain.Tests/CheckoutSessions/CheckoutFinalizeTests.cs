using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Simulation;
using Tillpoint.Domain.Tests.ChargePermissions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

/// <summary>Finalize Checkout Session (spec §4.5): the merchant restates what the buyer agreed to.</summary>
public class CheckoutFinalizeTests
{
    private static readonly DateTimeOffset Now = Times.T0.AddMinutes(3);

    private static FinalizeCheckoutSession Command(
        PaymentIntent intent = PaymentIntent.Authorize,
        Money? chargeAmount = null,
        Money? totalOrderAmount = null,
        bool? canHandlePendingAuthorization = null,
        string? supplementaryData = null,
        Address? shippingAddress = null,
        Address? billingAddress = null) =>
        new(chargeAmount ?? Usd.Of(14m), totalOrderAmount, intent, canHandlePendingAuthorization, supplementaryData, shippingAddress, billingAddress);

    private static Result<CompletedCheckout> Finalize(CheckoutSession session, FinalizeCheckoutSession command, SimulatedOutcome? simulation = null) =>
        CheckoutCompletion.Finalize(session, command, new SequentialIds(), simulation, Now, Limits.Default);

    /// <summary>A processed session whose merchant set <paramref name="supplementaryData"/> before the buyer came.</summary>
    private static CheckoutSession ProcessedWith(
        PaymentDetails? payment = null,
        string? supplementaryData = null,
        ProductType? productType = null,
        InstrumentBehavior behavior = InstrumentBehavior.Succeeds)
    {
        var session = Build.Configured(payment, productType: productType);
        if (supplementaryData is not null)
        {
            session = session.Update(
                new UpdateCheckoutSession(null, null, null, null, null, null, null, supplementaryData), Times.T0, Limits.Default).Value.Value;
        }

        var processed = session.AssociateBuyer(Build.Selection(behavior), Times.T0.AddMinutes(1)).Value.Value.Process(Times.T0.AddMinutes(2));
        Assert.Null(processed.Error);
        Assert.True(processed.Value.Value.Processed);
        return processed.Value.Value;
    }

    [Theory]
    [InlineData(PaymentIntent.Confirm, null)]
    [InlineData(PaymentIntent.Authorize, ChargeState.Authorized)]
    [InlineData(PaymentIntent.AuthorizeWithCapture, ChargeState.Captured)]
    public void Finalize_WithMatchingDetails_CompletesWithTheGivenIntent(PaymentIntent intent, ChargeState? chargeState)
    {
        // The session was created with Authorize; Finalize sets the intent the merchant settled on.
        var session = Build.Processed();

        var finalized = Finalize(session, Command(intent, shippingAddress: Build.JaneHome));

        var completed = Ledgers.Succeeded(finalized);
        Assert.Equal(CheckoutSessionState.Completed, completed.Session.State);
        Assert.Equal(intent, completed.Session.PaymentDetails.PaymentIntent);
        Assert.Equal(chargeState, completed.Charge?.State);
        Assert.Equal(completed.Charge?.ChargeId, completed.Session.ChargeId);
        Assert.Equal(completed.ChargePermission.ChargePermissionId, completed.Session.ChargePermissionId);
        Assert.Equal(ChargePermissionState.Chargeable, completed.ChargePermission.State);
        Assert.Equal(Usd.Of(16.10m), completed.ChargePermission.AmountLimit);
        Assert.False(completed.IsPending);
        Assert.Equal(CheckoutSessionState.Completed.ToString(), completed.Events[^1].ToState);
        if (intent == PaymentIntent.AuthorizeWithCapture)
        {
            Assert.Equal(Usd.Of(14m), completed.Charge!.CaptureAmount);
        }
    }

    [Fact]
    public void Finalize_ShippingAddressDifferingOnlyInCaseAndSpaces_Matches()
    {
        var home = Build.JaneHome;
        var restated = home with { City = "  SEATTLE ", AddressLine1 = home.AddressLine1!.ToLowerInvariant(), PhoneNumber = "other" };

        Assert.True(Finalize(Build.Processed(), Command(shippingAddress: restated)).IsSuccess);
    }

    [Fact]
    public void Finalize_ShippingAddressMismatch_IsInvalidParameterValue()
    {
        var finalized = Finalize(Build.Processed(), Command(shippingAddress: Build.JanePortland));

        Assert.Equal(ErrorCode.InvalidParameterValue, finalized.Error?.Code);
        Assert.Contains("shippingAddress", finalized.Error!.Message, StringComparison.Ordinal);
        Assert.Null(finalized.Value);
    }

    [Fact]
    public void Finalize_PostalCodeMismatch_IsInvalidParameterValue()
    {
        var finalized = Finalize(Build.Processed(), Command(shippingAddress: Build.JaneHome with { PostalCode = "98110" }));

        Assert.Equal(ErrorCode.InvalidParameterValue, finalized.Error?.Code);
    }

    [Fact]
    public void Finalize_PayAndShipWithoutShippingAddress_IsMissingParameterValue()
    {
        var finalized = Finalize(Build.Processed(), Command());

        Assert.Equal(ErrorCode.MissingParameterValue, finalized.Error?.Code);
        Assert.Contains("shippingAddress", finalized.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Finalize_PayOnly_NeedsTheMatchingBillingAddress()
    {
        var session = ProcessedWith(productType: ProductType.PayOnly);

        var missing = Finalize(session, Command());
        var mismatch = Finalize(session, Command(billingAddress: Build.JanePortland));
        var matching = Finalize(session, Command(billingAddress: Build.Jane.BillingAddress));

        Assert.Equal(ErrorCode.MissingParameterValue, missing.Error?.Code);
        Assert.Contains("billingAddress", missing.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.InvalidParameterValue, mismatch.Error?.Code);
        Assert.Contains("billingAddress", mismatch.Error!.Message, StringComparison.Ordinal);
        Assert.True(matching.IsSuccess);
        Assert.Null(matching.Value!.ChargePermission.ShippingAddress);
    }

    [Fact]
    public void Finalize_TotalOrderAmountSetOnTheSessionButMissing_IsMissingParameterValue()
    {
        var session = Build.Processed(Build.Payment(PaymentIntent.Authorize, Usd.Of(14m), totalOrderAmount: Usd.Of(50m)));

        var missing = Finalize(session, Command(shippingAddress: Build.JaneHome));
        var mismatch = Finalize(session, Command(totalOrderAmount: Usd.Of(51m), shippingAddress: Build.JaneHome));
        var matching = Finalize(session, Command(totalOrderAmount: Usd.Of(50m), shippingAddress: Build.JaneHome));

        Assert.Equal(ErrorCode.MissingParameterValue, missing.Error?.Code);
        Assert.Contains("totalOrderAmount", missing.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.AmountMismatch, mismatch.Error?.Code);
        Assert.Equal(Usd.Of(57.50m), Ledgers.Succeeded(matching).ChargePermission.AmountLimit);
    }

    [Fact]
    public void Finalize_SupplementaryDataSetOnTheSession_MustBeRepeated()
    {
        var session = ProcessedWith(supplementaryData: "{\"cart\":1}");

        var missing = Finalize(session, Command(shippingAddress: Build.JaneHome));
        var mismatch = Finalize(session, Command(supplementaryData: "{\"cart\":2}", shippingAddress: Build.JaneHome));
        var matching = Finalize(session, Command(supplementaryData: "{\"cart\":1}", shippingAddress: Build.JaneHome));

        Assert.Equal(ErrorCode.MissingParameterValue, missing.Error?.Code);
        Assert.Contains("supplementaryData", missing.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.InvalidParameterValue, mismatch.Error?.Code);
        Assert.Contains("supplementaryData", mismatch.Error!.Message, StringComparison.Ordinal);
        Assert.True(matching.IsSuccess);
    }

    [Fact]
    public void Finalize_SupplementaryDataNotOnTheSession_IsNotChecked()
    {
        Assert.True(Finalize(Build.Processed(), Command(supplementaryData: "anything", shippingAddress: Build.JaneHome)).IsSuccess);
    }

    [Fact]
    public void Finalize_ChargeAmountMismatch_IsAmountMismatch_AndOtherCurrencyIsCurrencyMismatch()
    {
        var session = Build.Processed();

        Assert.Equal(ErrorCode.AmountMismatch, Finalize(session, Command(chargeAmount: Usd.Of(15m), shippingAddress: Build.JaneHome)).Error?.Code);
        Assert.Equal(
            ErrorCode.CurrencyMismatch,
            Finalize(session, Command(chargeAmount: new Money(14m, Currency.EUR), shippingAddress: Build.JaneHome)).Error?.Code);
    }

    [Fact]
    public void Finalize_BeforeProcessing_OrTwice_IsInvalidCheckoutSessionStatus()
    {
        var ready = Build.Ready();
        var completed = Ledgers.Succeeded(Finalize(Build.Processed(), Command(shippingAddress: Build.JaneHome)));

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, Finalize(ready, Command(shippingAddress: Build.JaneHome)).Error?.Code);
        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, Finalize(completed.Session, Command(shippingAddress: Build.JaneHome)).Error?.Code);
    }

    [Fact]
    public void Finalize_WithTheAuthorizationInitiatedSimulation_IsPending()
    {
        var session = Build.Processed(Build.Payment(PaymentIntent.Authorize, canHandlePendingAuthorization: true));
        var simulation = Ledgers.Simulation(SimulatedOperation.FinalizeCheckoutSession, "AuthorizationInitiated");

        var completed = Ledgers.Succeeded(Finalize(session, Command(shippingAddress: Build.JaneHome), simulation));

        Assert.True(completed.IsPending);
        Assert.Equal(ChargeState.AuthorizationInitiated, completed.Charge!.State);
        Assert.Equal(ChargePermissionState.NonChargeable, completed.ChargePermission.State);
        Assert.Equal(ChargePermissionReasonCode.ChargeInProgress, completed.ChargePermission.Reasons.Single().ReasonCode);
        var ledger = Ledgers.From(completed).At(Now + Limits.Default.SandboxAsyncDelay);
        Assert.Equal(ChargeState.Authorized, ledger.ChargeOf(completed.Charge.ChargeId).State);
        Assert.Equal(ChargePermissionState.Chargeable, ledger.ChargePermission.State);
    }

    [Fact]
    public void Finalize_WithoutCanHandlePendingAuthorization_KeepsTheSessionsValue()
    {
        var session = Build.Processed(
            Build.Payment(PaymentIntent.Authorize, canHandlePendingAuthorization: true), InstrumentBehavior.PendingThenAuthorized);

        var kept = Ledgers.Succeeded(Finalize(session, Command(shippingAddress: Build.JaneHome)));
        var turnedOff = Ledgers.Succeeded(Finalize(session, Command(canHandlePendingAuthorization: false, shippingAddress: Build.JaneHome)));

        Assert.True(kept.IsPending);
        Assert.False(turnedOff.IsPending);
        Assert.Equal(ChargeState.Authorized, turnedOff.Charge!.State);
    }

    [Fact]
    public void Complete_WithTheAuthorizationInitiatedSimulation_IsPendingThenAuthorized()
    {
        var session = Build.Processed(Build.Payment(PaymentIntent.Authorize, canHandlePendingAuthorization: true));
        var simulation = Ledgers.Simulation(SimulatedOperation.CompleteCheckoutSession, "AuthorizationInitiated");

        var completed = Ledgers.Succeeded(
            CheckoutCompletion.Complete(session, Usd.Of(14m), null, new SequentialIds(), simulation, Now, Limits.Default));

        Assert.True(completed.IsPending);
        Assert.Equal(ChargeState.Authorized, Ledgers.From(completed).At(Now.AddMinutes(1)).ChargeOf(completed.Charge!.ChargeId).State);
    }

    [Theory]
    [InlineData(PaymentIntent.Confirm, false)]
    [InlineData(PaymentIntent.Authorize, false)]
    [InlineData(PaymentIntent.AuthorizeWithCapture, false)]
    public void Complete_WithAPendingSimulation_NeedsAuthorizeAndCanHandlePendingAuthorization(PaymentIntent intent, bool canHandle)
    {
        var session = Build.Processed(Build.Payment(intent, canHandlePendingAuthorization: canHandle));
        var simulation = Ledgers.Simulation(SimulatedOperation.CompleteCheckoutSession, "AuthorizationInitiated");

        var refused = CheckoutCompletion.Complete(session, Usd.Of(14m), null, new SequentialIds(), simulation, Now, Limits.Default);

        Assert.Equal(ErrorCode.InvalidSandboxSimulationSpecified, refused.Error?.Code);
    }

    [Fact]
    public void Finalize_ProcessingJudgesTheInstrumentByTheFinalIntent()
    {
        // Created with Confirm, the declining card passes processing; finalized with Authorize it must not.
        var ready = Build.Ready(Build.Payment(PaymentIntent.Confirm), InstrumentBehavior.Declines);
        var command = Command(PaymentIntent.Authorize, shippingAddress: Build.JaneHome);

        var processed = CheckoutCompletion.Agree(ready, command).Process(Now);

        Assert.Equal(CheckoutSessionState.Canceled, processed.Value.Value.State);
        Assert.Equal(CheckoutSessionReasonCode.Declined, processed.Value.Value.ReasonCode);
        Assert.Equal(ErrorCode.CheckoutSessionCanceled, Finalize(processed.Value.Value, command).Error?.Code);
    }
}
