using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;
using Tillpoint.Domain.Simulation;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>Builds payment ledgers the way the server does: from a completed checkout, then through ledger commands.</summary>
internal static class Ledgers
{
    /// <summary>When <see cref="Build.Completed"/> completes a checkout by default.</summary>
    public static readonly DateTimeOffset Start = Times.T0.AddMinutes(3);

    /// <summary>A moment after <see cref="Start"/> at which nothing is pending any more.</summary>
    public static readonly DateTimeOffset Settled = Start + Limits.Default.SandboxAsyncDelay + TimeSpan.FromMinutes(1);

    public static PaymentLedger From(CompletedCheckout completed) =>
        new(completed.ChargePermission, completed.Charge is null ? [] : [completed.Charge], []);

    /// <summary>A Chargeable permission without charges (paymentIntent Confirm) for an order of <paramref name="order"/>.</summary>
    public static PaymentLedger Confirmed(Money order, InstrumentBehavior behavior = InstrumentBehavior.Succeeds) =>
        From(Build.Completed(Build.Payment(PaymentIntent.Confirm, order), behavior));

    /// <summary>The simulation a header code stands for, as the server resolves it in Sandbox.</summary>
    public static SimulatedOutcome Simulation(SimulatedOperation operation, string code)
    {
        var resolved = SandboxSimulations.Resolve(code, operation, ReleaseEnvironment.Sandbox);
        Assert.Null(resolved.Error);
        return resolved.Value!;
    }

    public static string NextChargeId(this PaymentLedger ledger) =>
        $"{ledger.ChargePermission.ChargePermissionId}-C{ledger.Charges.Count + 1:D6}";

    public static string NextRefundId(this PaymentLedger ledger) =>
        $"{ledger.ChargePermission.ChargePermissionId}-R{ledger.Refunds.Count + 1:D6}";

    public static Result<ChargeCreation> TryCharge(
        this PaymentLedger ledger,
        Money amount,
        bool captureNow = false,
        bool canHandlePendingAuthorization = false,
        string? simulation = null,
        DateTimeOffset? at = null) =>
        ledger.CreateCharge(
            ledger.NextChargeId(),
            Build.Request(amount, captureNow, canHandlePendingAuthorization),
            simulation is null ? null : Simulation(SimulatedOperation.CreateCharge, simulation),
            at ?? Start,
            Limits.Default);

    /// <summary>Creates a charge that the ledger accepts (it may still be declined by the processor).</summary>
    public static (PaymentLedger Ledger, Charge Charge) Charged(
        this PaymentLedger ledger,
        Money amount,
        bool captureNow = false,
        bool canHandlePendingAuthorization = false,
        string? simulation = null,
        DateTimeOffset? at = null)
    {
        var created = ledger.TryCharge(amount, captureNow, canHandlePendingAuthorization, simulation, at);
        Assert.Null(created.Error);
        return (created.Value!.Ledger.Value, created.Value.Charge);
    }

    public static Result<Transition<PaymentLedger>> TryCapture(
        this PaymentLedger ledger, string chargeId, Money amount, string? simulation = null, DateTimeOffset? at = null) =>
        ledger.Capture(
            chargeId,
            amount,
            null,
            simulation is null ? null : Simulation(SimulatedOperation.CaptureCharge, simulation),
            at ?? Start,
            Limits.Default);

    public static PaymentLedger Captured(
        this PaymentLedger ledger, string chargeId, Money amount, string? simulation = null, DateTimeOffset? at = null) =>
        Succeeded(ledger.TryCapture(chargeId, amount, simulation, at)).Value;

    public static Result<Transition<PaymentLedger>> TryCancel(
        this PaymentLedger ledger, string chargeId, string? simulation = null, DateTimeOffset? at = null) =>
        ledger.CancelCharge(
            chargeId, simulation is null ? null : Simulation(SimulatedOperation.CancelCharge, simulation), at ?? Start);

    public static Result<(Transition<PaymentLedger> Ledger, Refund Refund)> TryRefund(
        this PaymentLedger ledger, string chargeId, Money amount, string? simulation = null, DateTimeOffset? at = null) =>
        ledger.CreateRefund(
            chargeId,
            ledger.NextRefundId(),
            amount,
            null,
            simulation is null ? null : Simulation(SimulatedOperation.CreateRefund, simulation),
            at ?? Start,
            Limits.Default);

    public static PaymentLedger Refunded(
        this PaymentLedger ledger, string chargeId, Money amount, string? simulation = null, DateTimeOffset? at = null)
    {
        var refunded = ledger.TryRefund(chargeId, amount, simulation, at);
        Assert.Null(refunded.Error);
        return refunded.Value.Ledger.Value;
    }

    public static Result<Transition<PaymentLedger>> TryClose(
        this PaymentLedger ledger, bool cancelPendingCharges = false, string? simulation = null, DateTimeOffset? at = null) =>
        ledger.Close(
            "Order shipped",
            cancelPendingCharges,
            simulation is null ? null : Simulation(SimulatedOperation.CloseChargePermission, simulation),
            at ?? Start);

    public static T Succeeded<T>(Result<T> result)
    {
        Assert.Null(result.Error);
        return result.Value!;
    }

    /// <summary>The ledger as it stands at <paramref name="at"/>.</summary>
    public static PaymentLedger At(this PaymentLedger ledger, DateTimeOffset at) => ledger.AsOf(at).Value;

    /// <summary>Same permission, charges and refunds, however the ledgers were computed (records hold lists by reference).</summary>
    public static void AssertEquivalent(PaymentLedger expected, PaymentLedger actual)
    {
        Assert.Equal(expected.ChargePermission with { Reasons = [] }, actual.ChargePermission with { Reasons = [] });
        Assert.Equal(expected.ChargePermission.Reasons, actual.ChargePermission.Reasons);
        Assert.Equal(expected.Charges, actual.Charges);
        Assert.Equal(expected.Refunds, actual.Refunds);
    }

    public static Charge ChargeOf(this PaymentLedger ledger, string chargeId) =>
        ledger.FindCharge(chargeId) ?? throw new InvalidOperationException($"No charge {chargeId}.");
}
