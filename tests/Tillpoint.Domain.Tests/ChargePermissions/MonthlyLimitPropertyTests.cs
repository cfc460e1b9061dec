using FsCheck;
using FsCheck.Fluent;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Simulation;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>One step of an agreement's life: a charge (maybe declined, maybe captured at once), a capture, or time passing.</summary>
public abstract record AgreementStep;

/// <summary>A charge; <paramref name="Decline"/> is the sandbox code that declines it (HardDeclined leaves the payment method invalid), or null.</summary>
public sealed record ChargeAgreementStep(int Cents, bool CaptureNow, string? Decline) : AgreementStep;

/// <summary>The buyer gives the agreement another payment method (the agreement page), as after a decline.</summary>
public sealed record RecoverAgreementStep : AgreementStep;

public sealed record CaptureAgreementStep(int Charge, int PermilleOfAuthorization) : AgreementStep;

public sealed record AdvanceAgreementStep(int Minutes) : AgreementStep;

public sealed record AgreementScenario(ChargePermissionType Type, IReadOnlyList<AgreementStep> Steps)
{
    public override string ToString() => $"{Type}: {string.Join(", ", Steps)}";
}

public static class AgreementArbitraries
{
    private static readonly Gen<AgreementStep> Step = Gen.Frequency(
        (10, from cents in Gen.Frequency((3, Gen.Choose(1, 40_000)), (1, Gen.Choose(40_000, 200_000)), (1, Gen.Choose(200_000, 2_000_000)))
            from captureNow in Gen.Elements(true, false)
            from decline in Gen.Frequency((12, Gen.Constant<string?>(null)), (1, Gen.Constant<string?>("AmazonRejected")), (1, Gen.Constant<string?>("HardDeclined")))
            select (AgreementStep)new ChargeAgreementStep(cents, captureNow, decline)),
        (2, Gen.Constant((AgreementStep)new RecoverAgreementStep())),
        (5, from charge in Gen.Choose(0, 1000)
            from permille in Gen.Choose(1, 1150)
            select (AgreementStep)new CaptureAgreementStep(charge, permille)),
        (8, Gen.Frequency(
                (3, Gen.Choose(0, 3 * 24 * 60)),
                (3, Gen.Choose(0, 45 * 24 * 60)),
                (1, Gen.Choose(300 * 24 * 60, 420 * 24 * 60)))
            .Select(minutes => (AgreementStep)new AdvanceAgreementStep(minutes))));

    private static readonly Gen<AgreementScenario> Scenario =
        from type in Gen.Elements(ChargePermissionType.Recurring, ChargePermissionType.PaymentMethodOnFile)
        from steps in Gen.ListOf(Step)
        select new AgreementScenario(type, steps);

    private static IEnumerable<AgreementScenario> Shrink(AgreementScenario scenario)
    {
        for (var i = scenario.Steps.Count - 1; i >= 0; i--)
        {
            yield return scenario with { Steps = [.. scenario.Steps.Take(i), .. scenario.Steps.Skip(i + 1)] };
        }
    }

    public static Arbitrary<AgreementScenario> Scenarios() => Arb.From(Scenario, Shrink);
}

/// <summary>
/// For random charge histories (some declined, some HardDeclined and recovered by the buyer) and clock moves: no
/// calendar month's charges ever hold more than the monthly cap, a charge is refused exactly when it would pass it or the
/// permission is not Chargeable, a saved wallet never closes, and a Recurring permission is open until, and Closed/Expired from,
/// 13 months after its last charge (or its creation), whenever it is read.
/// </summary>
public class MonthlyLimitPropertyTests
{
    private static readonly Limits Limits = Limits.Default;

