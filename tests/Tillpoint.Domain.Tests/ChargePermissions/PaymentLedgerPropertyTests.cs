using FsCheck;
using FsCheck.Fluent;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;
using Tillpoint.Domain.Simulation;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>
/// An amount relative to a reference the ledger decides when the step runs (the balance, the capture ceiling, what may
/// still be refunded): <c>reference × Permille / 1000 + ExtraUnits</c>, at least one unit. Exact boundaries and one unit
/// over them come up often this way, which random absolute amounts would almost never hit.
/// </summary>
public sealed record AmountSpec(int Permille, int ExtraUnits)
{
    public Money Resolve(Money reference)
    {
        var unit = Unit(reference.Currency);
        var units = decimal.Floor(reference.Amount / unit * Permille / 1000m) + ExtraUnits;
        return new Money(Math.Max(1m, units) * unit, reference.Currency);
    }

    public static decimal Unit(Currency currency) => Currencies.Scale(currency) == 0 ? 1m : 0.01m;

    public override string ToString() => $"{Permille}‰{ExtraUnits:+0;-0;+0}";
}

/// <summary>One thing that can happen to a ledger: a merchant's command or time passing.</summary>
public abstract record LedgerStep;

public sealed record CreateChargeStep(AmountSpec Amount, bool OfBalance, bool CaptureNow, bool CanHandlePending, string? Simulation, bool OtherCurrency)
    : LedgerStep;

public sealed record CaptureStep(int Charge, AmountSpec Amount, string? Simulation, bool OtherCurrency) : LedgerStep;

public sealed record CancelStep(int Charge, string? Simulation) : LedgerStep;

public sealed record RefundStep(int Charge, AmountSpec Amount, string? Simulation, bool OtherCurrency) : LedgerStep;

public sealed record CloseStep(bool CancelPendingCharges, string? Simulation) : LedgerStep;

public sealed record UpdateStep(int Reference) : LedgerStep;

public sealed record AdvanceStep(int Seconds) : LedgerStep;

/// <summary>A completed checkout and what then happens to its charge permission.</summary>
public sealed record LedgerScenario(
    Currency Currency,
    long OrderUnits,
    PaymentIntent Intent,
    bool CanHandlePendingAuthorization,
    InstrumentBehavior Behavior,
    IReadOnlyList<LedgerStep> Steps)
{
    public Money OrderAmount => new(OrderUnits * AmountSpec.Unit(Currency), Currency);

    public override string ToString() =>
        $"{OrderAmount} {Intent} canHandlePending={CanHandlePendingAuthorization} {Behavior}, {Steps.Count} steps:{Environment.NewLine}  "
        + string.Join(Environment.NewLine + "  ", Steps);
}

public static class LedgerArbitraries
{
    private static Gen<string?> SimulationFor(SimulatedOperation operation, int withoutOne = 3) => Gen.Frequency(
        (withoutOne, Gen.Constant<string?>(null)),
        (1, Gen.Elements(SandboxSimulations.Table.Where(o => o.Operation == operation).Select(o => (string?)o.Code).ToArray())));

    private static readonly Gen<AmountSpec> Amount =
        from permille in Gen.Frequency(
            (4, Gen.Choose(1, 1000)),
            (3, Gen.Constant(1000)),
            (1, Gen.Choose(1000, 1300)),
            (1, Gen.Choose(0, 50)))
        from extra in Gen.Elements(-1, 0, 0, 0, 1)
        select new AmountSpec(permille, extra);

    private static readonly Gen<bool> Rarely = Gen.Frequency((15, Gen.Constant(false)), (1, Gen.Constant(true)));

    /// <summary>Half the time the newest charge (-1), otherwise any: the newest is the one most likely still open.</summary>
    private static readonly Gen<int> AnyCharge = Gen.Frequency((1, Gen.Constant(-1)), (1, Gen.Choose(0, 1000)));

