using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;
using Tillpoint.Domain.Simulation;

namespace Tillpoint.Domain.ChargePermissions;

/// <summary>A new charge, and the error the API answers with when the processor declined it.</summary>
public sealed record ChargeCreation(Transition<PaymentLedger> Ledger, Charge Charge, DomainError? Decline);

/// <summary>
/// A charge permission with all its charges and refunds: the unit the money rules are checked on. Every operation
/// that moves money goes through here, inside one store transaction, so the rules hold under concurrency too:
/// <list type="bullet">
/// <item>a charge's capture ≤ its authorization + the over-capture allowance;</item>
/// <item>the charges' held amounts ≤ the permission's amountLimit (balance = limit − held);</item>
/// <item>a charge's refunds (unless declined) ≤ its capture + the allowance; refundedAmount = Σ settled refunds.</item>
/// </list>
/// </summary>
public sealed partial record PaymentLedger(ChargePermission ChargePermission, IReadOnlyList<Charge> Charges, IReadOnlyList<Refund> Refunds)
{
    public Money AmountCharged => ChargePermission.AmountCharged(Charges);

    public Money AmountBalance => ChargePermission.AmountBalance(Charges);

    public Charge? FindCharge(string chargeId) => Charges.FirstOrDefault(c => c.ChargeId == chargeId);

    public Refund? FindRefund(string refundId) => Refunds.FirstOrDefault(r => r.RefundId == refundId);

    public IEnumerable<Refund> RefundsOf(string chargeId) => Refunds.Where(r => r.ChargeId == chargeId);

    /// <summary>
    /// A new charge id. Ids are the permission's id plus six random digits, so they can only collide within this
    /// ledger; drawing again on a collision keeps a rare clash from failing the request.
    /// </summary>
    public string NewChargeId(IIdGenerator ids) =>
        Unused(() => ids.NewChargeId(ChargePermission.ChargePermissionId), id => FindCharge(id) is not null);

    /// <summary>A new refund id, unused in this ledger (see <see cref="NewChargeId"/>).</summary>
    public string NewRefundId(IIdGenerator ids) =>
        Unused(() => ids.NewRefundId(ChargePermission.ChargePermissionId), id => FindRefund(id) is not null);

    /// <summary>The earliest moment time alone changes something in this ledger.</summary>
    /// <remarks>The order of the sequence does not matter to Min (Append or Prepend would do the same).</remarks>
    public DateTimeOffset? NextDueAt => Charges.Select(c => c.NextDueAt)
        .Concat(Refunds.Select(r => r.NextDueAt))
        .Concat(Disputes.Select(d => d.NextDueAt))
        .Append(ChargePermission.NextDueAt)
        .Where(d => d is not null)
        .Min();

    /// <summary>
    /// The ledger as it stands at <paramref name="now"/>: every pending step, expiry and settlement due by then is
    /// applied in the order it fell due, so the result is the same however late it is computed.
    /// </summary>
    public Transition<PaymentLedger> AsOf(DateTimeOffset now)
    {
        var ledger = this;
        var events = new List<DomainEvent>();
        while (ledger.NextDueAt is { } due && due <= now)
        {
            ledger = ledger.AdvanceOne(due, events);
        }

        return new Transition<PaymentLedger>(ledger, events);
    }

    /// <summary>
    /// One charge as it stands at <paramref name="now"/>, from the charge and its refunds alone: what Get Charge
    /// shows without loading the whole ledger. Agrees with <see cref="AsOf"/> on that charge.
    /// </summary>
    public static Charge ChargeAsOf(Charge charge, IReadOnlyList<Refund> refunds, DateTimeOffset now)
    {
        var current = charge.AsOf(now).Value;

        // The loop below does nothing without refunds; this spares its allocations on most reads.
        if (refunds.Count == 0)
        {
            return current;
        }

        foreach (var refund in refunds.Where(r => r.PendingUntil <= now && r.PendingDeclineReason is null).OrderBy(r => r.PendingUntil))
        {
            current = current.WithRefunded(refund.RefundAmount, refund.PendingUntil!.Value);
        }

        return current;
    }