    [FsCheck.Xunit.Property(Arbitrary = new[] { typeof(AgreementArbitraries) }, MaxTest = 300, QuietOnSuccess = true)]
    public void RandomChargesAndClockMoves_NeverBreakTheMonthlyCapOrTheExpiry(AgreementScenario scenario)
    {
        var ledger = Agreements.Ledger(scenario.Type);
        var now = Ledgers.Start;
        var lastCharge = Ledgers.Start;
        var cap = ledger.ChargePermission.AmountLimit;
        foreach (var step in scenario.Steps)
        {
            if (step is AdvanceAgreementStep advance)
            {
                now += TimeSpan.FromMinutes(advance.Minutes);
            }

            ledger = ledger.AsOf(now).Value;
            switch (step)
            {
                case ChargeAgreementStep charge:
                    {
                        var amount = Usd.Of(charge.Cents / 100m);
                        var open = ledger.ChargePermission.State == ChargePermissionState.Chargeable;
                        var fits = ledger.AmountChargedInMonth(now) + amount <= cap;
                        var created = ledger.CreateCharge(
                            ledger.NextChargeId(),
                            Build.Request(amount, charge.CaptureNow),
                            charge.Decline is { } code ? Ledgers.Simulation(SimulatedOperation.CreateCharge, code) : null,
                            now,
                            Limits);
                        Assert.True(created.IsSuccess == (open && fits), $"{step} at {now:u}: {created.Error?.Message ?? "accepted"}");
                        if (created.IsSuccess)
                        {
                            ledger = created.Value.Ledger.Value;
                            lastCharge = charge.Decline is null ? now : lastCharge;
                        }

                        break;
                    }

                case RecoverAgreementStep:
                    {
                        var recovered = ledger.UpdatePaymentMethod("mastercard-4444", "Mastercard ****4444", Tillpoint.Domain.Buyers.InstrumentBehavior.Succeeds, now);
                        Assert.True(recovered.IsSuccess == (ledger.ChargePermission.State != ChargePermissionState.Closed), $"{step} at {now:u}");
                        if (recovered.IsSuccess)
                        {
                            ledger = recovered.Value.Value;
                            Assert.Null(ledger.ChargePermission.PaymentMethodProblem);
                        }

                        break;
                    }

                case CaptureAgreementStep capture when ledger.Charges.Count > 0:
                    {
                        var charge = ledger.Charges[capture.Charge % ledger.Charges.Count];
                        var amount = Usd.Of(decimal.Round(charge.ChargeAmount.Amount * capture.PermilleOfAuthorization / 1000m, 2, MidpointRounding.ToZero));
                        if (amount.IsPositive && ledger.TryCapture(charge.ChargeId, amount, at: now) is { IsSuccess: true } captured)
                        {
                            ledger = captured.Value.Value;
                        }

                        break;
                    }
            }

            CheckInvariants(ledger, cap, now, lastCharge, scenario.Type);
        }
    }

    private static void CheckInvariants(PaymentLedger ledger, Money cap, DateTimeOffset now, DateTimeOffset lastCharge, ChargePermissionType type)
    {
        foreach (var month in ledger.Charges.GroupBy(c => (c.CreationTimestamp.UtcDateTime.Year, c.CreationTimestamp.UtcDateTime.Month)))
        {
            var held = month.Aggregate(Money.Zero(cap.Currency), (sum, c) => sum + c.AmountHeld);
            Assert.True(held <= cap, $"{month.Key} holds {held}, over the cap {cap}");
        }

        var permission = ledger.ChargePermission;
        if (type == ChargePermissionType.PaymentMethodOnFile)
        {
            Assert.Null(permission.ExpirationTimestamp);
            Assert.Equal(permission.PaymentMethodProblem is null ? ChargePermissionState.Chargeable : ChargePermissionState.NonChargeable, permission.State);
            return;
        }

        var expiry = lastCharge + Limits.RecurringChargePermissionLifetime;
        Assert.Equal(expiry, permission.ExpirationTimestamp);
        if (now < expiry)
        {
            Assert.NotEqual(ChargePermissionState.Closed, permission.State);
        }
        else
        {
            Assert.Equal(ChargePermissionState.Closed, permission.State);
            Assert.Equal(ChargePermissionReasonCode.Expired, Assert.Single(permission.Reasons).ReasonCode);
            Assert.Equal(expiry, permission.LastUpdatedTimestamp);
        }
    }
}