    private static readonly Gen<LedgerStep> Step = Gen.Frequency(
        (20, from amount in Amount
            from ofBalance in Gen.Elements(true, true, false)
            from captureNow in Gen.Elements(true, false, false, false)
            from canHandle in Gen.Elements(true, false)
            from simulation in SimulationFor(SimulatedOperation.CreateCharge, withoutOne: 7)
            from other in Rarely
            select (LedgerStep)new CreateChargeStep(amount, ofBalance, captureNow, canHandle, simulation, other)),
        (16, from charge in AnyCharge
            from amount in Amount
            from simulation in SimulationFor(SimulatedOperation.CaptureCharge)
            from other in Rarely
            select (LedgerStep)new CaptureStep(charge, amount, simulation, other)),
        (6, from charge in AnyCharge
            from simulation in SimulationFor(SimulatedOperation.CancelCharge)
            select (LedgerStep)new CancelStep(charge, simulation)),
        (16, from charge in AnyCharge
            from amount in Amount
            from simulation in SimulationFor(SimulatedOperation.CreateRefund)
            from other in Rarely
            select (LedgerStep)new RefundStep(charge, amount, simulation, other)),
        (1, from cancel in Gen.Elements(true, false)
            from simulation in SimulationFor(SimulatedOperation.CloseChargePermission)
            select (LedgerStep)new CloseStep(cancel, simulation)),
        (1, Gen.Choose(1, 99).Select(n => (LedgerStep)new UpdateStep(n))),
        (20, Gen.Frequency(
                (2, Gen.Choose(0, 60)),
                (1, Gen.Choose(0, 8 * 86_400)),
                (2, Gen.Choose(0, 40 * 86_400)))
            .Select(seconds => (LedgerStep)new AdvanceStep(seconds))));

    private static readonly Gen<LedgerScenario> Scenario =
        from currency in Gen.Elements(Currency.USD, Currency.EUR, Currency.GBP, Currency.JPY)
        from units in Gen.Frequency(
            (3, Gen.Choose(1, 10_000)),
            (3, Gen.Choose(10_000, 1_000_000)),
            (1, Gen.Choose(1_000_000, 10_000_000)))
        from intent in Gen.Elements(PaymentIntent.Confirm, PaymentIntent.Authorize, PaymentIntent.AuthorizeWithCapture)
        from canHandle in intent == PaymentIntent.Authorize ? Gen.Elements(true, false) : Gen.Constant(false)
        from behavior in Gen.Elements(BehaviorsFor(intent, canHandle))
        from steps in Gen.ListOf(Step)
        select new LedgerScenario(currency, units, intent, canHandle, behavior, steps);

    /// <summary>The instruments a checkout with this intent gets through processing with (spec §10.1), Succeeds most often.</summary>
    private static InstrumentBehavior[] BehaviorsFor(PaymentIntent intent, bool canHandlePending) => (intent, canHandlePending) switch
    {
        (PaymentIntent.Confirm, _) =>
        [
            InstrumentBehavior.Succeeds, InstrumentBehavior.Succeeds, InstrumentBehavior.Declines,
            InstrumentBehavior.PendingThenAuthorized, InstrumentBehavior.PendingThenDeclined, InstrumentBehavior.SoftDeclines,
        ],
        (PaymentIntent.Authorize, true) =>
            [InstrumentBehavior.Succeeds, InstrumentBehavior.PendingThenAuthorized, InstrumentBehavior.PendingThenDeclined],
        _ => [InstrumentBehavior.Succeeds, InstrumentBehavior.Succeeds, InstrumentBehavior.PendingThenAuthorized],
    };

    /// <summary>Shrinks by dropping steps: a shorter run is still valid, since charges are picked modulo the count.</summary>
    private static IEnumerable<LedgerScenario> Shrink(LedgerScenario scenario)
    {
        var steps = scenario.Steps;
        if (steps.Count > 1)
        {
            yield return scenario with { Steps = [.. steps.Take(steps.Count / 2)] };
        }

        for (var i = steps.Count - 1; i >= 0; i--)
        {
            yield return scenario with { Steps = [.. steps.Take(i), .. steps.Skip(i + 1)] };
        }
    }