    /// <summary>Create Charge (deferred authorization) on this permission.</summary>
    public Result<ChargeCreation> CreateCharge(
        string chargeId, ChargeRequest request, SimulatedOutcome? simulation, DateTimeOffset now, Limits limits)
    {
        var permission = ChargePermission;
        var amount = request.ChargeAmount;
        if (amount.Currency != permission.AmountLimit.Currency)
        {
            return DomainError.CurrencyMismatch(permission.AmountLimit.Currency, amount.Currency);
        }

        if (permission.State != ChargePermissionState.Chargeable)
        {
            return new DomainError(
                ErrorCode.InvalidChargePermissionStatus,
                $"The Charge Permission is in {permission.State} state ({string.Join(", ", permission.Reasons.Select(r => r.ReasonCode))}) and cannot be charged.");
        }

        var limitError = permission.HasMonthlyLimit ? CheckMonthlyLimit(amount, now) : CheckTotalLimits(amount, limits);
        if (limitError is not null)
        {
            return limitError;
        }

        var outcome = AuthorizationOutcomeFor(request, simulation, permission);
        if (outcome.Error is not null)
        {
            return outcome.Error;
        }

        var authorized = Charge.Authorize(permission, chargeId, request, outcome.Value, now, limits);
        var charge = authorized.Value;
        var events = new List<DomainEvent>(authorized.Events);
        var ledger = this with { Charges = [.. Charges, charge] };
        if (charge.State != ChargeState.Declined)
        {
            var charged = permission.Charged(now, limits);
            events.AddRange(charged.Events);
            ledger = ledger with { ChargePermission = charged.Value };
        }

        ledger = ledger.Restatus(now, DeclineProblem(charge), events);
        DomainError? decline = charge.State == ChargeState.Declined
            ? new DomainError(ChargeReasons.DeclineError(charge.ReasonCode!.Value), $"The charge was declined: {charge.ReasonDescription}")
            : null;
        return new ChargeCreation(new Transition<PaymentLedger>(ledger, events), charge, decline);
    }

    /// <summary>Capture Charge.</summary>
    public Result<Transition<PaymentLedger>> Capture(
        string chargeId, Money amount, string? softDescriptor, SimulatedOutcome? simulation, DateTimeOffset now, Limits limits)
    {
        var charge = FindCharge(chargeId) ?? throw UnknownCharge(chargeId);
        // A monthly limit is shared only with the charges made in the same calendar month as this one.
        var heldByOthers = Charges.Where(c => c.ChargeId != chargeId
                && (!ChargePermission.HasMonthlyLimit || SameMonth(c.CreationTimestamp, charge.CreationTimestamp)))
            .Aggregate(Money.Zero(ChargePermission.AmountLimit.Currency), (sum, c) => sum + c.AmountHeld);
        var pending = simulation?.Effect == SimulatedEffect.Pending;
        var captured = charge.Capture(
            amount, softDescriptor, ChargePermission, heldByOthers, pending, pending ? simulation!.ReasonCode as ChargeReasonCode? : null, now, limits);
        return captured.Error is { } error ? error : Replace(captured.Value, now);
    }

    /// <summary>Cancel Charge.</summary>
    public Result<Transition<PaymentLedger>> CancelCharge(string chargeId, SimulatedOutcome? simulation, DateTimeOffset now)
    {
        var charge = FindCharge(chargeId) ?? throw UnknownCharge(chargeId);
        var reason = simulation is { Effect: SimulatedEffect.Reason, ReasonCode: ChargeReasonCode code } ? code : ChargeReasonCode.MerchantCanceled;
        var canceled = charge.Cancel(reason, now);
        return canceled.Error is { } error ? error : Replace(canceled.Value, now);
    }

    /// <summary>Update Charge: a PSP's report of how its processing of the charge ended.</summary>
    public Result<Transition<PaymentLedger>> UpdateCharge(string chargeId, ChargeStatusUpdate update, DateTimeOffset now)
    {
        var charge = FindCharge(chargeId) ?? throw UnknownCharge(chargeId);
        var updated = charge.Update(update, now);
        return updated.Error is { } error ? error : Replace(updated.Value, now);
    }

