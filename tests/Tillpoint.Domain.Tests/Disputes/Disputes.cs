using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Disputes;
using Tillpoint.Domain.Tests.ChargePermissions;

namespace Tillpoint.Domain.Tests.Disputes;

/// <summary>Builds disputes the way the server does: on a ledger with a captured charge, then through its operations.</summary>
internal static class Disputes
{
    public static readonly DateTimeOffset Filed = Ledgers.Settled;

    public static readonly DateTimeOffset Deadline = Filed + Limits.Default.DisputeResponseWindow;

    public static readonly MerchantEvidence Tracking = new(EvidenceType.TrackingNumber, null, "1Z999AA10123456784");

    /// <summary>A ledger whose one charge captured <paramref name="captured"/>.</summary>
    public static (PaymentLedger Ledger, string ChargeId) Captured(decimal captured = 100m)
    {
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(captured)).Charged(Usd.Of(captured));
        return (ledger.Captured(charge.ChargeId, Usd.Of(captured)).At(Filed), charge.ChargeId);
    }

    public static DisputeFiling Filing(decimal amount = 40m, DateTimeOffset? deadline = null, DisputeStatusReport? status = null) =>
        new(Usd.Of(amount), DisputeFilingReason.Fraudulent, Filed, deadline ?? Deadline, status, null);

    public static Result<(Transition<PaymentLedger> Ledger, Dispute Dispute)> TryOpen(
        this PaymentLedger ledger, string chargeId, DisputeFiling filing, DateTimeOffset? at = null, Limits? limits = null) =>
        ledger.OpenDispute(chargeId, $"{ledger.ChargePermission.ChargePermissionId}-B{ledger.Disputes.Count + 1:D6}", filing, at ?? Filed, limits ?? Limits.Default);

    public static (PaymentLedger Ledger, Dispute Dispute) Opened(this PaymentLedger ledger, string chargeId, DisputeFiling? filing = null, Limits? limits = null)
    {
        var opened = ledger.TryOpen(chargeId, filing ?? Filing(), limits: limits);
        Assert.Null(opened.Error);
        return (opened.Value.Ledger.Value, opened.Value.Dispute);
    }

    /// <summary>A dispute of 40 USD against a 100 USD capture, in <paramref name="state"/>.</summary>
    public static Dispute In(DisputeState state)
    {
        var (ledger, chargeId) = Captured();
        var dispute = ledger.Opened(chargeId).Dispute;
        return state switch
        {
            DisputeState.ActionRequired => dispute,
            DisputeState.UnderReview => Ok(dispute.Contest([Tracking], Filed.AddDays(1))),
            DisputeState.Resolved => Ok(dispute.Accept(Filed.AddDays(1))),
            DisputeState.Closed => Ok(dispute.Withdraw(Filed.AddDays(1))),
        };
    }

    public static Dispute Ok(Result<Transition<Dispute>> result)
    {
        Assert.Null(result.Error);
        return result.Value.Value;
    }
}