    public static Arbitrary<LedgerScenario> Scenarios() => Arb.From(Scenario, Shrink);
}

public class PaymentLedgerPropertyTests
{
    [FsCheck.Xunit.Property(Arbitrary = new[] { typeof(LedgerArbitraries) }, MaxTest = 300, QuietOnSuccess = true)]
    public void RandomSteps_KeepTheMoneyRulesAndTheStateMachines(LedgerScenario scenario)
    {
        var run = new LedgerRun(scenario);
        foreach (var step in scenario.Steps)
        {
            run.Apply(step);
        }
    }
}

/// <summary>
/// Drives one ledger through a scenario the way the server does (<c>AsOf(now)</c>, then the command, combined with
/// <c>Then</c>), predicting each command's answer from the rules of spec §6 and §7 and checking every invariant after
/// every step.
/// </summary>
internal sealed class LedgerRun
{
    private static readonly Limits Limits = Limits.Default;

    private readonly LedgerScenario _scenario;
    private PaymentLedger _ledger;
    private DateTimeOffset _now = Ledgers.Start;
    private int _step;

    public LedgerRun(LedgerScenario scenario)
    {
        _scenario = scenario;
        var completed = Build.Completed(
            Build.Payment(scenario.Intent, scenario.OrderAmount, scenario.CanHandlePendingAuthorization),
            scenario.Behavior,
            Ledgers.Start);
        _ledger = Ledgers.From(completed);
        CheckInvariants(_ledger);
    }

    private Currency Currency => _scenario.Currency;

    private Currency OtherCurrency => Currency == Currency.USD ? Currency.EUR : Currency.USD;

    public void Apply(LedgerStep step)
    {
        _step++;
        if (step is AdvanceStep advance)
        {
            _now += TimeSpan.FromSeconds(advance.Seconds);
        }

        var before = _ledger;
        var asOf = before.AsOf(_now);
        var current = asOf.Value;
        if (step is AdvanceStep { Seconds: > 1 } jump)
        {
            // However often the ledger is read on the way, it ends up the same (spec: expiry is evaluated on read).
            var firstHalf = before.AsOf(_now - TimeSpan.FromSeconds(jump.Seconds / 2));
            var halfway = firstHalf.Then(firstHalf.Value.AsOf(_now));
            Ledgers.AssertEquivalent(current, halfway.Value);
            Check(halfway.Events.SequenceEqual(asOf.Events), "reading the ledger halfway changed the events time produced");
        }
        var (result, error, expected) = Execute(step, current);

        Check(expected == error?.Code, $"{step} answered {error?.Code.ToString() ?? "success"}, expected {expected?.ToString() ?? "success"}: {error?.Message}");
        var after = result is { } changed ? asOf.Then(changed) : asOf;
        if (error is not null)
        {
            Check(result is null, $"{step} was refused but returned a ledger");
            Check(ReferenceEquals(after.Value, current), $"{step} was refused but changed the ledger");
        }

        CheckTransition(before, after);
        CheckInvariants(after.Value);
        _ledger = after.Value;
    }

    /// <summary>Runs the command and predicts its answer: the error code, or null for success.</summary>
    private (Transition<PaymentLedger>? Result, DomainError? Error, ErrorCode? Expected) Execute(LedgerStep step, PaymentLedger ledger)
    {
        switch (step)
        {
            case CreateChargeStep create:
                return CreateCharge(create, ledger);
            case CaptureStep capture when ledger.Charges.Count > 0:
                return Capture(capture, ledger, Pick(ledger, capture.Charge));
            case CancelStep cancel when ledger.Charges.Count > 0:
                return Cancel(cancel, ledger, Pick(ledger, cancel.Charge));
            case RefundStep refund when ledger.Charges.Count > 0:
                return Refund(refund, ledger, Pick(ledger, refund.Charge));
            case CloseStep close:
                return Close(close, ledger);
            case UpdateStep update:
                {
                    var expected = ledger.ChargePermission.State == ChargePermissionState.Closed
                        ? ErrorCode.ChargePermissionNotModifiable
                        : (ErrorCode?)null;
                    var updated = ledger.Update(new MerchantMetadata($"order-{update.Reference}", null, null, null), null, _now, Limits.Default);
                    if (updated.IsSuccess)
                    {
                        Check(
                            updated.Value.Value.ChargePermission.MerchantMetadata.MerchantReferenceId == $"order-{update.Reference}",
                            "Update did not set merchantReferenceId");
                    }

                    return (updated.IsSuccess ? updated.Value : null, updated.Error, expected);
                }

            default:
                // Time passing, or a charge command on a ledger that has no charge yet.
                return (null, null, null);
        }
    }