    /// <summary>Create Refund against a captured charge.</summary>
    public Result<(Transition<PaymentLedger> Ledger, Refund Refund)> CreateRefund(
        string chargeId, string refundId, Money amount, string? softDescriptor, SimulatedOutcome? simulation, DateTimeOffset now, Limits limits)
    {
        var charge = FindCharge(chargeId) ?? throw UnknownCharge(chargeId);
        if (amount.Currency != charge.ChargeAmount.Currency)
        {
            return DomainError.CurrencyMismatch(charge.ChargeAmount.Currency, amount.Currency);
        }

        if (charge.State != ChargeState.Captured)
        {
            return new DomainError(ErrorCode.InvalidChargeStatus, $"The Charge is in {charge.State} state and cannot be refunded.");
        }

        var refunds = RefundsOf(chargeId).ToList();
        if (refunds.Count >= limits.MaxRefundsPerCharge)
        {
            return new DomainError(
                ErrorCode.TransactionCountExceeded, $"The Charge already has {refunds.Count} refunds, the most it may have.");
        }

        var captured = charge.CaptureAmount!.Value;
        var ceiling = captured + limits.OverCaptureAllowance(captured);
        var held = refunds.Aggregate(Money.Zero(amount.Currency), (sum, r) => sum + r.AmountHeld);
        var disputed = DisputedAmount(chargeId, limits);
        if (held + disputed + amount > ceiling)
        {
            return new DomainError(
                ErrorCode.TransactionAmountExceeded,
                $"The refundAmount {amount} exceeds what may still be refunded: {ceiling - held - disputed} (captured {captured}, already refunded or pending {held}{(disputed.IsPositive ? $", held by disputes {disputed}" : string.Empty)}).");
        }

        var declineReason = simulation?.Effect == SimulatedEffect.Pending ? simulation.ReasonCode as RefundReasonCode? : null;
        var initiated = Refund.Initiate(refundId, charge, amount, softDescriptor, declineReason, now, limits);
        var ledger = this with { Refunds = [.. Refunds, initiated.Value] };
        return (new Transition<PaymentLedger>(ledger, initiated.Events), initiated.Value);
    }

    /// <summary>Close Charge Permission, optionally canceling its open charges.</summary>
    public Result<Transition<PaymentLedger>> Close(
        string? closureReason, bool cancelPendingCharges, SimulatedOutcome? simulation, DateTimeOffset now)
    {
        var reason = simulation is { Effect: SimulatedEffect.Reason, ReasonCode: ChargePermissionReasonCode code }
            ? code
            : ChargePermissionReasonCode.MerchantClosed;
        var closed = ChargePermission.Close(reason, closureReason, now);
        if (closed.Error is not null)
        {
            return closed.Error;
        }

        var events = new List<DomainEvent>();
        var charges = Charges.Select(charge =>
        {
            if (!cancelPendingCharges || !charge.IsOpen)
            {
                return charge;
            }

            var canceled = charge.Cancel(ChargeReasonCode.ChargePermissionCanceled, now).Value;
            events.AddRange(canceled.Events);
            return canceled.Value;
        }).ToList();
        events.AddRange(closed.Value.Events);
        return new Transition<PaymentLedger>(this with { ChargePermission = closed.Value.Value, Charges = charges }, events);
    }

    /// <summary>Update Charge Permission.</summary>
    public Result<Transition<PaymentLedger>> Update(
        MerchantMetadata? merchantMetadata, RecurringMetadata? recurringMetadata, DateTimeOffset now, Limits limits)
    {
        var updated = ChargePermission.Update(merchantMetadata, recurringMetadata, now, limits);
        return updated.Error is { } error
            ? error
            : new Transition<PaymentLedger>(this with { ChargePermission = updated.Value.Value }, updated.Value.Events);
    }

    /// <summary>
    /// The buyer closed the agreement in their account (sandbox: the operator acts for the buyer). Charges already made
    /// are left as they are, as with a merchant's Close without cancelPendingCharges.
    /// </summary>
    public Result<Transition<PaymentLedger>> CloseByBuyer(DateTimeOffset now)
    {
        if (ChargePermission.RequireAgreement("closed") is { } error)
        {
            return error;
        }

        var closed = ChargePermission.Close(ChargePermissionReasonCode.BuyerClosed, null, now).Value;
        return new Transition<PaymentLedger>(this with { ChargePermission = closed.Value }, closed.Events);
    }

