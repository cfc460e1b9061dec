using Tillpoint.Domain.Charges;
using Tillpoint.Domain.Disputes;

namespace Tillpoint.Domain.ChargePermissions;

/// <summary>
/// The disputes of a ledger. They are part of it because their amounts count against the charges' refundable amounts
/// (spec §2.11, configurable with <see cref="Limits.DisputesReduceRefundable"/>): a charge's refunds not declined plus its
/// disputes' held amounts never exceed its capture plus the allowance, and a dispute never exceeds what the charge still
/// holds. A dispute changes no charge, refund or permission.
/// </summary>
public sealed partial record PaymentLedger
{
    public IReadOnlyList<Dispute> Disputes { get; init; } = [];

    public Dispute? FindDispute(string disputeId) => Disputes.FirstOrDefault(d => d.DisputeId == disputeId);

    public IEnumerable<Dispute> DisputesOf(string chargeId) => Disputes.Where(d => d.ChargeId == chargeId);

    /// <summary>A new dispute id, unused in this ledger (see <see cref="NewChargeId"/>).</summary>
    public string NewDisputeId(IIdGenerator ids) =>
        Unused(() => ids.NewDisputeId(ChargePermission.ChargePermissionId), id => FindDispute(id) is not null);

    /// <summary>What the charge's disputes take from its refundable amount.</summary>
    public Money DisputedAmount(string chargeId, Limits limits)
    {
        var charge = FindCharge(chargeId) ?? throw UnknownCharge(chargeId);
        return DisputesOf(chargeId).Aggregate(Money.Zero(charge.ChargeAmount.Currency), (sum, d) => sum + d.AmountHeld(limits));
    }

    /// <summary>
    /// Opens a dispute against a captured charge, for at most what the charge still holds: its capture less its refunds
    /// not declined and the amounts its other disputes hold. In Sandbox a deadline already past is moved to the response
    /// window from now, so the payloads of the SDKs' own samples (fixed dates in 2025) make a dispute that can be worked on.
    /// </summary>
    public Result<(Transition<PaymentLedger> Ledger, Dispute Dispute)> OpenDispute(
        string chargeId, string disputeId, DisputeFiling filing, DateTimeOffset now, Limits limits)
    {
        var charge = FindCharge(chargeId) ?? throw UnknownCharge(chargeId);
        var amount = filing.DisputeAmount;
        if (amount.Currency != charge.ChargeAmount.Currency)
        {
            return DomainError.CurrencyMismatch(charge.ChargeAmount.Currency, amount.Currency);
        }

        if (charge.State != ChargeState.Captured)
        {
            return new DomainError(ErrorCode.InvalidChargeStatus, $"The Charge is in {charge.State} state; only a Captured charge can be disputed.");
        }

        if (amount.Amount <= 0m)
        {
            return DomainError.InvalidValue("disputeAmount.amount", "it must be greater than zero.");
        }

        var captured = charge.CaptureAmount!.Value;
        var refunded = RefundsOf(chargeId).Aggregate(Money.Zero(amount.Currency), (sum, r) => sum + r.AmountHeld);
        var taken = limits.DisputesReduceRefundable ? refunded + DisputedAmount(chargeId, limits) : Money.Zero(amount.Currency);
        if (amount > captured - taken)
        {
            return DomainError.InvalidValue(
                "disputeAmount.amount",
                $"{amount} exceeds what the charge still holds: {captured - taken} (captured {captured}, refunded or disputed {taken}).");
        }

        var deadline = filing.MerchantResponseDeadline;
        if (deadline <= now)
        {
            if (charge.Environment != ReleaseEnvironment.Sandbox)
            {
                return DomainError.InvalidValue("merchantResponseDeadline", "it has already passed.");
            }

            deadline = now + limits.DisputeResponseWindow;
        }

        var filed = Dispute.File(disputeId, charge, filing with { MerchantResponseDeadline = deadline }, now);
        if (!filed.IsSuccess)
        {
            return filed.Error;
        }

        var dispute = filed.Value.Value;
        return (new Transition<PaymentLedger>(this with { Disputes = [.. Disputes, dispute] }, filed.Value.Events), dispute);
    }

    /// <summary>Applies one of <see cref="Dispute"/>'s operations to the dispute <paramref name="disputeId"/> of this ledger.</summary>
    public Result<Transition<PaymentLedger>> ChangeDispute(string disputeId, Func<Dispute, Result<Transition<Dispute>>> change)
    {
        var dispute = FindDispute(disputeId) ?? throw new InvalidOperationException($"Dispute {disputeId} is not part of this ledger.");
        var changed = change(dispute);
        return changed.IsSuccess
            ? new Transition<PaymentLedger>(WithDispute(changed.Value.Value), changed.Value.Events)
            : changed.Error;
    }

    private PaymentLedger WithDispute(Dispute dispute) =>
        this with { Disputes = [.. Disputes.Select(d => d.DisputeId == dispute.DisputeId ? dispute : d)] };
}