    private (Transition<PaymentLedger>?, DomainError?, ErrorCode?) CreateCharge(CreateChargeStep step, PaymentLedger ledger)
    {
        var permission = ledger.ChargePermission;
        var reference = step.OfBalance && ledger.AmountBalance.IsPositive ? ledger.AmountBalance : _scenario.OrderAmount;
        var amount = step.Amount.Resolve(reference);
        if (step.OtherCurrency)
        {
            amount = new Money(amount.Amount, OtherCurrency);
        }

        var simulation = Simulation(SimulatedOperation.CreateCharge, step.Simulation);
        ErrorCode? expected =
            step.OtherCurrency ? ErrorCode.CurrencyMismatch
            : permission.State != ChargePermissionState.Chargeable ? ErrorCode.InvalidChargePermissionStatus
            : ledger.Charges.Count >= Limits.MaxChargesPerChargePermission ? ErrorCode.TransactionCountExceeded
            : ledger.AmountCharged + amount > permission.AmountLimit ? ErrorCode.TransactionAmountExceeded
            : simulation?.Effect == SimulatedEffect.Fail ? ErrorCode.ProcessingFailure
            : simulation?.Effect == SimulatedEffect.Pending && !step.CanHandlePending ? ErrorCode.InvalidSandboxSimulationSpecified
            : null;
        var chargeId = ledger.NextChargeId();
        var created = ledger.CreateCharge(
            chargeId, new ChargeRequest(amount, step.CaptureNow, null, step.CanHandlePending), simulation, _now, Limits);
        if (!created.IsSuccess)
        {
            Check(created.Value is null, "a refused Create Charge returned a charge");
            return (null, created.Error, expected);
        }

        var creation = created.Value!;
        var (state, reason) = ExpectedAuthorization(step, simulation);
        var charge = creation.Charge;
        Check(charge.ChargeId == chargeId && ReferenceEquals(creation.Ledger.Value.FindCharge(chargeId), charge), "the new charge is not in the ledger");
        Check(charge.State == state, $"new charge is {charge.State}, expected {state}");
        Check(charge.ReasonCode == reason, $"new charge has reason {charge.ReasonCode}, expected {reason}");
        Check(charge.ChargeAmount == amount, "the new charge's amount differs from the request");
        Check((creation.Decline is not null) == (state == ChargeState.Declined), "a decline error without a declined charge, or the reverse");
        Check(creation.Decline is null || creation.Decline.Code.ToString() == reason.ToString(), $"decline answered {creation.Decline?.Code}, expected {reason}");
        return (creation.Ledger, null, expected);
    }

    /// <summary>What the processor does with a new authorization: the simulation code first, then the buyer's instrument.</summary>
    private (ChargeState State, ChargeReasonCode? Reason) ExpectedAuthorization(CreateChargeStep step, SimulatedOutcome? simulation)
    {
        var settled = step.CaptureNow ? ChargeState.Captured : ChargeState.Authorized;
        return simulation?.Effect switch
        {
            SimulatedEffect.Decline => (ChargeState.Declined, (ChargeReasonCode)simulation.ReasonCode!),
            SimulatedEffect.Pending => (ChargeState.AuthorizationInitiated, null),
            _ => (_scenario.Behavior, step.CanHandlePending) switch
            {
                (InstrumentBehavior.PendingThenAuthorized or InstrumentBehavior.PendingThenDeclined, true) => (ChargeState.AuthorizationInitiated, null),
                (InstrumentBehavior.PendingThenDeclined or InstrumentBehavior.Declines, _) => (ChargeState.Declined, ChargeReasonCode.HardDeclined),
                (InstrumentBehavior.SoftDeclines, _) => (ChargeState.Declined, ChargeReasonCode.SoftDeclined),
                _ => (settled, null),
            },
        };
    }