    /// <summary>
    /// The buyer chose another payment method for the agreement, the recovery from a decline: the permission is
    /// Chargeable again unless a charge is still in progress.
    /// </summary>
    public Result<Transition<PaymentLedger>> UpdatePaymentMethod(
        string instrumentId, string paymentDescriptor, Buyers.InstrumentBehavior behavior, DateTimeOffset now)
    {
        var changed = ChargePermission.WithPaymentMethod(instrumentId, paymentDescriptor, behavior);
        if (!changed.IsSuccess)
        {
            return changed.Error;
        }

        var events = new List<DomainEvent>();
        var ledger = (this with { ChargePermission = changed.Value }).Restatus(now, null, events);
        if (events.Count == 0)
        {
            // Still the same state: the new instrument is saved with a note of its own.
            events.Add(ledger.ChargePermission.Note("PaymentMethodUpdated", now));
        }

        return new Transition<PaymentLedger>(ledger, events);
    }

    /// <summary>What this permission's charges made in the calendar month (UTC) of <paramref name="at"/> use of its monthly limit.</summary>
    public Money AmountChargedInMonth(DateTimeOffset at) =>
        Charges.Where(c => SameMonth(c.CreationTimestamp, at))
            .Aggregate(Money.Zero(ChargePermission.AmountLimit.Currency), (sum, c) => sum + c.AmountHeld);

    private static bool SameMonth(DateTimeOffset a, DateTimeOffset b)
    {
        var (x, y) = (a.UtcDateTime, b.UtcDateTime);
        return x.Year == y.Year && x.Month == y.Month;
    }

    /// <summary>A OneTime permission: at most so many charges, and their total within the amountLimit.</summary>
    private DomainError? CheckTotalLimits(Money amount, Limits limits)
    {
        if (Charges.Count >= limits.MaxChargesPerChargePermission)
        {
            return new DomainError(
                ErrorCode.TransactionCountExceeded,
                $"The Charge Permission already has {Charges.Count} charges, the most it may have.");
        }

        return AmountCharged + amount > ChargePermission.AmountLimit
            ? new DomainError(
                ErrorCode.TransactionAmountExceeded,
                $"The chargeAmount {amount} exceeds the Charge Permission's remaining balance {AmountBalance}.")
            : null;
    }

    /// <summary>A Recurring or PaymentMethodOnFile permission: this month's charges within the monthly limit, however many.</summary>
    private DomainError? CheckMonthlyLimit(Money amount, DateTimeOffset now)
    {
        var charged = AmountChargedInMonth(now);
        return charged + amount > ChargePermission.AmountLimit
            ? new DomainError(
                ErrorCode.TransactionAmountExceeded,
                $"The chargeAmount {amount} exceeds the Charge Permission's monthly limit of {ChargePermission.AmountLimit}: {charged} is already charged in {now.UtcDateTime:yyyy-MM}.")
            : null;
    }

    /// <summary>What the authorization does: a simulation code wins over the instrument the buyer chose (spec §10).</summary>
    private static Result<AuthorizationOutcome> AuthorizationOutcomeFor(
        ChargeRequest request, SimulatedOutcome? simulation, ChargePermission permission)
    {
        switch (simulation?.Effect)
        {
            case SimulatedEffect.Fail:
                return new DomainError(ErrorCode.ProcessingFailure, "The charge could not be processed; retry later.");
            case SimulatedEffect.Decline:
                return AuthorizationOutcome.Declined((ChargeReasonCode)simulation.ReasonCode!);
            case SimulatedEffect.Pending when !request.CanHandlePendingAuthorization:
                return new DomainError(
                    ErrorCode.InvalidSandboxSimulationSpecified,
                    $"The simulation code '{simulation.Code}' needs canHandlePendingAuthorization set to true.");
            case SimulatedEffect.Pending:
                return AuthorizationOutcome.Pending(simulation.ReasonCode as ChargeReasonCode?);
        }

        return permission.InstrumentBehavior switch
        {
            Buyers.InstrumentBehavior.PendingThenAuthorized when request.CanHandlePendingAuthorization => AuthorizationOutcome.Pending(null),
            Buyers.InstrumentBehavior.PendingThenDeclined when request.CanHandlePendingAuthorization =>
                AuthorizationOutcome.Pending(ChargeReasonCode.HardDeclined),
            Buyers.InstrumentBehavior.PendingThenDeclined or Buyers.InstrumentBehavior.Declines =>
                AuthorizationOutcome.Declined(ChargeReasonCode.HardDeclined),
            Buyers.InstrumentBehavior.SoftDeclines => AuthorizationOutcome.Declined(ChargeReasonCode.SoftDeclined),
            _ => AuthorizationOutcome.Approved,
        };
    }

