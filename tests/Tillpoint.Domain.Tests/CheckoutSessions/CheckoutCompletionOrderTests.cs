using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Simulation;
using Tillpoint.Domain.Tests.ChargePermissions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

/// <summary>Complete and Finalize with more than one fault: the session's state first, then the request, then the simulation.</summary>
public class CheckoutCompletionOrderTests
{
    private static readonly DateTimeOffset Now = Times.T0.AddMinutes(3);

    private static readonly SimulatedOutcome Pending = Ledgers.Simulation(SimulatedOperation.FinalizeCheckoutSession, "AuthorizationInitiated");

    private static FinalizeCheckoutSession Command(
        PaymentIntent intent = PaymentIntent.Authorize, Money? chargeAmount = null, bool? canHandlePendingAuthorization = null, Address? shippingAddress = null) =>
        new(chargeAmount ?? Usd.Of(14m), null, intent, canHandlePendingAuthorization, null, shippingAddress, null);

    private static Result<CompletedCheckout> Finalize(CheckoutSession session, FinalizeCheckoutSession command, SimulatedOutcome? simulation = null) =>
        CheckoutCompletion.Finalize(session, command, new SequentialIds(), simulation, Now, Limits.Default);

    [Fact]
    public void Complete_NotProcessedWithAnUnfitSimulation_IsInvalidStatus()
    {
        var simulation = Ledgers.Simulation(SimulatedOperation.CompleteCheckoutSession, "AuthorizationInitiated");

        var refused = CheckoutCompletion.Complete(Build.Ready(Build.Payment(PaymentIntent.Confirm)), Usd.Of(14m), null, new SequentialIds(), simulation, Now, Limits.Default);

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, refused.Error?.Code);
    }

    [Fact]
    public void Finalize_AmountMismatchAndNoShippingAddress_IsAmountMismatch()
    {
        Assert.Equal(ErrorCode.AmountMismatch, Finalize(Build.Processed(), Command(chargeAmount: Usd.Of(15m))).Error?.Code);
    }

    [Fact]
    public void Finalize_NoShippingAddressAndAnUnfitSimulation_IsMissingShippingAddress()
    {
        var error = Finalize(Build.Processed(), Command(PaymentIntent.Confirm), Pending).Error;

        Assert.Equal(ErrorCode.MissingParameterValue, error?.Code);
        Assert.Contains("shippingAddress", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Finalize_CanHandlePendingAuthorizationGiven_OverridesTheSessionsValue()
    {
        var off = Build.Processed(Build.Payment(PaymentIntent.Authorize, canHandlePendingAuthorization: false), InstrumentBehavior.Succeeds);

        var turnedOn = Ledgers.Succeeded(Finalize(off, Command(canHandlePendingAuthorization: true, shippingAddress: Build.JaneHome), Pending));

        Assert.True(turnedOn.IsPending);
        Assert.True(turnedOn.Charge!.CanHandlePendingAuthorization);
    }

    [Fact]
    public void Finalize_PendingSimulationWithCanHandleTurnedOff_IsInvalidSandboxSimulation()
    {
        var on = Build.Processed(Build.Payment(PaymentIntent.Authorize, canHandlePendingAuthorization: true));

        var refused = Finalize(on, Command(canHandlePendingAuthorization: false, shippingAddress: Build.JaneHome), Pending);

        Assert.Equal(ErrorCode.InvalidSandboxSimulationSpecified, refused.Error?.Code);
    }
}