    private (Transition<PaymentLedger>?, DomainError?, ErrorCode?) Capture(CaptureStep step, PaymentLedger ledger, Charge charge)
    {
        var ceiling = charge.ChargeAmount + Limits.OverCaptureAllowance(charge.ChargeAmount);
        var amount = step.Amount.Resolve(ceiling);
        if (step.OtherCurrency)
        {
            amount = new Money(amount.Amount, OtherCurrency);
        }

        var heldByOthers = Sum(ledger.Charges.Where(c => c.ChargeId != charge.ChargeId).Select(c => c.AmountHeld));
        var simulation = Simulation(SimulatedOperation.CaptureCharge, step.Simulation);
        ErrorCode? expected =
            charge.State != ChargeState.Authorized ? ErrorCode.InvalidChargeStatus
            : step.OtherCurrency ? ErrorCode.CurrencyMismatch
            : amount > ceiling ? ErrorCode.TransactionAmountExceeded
            : heldByOthers + amount > ledger.ChargePermission.AmountLimit ? ErrorCode.TransactionAmountExceeded
            : null;
        var captured = ledger.Capture(charge.ChargeId, amount, null, simulation, _now, Limits);
        if (captured.IsSuccess)
        {
            var after = captured.Value.Value.ChargeOf(charge.ChargeId);
            var late = _now - charge.AuthorizedAt!.Value > Limits.SynchronousCaptureWindow;
            // A dispute code captures as usual: the server opens the dispute after the ledger's capture.
            var state = simulation is { Effect: SimulatedEffect.Pending } || late ? ChargeState.CaptureInitiated : ChargeState.Captured;
            Check(after.State == state && after.CaptureAmount == amount, $"capture left the charge {after.State} {after.CaptureAmount}, expected {state} {amount}");
        }

        return (captured.IsSuccess ? captured.Value : null, captured.Error, expected);
    }

    private (Transition<PaymentLedger>?, DomainError?, ErrorCode?) Cancel(CancelStep step, PaymentLedger ledger, Charge charge)
    {
        var simulation = Simulation(SimulatedOperation.CancelCharge, step.Simulation);
        ErrorCode? expected = charge.IsOpen ? null : ErrorCode.InvalidChargeStatus;
        var canceled = ledger.CancelCharge(charge.ChargeId, simulation, _now);
        if (canceled.IsSuccess)
        {
            var after = canceled.Value.Value.ChargeOf(charge.ChargeId);
            var reason = simulation?.ReasonCode as ChargeReasonCode? ?? ChargeReasonCode.MerchantCanceled;
            Check(after.State == ChargeState.Canceled && after.ReasonCode == reason, $"cancel left the charge {after.State} {after.ReasonCode}");
        }

        return (canceled.IsSuccess ? canceled.Value : null, canceled.Error, expected);
    }

