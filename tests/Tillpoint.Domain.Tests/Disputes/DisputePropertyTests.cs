using FsCheck;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Disputes;
using Tillpoint.Domain.Refunds;
using Tillpoint.Domain.Tests.ChargePermissions;

namespace Tillpoint.Domain.Tests.Disputes;

/// <summary>
/// Random histories of refunds, disputes, every dispute operation and time passing on a captured charge never break the
/// ledger's money rules: what refunds and disputes hold stays within the capture plus the allowance, refundedAmount is
/// the settled refunds, and no dispute operation touches the charge, the refunds or the permission.
/// </summary>
public class DisputePropertyTests
{
    [FsCheck.Xunit.Property(MaxTest = 300, QuietOnSuccess = true)]
    public void RandomHistories_KeepTheMoneyRules(PositiveInt units, bool reduceRefundable, (byte Kind, byte Value)[] steps)
    {
        var limits = Limits.Default with { DisputesReduceRefundable = reduceRefundable };
        var captured = Usd.Of(Math.Min(units.Get, 100_000) / 100m + 1m);
        var (ledger, chargeId) = Disputes.Captured(captured.Amount);
        var now = Disputes.Filed;
        var ceiling = captured + limits.OverCaptureAllowance(captured);
        var disputeCount = 0;
        foreach (var (kind, value) in steps ?? [])
        {
            var before = ledger;
            // The API refuses amounts under one cent before the ledger sees them.
            var amount = Usd.Of(Math.Max(0.01m, decimal.Round(captured.Amount * value / 200m, 2)));
            switch (kind % 4)
            {
                case 0:
                    var refund = ledger.CreateRefund(chargeId, ledger.NextRefundId(), amount, null, null, now, limits);
                    var refundHeld = ledger.RefundsOf(chargeId).Aggregate(Usd.Of(0m), (sum, r) => sum + r.AmountHeld);
                    Assert.Equal(refundHeld + ledger.DisputedAmount(chargeId, limits) + amount <= ceiling, refund.IsSuccess);
                    ledger = refund.IsSuccess ? refund.Value.Ledger.Value : ledger;
                    break;
                case 1:
                    var opened = ledger.OpenDispute(
                        chargeId, $"{ledger.ChargePermission.ChargePermissionId}-B{++disputeCount:D6}", Disputes.Filing(amount.Amount) with
                        {
                            MerchantResponseDeadline = now + TimeSpan.FromDays(1 + (value % 12)),
                            ProviderDisputeId = value % 3 == 0 ? "PSP" : null,
                        }, now, limits);
                    var taken = limits.DisputesReduceRefundable
                        ? ledger.RefundsOf(chargeId).Aggregate(Usd.Of(0m), (sum, r) => sum + r.AmountHeld) + ledger.DisputedAmount(chargeId, limits)
                        : Usd.Of(0m);
                    Assert.Equal(amount <= captured - taken, opened.IsSuccess);
                    ledger = opened.IsSuccess ? opened.Value.Ledger.Value : ledger;
                    break;
                case 2 when ledger.Disputes.Count > 0:
                    var dispute = ledger.Disputes[value % ledger.Disputes.Count];
                    var changed = ledger.ChangeDispute(dispute.DisputeId, d => Operate(d, value, now));
                    ledger = changed.IsSuccess ? changed.Value.Value : ledger;
                    Assert.Equal(before.Charges, ledger.Charges);
                    Assert.Equal(before.Refunds, ledger.Refunds);
                    Assert.Equal(before.ChargePermission, ledger.ChargePermission);
                    break;
                default:
                    now += TimeSpan.FromHours(value * 2);
                    ledger = ledger.AsOf(now).Value;
                    break;
            }

            CheckMoneyRules(ledger, chargeId, ceiling, limits);
        }
    }

    private static Result<Transition<Dispute>> Operate(Dispute dispute, byte value, DateTimeOffset now) => (value / 7 % 7) switch
    {
        0 => dispute.Contest([Disputes.Tracking], now),
        1 => dispute.Accept(now),
        2 => dispute.Decide((DisputeResolution)(value % 3), now),
        3 => dispute.Withdraw(now),
        4 => dispute.RequestEvidence(now + TimeSpan.FromDays(3), now),
        5 => dispute.Update(new DisputeStatusReport(DisputeState.Resolved, null, null, (DisputeResolution)(value % 3)), null, now),
        _ => dispute.Update(new DisputeStatusReport(DisputeState.UnderReview, null, null, null), null, now),
    };

    private static void CheckMoneyRules(PaymentLedger ledger, string chargeId, Money ceiling, Limits limits)
    {
        var charge = ledger.ChargeOf(chargeId);
        var refundsHeld = ledger.RefundsOf(chargeId).Aggregate(Usd.Of(0m), (sum, r) => sum + r.AmountHeld);
        Assert.True(refundsHeld + ledger.DisputedAmount(chargeId, limits) <= ceiling, "refunds and disputes hold more than the charge may give back");
        var settled = ledger.RefundsOf(chargeId).Where(r => r.State == RefundState.Refunded).Aggregate(Usd.Of(0m), (sum, r) => sum + r.RefundAmount);
        Assert.Equal(settled, charge.RefundedAmount);
        Assert.All(ledger.Disputes, d => Assert.Equal(DisputeReasons.IsFinal(d.State), d.Resolution is not null));
        Assert.All(ledger.Disputes, d => Assert.Equal(d.State == DisputeState.ActionRequired ? d.MerchantResponseDeadline : null, d.NextDueAt));
    }
}