    /// <summary>The payment-method problem a declined charge leaves on its permission, if any.</summary>
    private ChargePermissionReasonCode? DeclineProblem(Charge charge) => charge is { State: ChargeState.Declined, ReasonCode: { } reason }
        ? reason switch
        {
            ChargeReasonCode.SoftDeclined or ChargeReasonCode.HardDeclined => ChargePermissionReasonCode.PaymentMethodInvalid,
            ChargeReasonCode.PaymentMethodNotAllowed => ChargePermissionReasonCode.PaymentMethodNotAllowed,
            // A processor failure or a timeout says nothing about the payment method.
            ChargeReasonCode.AmazonRejected or ChargeReasonCode.ProcessingFailure or ChargeReasonCode.TransactionTimedOut
                or ChargeReasonCode.MFANotCompleted or ChargeReasonCode.ExpiredUnused or ChargeReasonCode.MerchantCanceled
                or ChargeReasonCode.ChargePermissionCanceled or ChargeReasonCode.AmazonCanceled => ChargePermission.PaymentMethodProblem,
        }
        : ChargePermission.PaymentMethodProblem;

    private Transition<PaymentLedger> Replace(Transition<Charge> changed, DateTimeOffset now)
    {
        var events = new List<DomainEvent>(changed.Events);
        var ledger = WithCharge(changed.Value).Restatus(now, DeclineProblem(changed.Value), events);
        return new Transition<PaymentLedger>(ledger, events);
    }

    private PaymentLedger WithCharge(Charge charge) =>
        this with { Charges = [.. Charges.Select(c => c.ChargeId == charge.ChargeId ? charge : c)] };

    /// <summary>Brings the permission's state in line with its charges.</summary>
    private PaymentLedger Restatus(DateTimeOffset at, ChargePermissionReasonCode? paymentMethodProblem, List<DomainEvent> events)
    {
        var inProgress = Charges.Any(c => c.State == ChargeState.AuthorizationInitiated);
        var restated = ChargePermission.WithStatus(inProgress, paymentMethodProblem, at);
        events.AddRange(restated.Events);
        return this with { ChargePermission = restated.Value };
    }

    private PaymentLedger AdvanceOne(DateTimeOffset due, List<DomainEvent> events)
    {
        if (ChargePermission.NextDueAt == due)
        {
            var expired = ChargePermission.Expire();
            events.AddRange(expired.Events);
            return this with { ChargePermission = expired.Value };
        }

        if (Charges.FirstOrDefault(c => c.NextDueAt == due) is { } charge)
        {
            var advanced = charge.Advance();
            events.AddRange(advanced.Events);
            return WithCharge(advanced.Value).Restatus(due, DeclineProblem(advanced.Value), events);
        }

        if (Disputes.FirstOrDefault(d => d.NextDueAt == due) is { } dispute)
        {
            var expired = dispute.Expire();
            events.AddRange(expired.Events);
            return WithDispute(expired.Value);
        }

        // Something is due and it is none of the permission, a charge or a dispute, so a refund is: First never fails here.
        var refund = Refunds.First(r => r.NextDueAt == due);
        var settled = refund.Settle();
        events.AddRange(settled.Events);
        var ledger = this with { Refunds = [.. Refunds.Select(r => r.RefundId == refund.RefundId ? settled.Value : r)] };
        if (settled.Value.State == RefundState.Refunded)
        {
            var owner = FindCharge(refund.ChargeId) ?? throw UnknownCharge(refund.ChargeId);
            ledger = ledger.WithCharge(owner.WithRefunded(refund.RefundAmount, due));
        }

        return ledger;
    }

    private static string Unused(Func<string> draw, Func<string, bool> taken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var id = draw();
            if (!taken(id))
            {
                return id;
            }
        }

        throw new InvalidOperationException("No unused id was drawn in 100 attempts; the id generator is not random.");
    }

    private static InvalidOperationException UnknownCharge(string chargeId) =>
        new($"Charge {chargeId} is not part of this ledger; look it up before acting on it.");
}

/// <summary>Combines a ledger's time-driven changes with the command that follows them.</summary>
public static class LedgerTransitions
{
    public static Transition<PaymentLedger> Then(this Transition<PaymentLedger> first, Transition<PaymentLedger> second) =>
        new(second.Value, [.. first.Events, .. second.Events]);
}