    private (Transition<PaymentLedger>?, DomainError?, ErrorCode?) Refund(RefundStep step, PaymentLedger ledger, Charge charge)
    {
        var refunds = ledger.RefundsOf(charge.ChargeId).ToList();
        var captured = charge.CaptureAmount ?? charge.ChargeAmount;
        var ceiling = captured + Limits.OverCaptureAllowance(captured);
        var held = Sum(refunds.Select(r => r.AmountHeld));
        var remaining = ceiling - held;
        var amount = step.Amount.Resolve(remaining.IsPositive ? remaining : captured);
        if (step.OtherCurrency)
        {
            amount = new Money(amount.Amount, OtherCurrency);
        }

        var simulation = Simulation(SimulatedOperation.CreateRefund, step.Simulation);
        ErrorCode? expected =
            step.OtherCurrency ? ErrorCode.CurrencyMismatch
            : charge.State != ChargeState.Captured ? ErrorCode.InvalidChargeStatus
            : refunds.Count >= Limits.MaxRefundsPerCharge ? ErrorCode.TransactionCountExceeded
            : held + amount > ceiling ? ErrorCode.TransactionAmountExceeded
            : null;
        var refundId = ledger.NextRefundId();
        var refunded = ledger.CreateRefund(charge.ChargeId, refundId, amount, null, simulation, _now, Limits);
        if (refunded.IsSuccess)
        {
            var refund = refunded.Value.Refund;
            Check(refund.RefundId == refundId && refund.State == RefundState.RefundInitiated && refund.RefundAmount == amount, "unexpected new refund");
            Check(ReferenceEquals(refunded.Value.Ledger.Value.FindRefund(refundId), refund), "the new refund is not in the ledger");
        }

        return (refunded.IsSuccess ? refunded.Value.Ledger : null, refunded.Error, expected);
    }

    private (Transition<PaymentLedger>?, DomainError?, ErrorCode?) Close(CloseStep step, PaymentLedger ledger)
    {
        var simulation = Simulation(SimulatedOperation.CloseChargePermission, step.Simulation);
        ErrorCode? expected = ledger.ChargePermission.State == ChargePermissionState.Closed ? ErrorCode.InvalidChargePermissionStatus : null;
        var closed = ledger.Close("done", step.CancelPendingCharges, simulation, _now);
        if (closed.IsSuccess)
        {
            var after = closed.Value.Value;
            var reason = simulation?.ReasonCode as ChargePermissionReasonCode? ?? ChargePermissionReasonCode.MerchantClosed;
            Check(
                after.ChargePermission.State == ChargePermissionState.Closed && after.ChargePermission.Reasons.Single().ReasonCode == reason,
                "close did not close with the expected reason");
            foreach (var (old, now) in ledger.Charges.Zip(after.Charges))
            {
                var canceled = step.CancelPendingCharges && old.IsOpen;
                Check(
                    canceled
                        ? now.State == ChargeState.Canceled && now.ReasonCode == ChargeReasonCode.ChargePermissionCanceled
                        : ReferenceEquals(old, now),
                    $"close left charge {now.ChargeId} {now.State} (was {old.State}, cancelPendingCharges={step.CancelPendingCharges})");
            }
        }

        return (closed.IsSuccess ? closed.Value : null, closed.Error, expected);
    }

    private static Charge Pick(PaymentLedger ledger, int index) =>
        ledger.Charges[index < 0 ? ledger.Charges.Count - 1 : index % ledger.Charges.Count];

    private static SimulatedOutcome? Simulation(SimulatedOperation operation, string? code)
    {
        var resolved = SandboxSimulations.Resolve(code, operation, ReleaseEnvironment.Sandbox);
        Assert.Null(resolved.Error);
        return resolved.Value;
    }

    private Money Sum(IEnumerable<Money> amounts) => amounts.Aggregate(Money.Zero(Currency), (sum, m) => sum + m);

    /// <summary>Terminal states stay, nothing disappears, and every change of state has its event.</summary>
    private void CheckTransition(PaymentLedger before, Transition<PaymentLedger> step)
    {
        var after = step.Value;
        var events = step.Events;
        var permissionId = after.ChargePermission.ChargePermissionId;

        Check(after.Charges.Count >= before.Charges.Count, "a charge disappeared");
        foreach (var (old, now) in before.Charges.Zip(after.Charges))
        {
            Check(old.ChargeId == now.ChargeId, "the charges were reordered");
            switch (old.State)
            {
                case ChargeState.Captured:
                    Check(
                        now.State == ChargeState.Captured && now.CaptureAmount == old.CaptureAmount && now.ChargeAmount == old.ChargeAmount,
                        $"captured charge {old.ChargeId} became {now.State}");
                    break;
                case ChargeState.Canceled or ChargeState.Declined:
                    Check(now == old, $"{old.State} charge {old.ChargeId} changed");
                    break;
                case ChargeState.AuthorizationInitiated or ChargeState.Authorized or ChargeState.CaptureInitiated:
                    break;
            }
        }

        Check(after.Refunds.Count >= before.Refunds.Count, "a refund disappeared");
        foreach (var (old, now) in before.Refunds.Zip(after.Refunds))
        {
            Check(old.RefundId == now.RefundId, "the refunds were reordered");
            Check(old.State == RefundState.RefundInitiated || now == old, $"{old.State} refund {old.RefundId} changed");
        }

        if (before.ChargePermission.State == ChargePermissionState.Closed)
        {
            Check(
                after.ChargePermission with { Reasons = [] } == before.ChargePermission with { Reasons = [] }
                && after.ChargePermission.Reasons.SequenceEqual(before.ChargePermission.Reasons),
                "a Closed permission changed");
        }

        var stateOf = new Dictionary<(ObjectType, string), string> { [(ObjectType.ChargePermission, permissionId)] = after.ChargePermission.State.ToString() };
        foreach (var charge in after.Charges)
        {
            stateOf[(ObjectType.Charge, charge.ChargeId)] = charge.State.ToString();
        }

        foreach (var refund in after.Refunds)
        {
            stateOf[(ObjectType.Refund, refund.RefundId)] = refund.State.ToString();
        }

        var previous = new Dictionary<(ObjectType, string), string> { [(ObjectType.ChargePermission, permissionId)] = before.ChargePermission.State.ToString() };
        foreach (var charge in before.Charges)
        {
            previous[(ObjectType.Charge, charge.ChargeId)] = charge.State.ToString();
        }

        foreach (var refund in before.Refunds)
        {
            previous[(ObjectType.Refund, refund.RefundId)] = refund.State.ToString();
        }

        foreach (var (key, state) in stateOf)
        {
            var changed = !previous.TryGetValue(key, out var was) || was != state;
            var last = events.LastOrDefault(e => (e.ObjectType, e.ObjectId) == key);
            Check(!changed || last is not null, $"{key.Item1} {key.Item2} went {was ?? "(new)"} → {state} without an event");
            Check(last is null || last.ToState == state, $"the last event of {key.Item1} {key.Item2} says {last?.ToState}, the object is {state}");
        }

        var at = DateTimeOffset.MinValue;
        foreach (var e in events)
        {
            Check(stateOf.ContainsKey((e.ObjectType, e.ObjectId)), $"an event about unknown {e.ObjectType} {e.ObjectId}");
            Check(e.ChargePermissionId == permissionId, $"event of {e.ObjectId} names permission {e.ChargePermissionId}");
            Check(e.At >= at && e.At <= _now, $"event at {e.At:O} out of order (previous {at:O}, now {_now:O})");
            Check(e.Amount is null || e.Amount.Value.Currency == Currency, "an event amount in another currency");
            at = e.At;
        }
    }

    /// <summary>The money rules (spec §7) and the state rules (spec §6) that hold at every moment.</summary>
    private void CheckInvariants(PaymentLedger ledger)
    {
        var permission = ledger.ChargePermission;
        var limit = permission.AmountLimit;
        var held = Sum(ledger.Charges.Select(c => c.AmountHeld));
        Check(held <= limit, $"the charges hold {held}, over the limit {limit}");
        var expectedBalance = limit - held;
        Check(ledger.AmountBalance == (expectedBalance.Amount < 0m ? Money.Zero(Currency) : expectedBalance), "amountBalance ≠ limit − held");
        Check(ledger.AmountCharged == held, "AmountCharged ≠ Σ held");
        CheckExact(limit);

        foreach (var charge in ledger.Charges)
        {
            CheckExact(charge.ChargeAmount);
            CheckExact(charge.RefundedAmount);
            Check(charge.ChargeAmount.IsPositive, $"charge {charge.ChargeId} has no amount");
            if (charge.CaptureAmount is { } capture)
            {
                CheckExact(capture);
                Check(
                    capture <= charge.ChargeAmount + Limits.OverCaptureAllowance(charge.ChargeAmount),
                    $"charge {charge.ChargeId} captured {capture} of {charge.ChargeAmount}");
            }

            var pending = charge.State is ChargeState.AuthorizationInitiated or ChargeState.CaptureInitiated;
            Check(pending == (charge.PendingUntil is not null), $"{charge.State} charge {charge.ChargeId} with pendingUntil {charge.PendingUntil}");
            Check(charge.PendingUntil is null || charge.PendingUntil > _now, $"charge {charge.ChargeId} is still pending past its due time");
            Check(
                charge.State is not (ChargeState.Captured or ChargeState.CaptureInitiated) || charge.CaptureAmount is not null,
                $"{charge.State} charge {charge.ChargeId} without captureAmount");
            Check(charge.State != ChargeState.Authorized || charge.ExpirationTimestamp > _now, $"charge {charge.ChargeId} is Authorized past its expiry");

            var refunds = ledger.RefundsOf(charge.ChargeId).ToList();
            if (refunds.Count == 0)
            {
                Check(charge.RefundedAmount == Money.Zero(Currency), $"charge {charge.ChargeId} refunded without refunds");
                continue;
            }

            Check(charge.State == ChargeState.Captured, $"{charge.State} charge {charge.ChargeId} has refunds");
            Check(refunds.Count <= Limits.MaxRefundsPerCharge, $"charge {charge.ChargeId} has {refunds.Count} refunds");
            var captured = charge.CaptureAmount!.Value;
            var refundable = captured + Limits.OverCaptureAllowance(captured);
            var notDeclined = Sum(refunds.Where(r => r.State != RefundState.Declined).Select(r => r.RefundAmount));
            Check(notDeclined <= refundable, $"charge {charge.ChargeId} has {notDeclined} refunded or pending, over {refundable}");
            var settled = Sum(refunds.Where(r => r.State == RefundState.Refunded).Select(r => r.RefundAmount));
            Check(charge.RefundedAmount == settled, $"charge {charge.ChargeId} says refunded {charge.RefundedAmount}, its refunds {settled}");
        }

        foreach (var refund in ledger.Refunds)
        {
            CheckExact(refund.RefundAmount);
            Check(refund.RefundAmount.IsPositive, $"refund {refund.RefundId} has no amount");
            Check((refund.State == RefundState.RefundInitiated) == (refund.PendingUntil > _now), $"{refund.State} refund {refund.RefundId} pending until {refund.PendingUntil}");
            Check(ledger.FindCharge(refund.ChargeId) is not null, $"refund {refund.RefundId} of an unknown charge");
        }

        if (permission.State != ChargePermissionState.Closed)
        {
            var inProgress = ledger.Charges.Any(c => c.State == ChargeState.AuthorizationInitiated);
            var reasons = permission.Reasons.Select(r => r.ReasonCode).ToList();
            Check(inProgress == reasons.Contains(ChargePermissionReasonCode.ChargeInProgress), $"ChargeInProgress is {string.Join(",", reasons)} with a charge in progress: {inProgress}");
            Check((permission.State == ChargePermissionState.NonChargeable) == (reasons.Count > 0), $"{permission.State} with reasons {string.Join(",", reasons)}");
            Check(permission.ExpirationTimestamp > _now, "the permission is open past its expiry");
        }
        else
        {
            Check(permission.Reasons.Count == 1, "a Closed permission without exactly one reason");
        }

        Check(ledger.NextDueAt is null || ledger.NextDueAt > _now, "something is still due at or before now");
    }

    /// <summary>Exactly the currency's scale, in the ledger's currency: JPY whole yen, the others whole cents.</summary>
    private void CheckExact(Money money)
    {
        Check(money.Currency == Currency, $"{money} is not in {Currency}");
        Check(money.Amount == decimal.Round(money.Amount, Currencies.Scale(Currency)), $"{money} has more decimals than {Currency} allows");
    }

    private void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new Xunit.Sdk.XunitException($"Step {_step} at {_now:O}: {what}");
        }
    }
}
