using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>Recurring and saved-wallet ledgers: the monthly cap, the 13-month expiry, the buyer closing, a new payment method.</summary>
public class RecurringLedgerTests
{
    private static readonly DateTimeOffset EndOfMarch = new(2025, 3, 31, 23, 59, 59, 999, TimeSpan.Zero);

    private static readonly DateTimeOffset StartOfApril = new(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Lifetime = Limits.Default.RecurringChargePermissionLifetime;

    [Theory]
    [InlineData(ChargePermissionType.Recurring, 1_000)]
    [InlineData(ChargePermissionType.PaymentMethodOnFile, 15_000)]
    public void CreateCharge_UpToTheMonthlyCap_IsAcceptedAndOneCentMoreIsNot(ChargePermissionType type, decimal cap)
    {
        var ledger = Agreements.Ledger(type);
        ledger = ledger.Charged(Usd.Of(cap - 10m), captureNow: true).Ledger;
        ledger = ledger.Charged(Usd.Of(10m), at: EndOfMarch).Ledger;

        var refused = ledger.TryCharge(Usd.Of(0.01m), at: EndOfMarch);

        Assert.Equal(ErrorCode.TransactionAmountExceeded, refused.Error!.Code);
        Assert.Contains($"monthly limit of {Usd.Of(cap)}", refused.Error.Message, StringComparison.Ordinal);
        Assert.Contains("2025-03", refused.Error.Message, StringComparison.Ordinal);
        Assert.Equal(Usd.Of(cap), ledger.AmountChargedInMonth(EndOfMarch));
    }

    [Fact]
    public void CreateCharge_InTheNextCalendarMonth_StartsFromNothing()
    {
        var ledger = Agreements.Recurring().Charged(Agreements.RecurringCap, captureNow: true).Ledger;

        var (next, charge) = ledger.Charged(Agreements.RecurringCap, captureNow: true, at: StartOfApril);

        Assert.Equal(ChargeState.Captured, charge.State);
        Assert.Equal(Agreements.RecurringCap, next.AmountChargedInMonth(StartOfApril));
        Assert.Equal(Agreements.RecurringCap, next.AmountChargedInMonth(EndOfMarch));
    }

    [Fact]
    public void CreateCharge_TheSameMonthAYearLater_StartsFromNothing()
    {
        var ledger = Agreements.SavedWallet().Charged(Agreements.SavedWalletCap, captureNow: true).Ledger;
        var aYearLater = Ledgers.Start.AddYears(1);

        Assert.Equal(Usd.Of(0m), ledger.AmountChargedInMonth(aYearLater));
        Assert.Null(ledger.TryCharge(Agreements.SavedWalletCap, at: aYearLater).Error);
    }

    [Fact]
    public void CreateCharge_MonthsAreCountedInUtc()
    {
        var ledger = Agreements.Recurring().Charged(Agreements.RecurringCap, at: EndOfMarch).Ledger;
        var aprilInBerlinMarchInUtc = new DateTimeOffset(2025, 4, 1, 1, 30, 0, TimeSpan.FromHours(2));

        Assert.Equal(ErrorCode.TransactionAmountExceeded, ledger.TryCharge(Usd.Of(1m), at: aprilInBerlinMarchInUtc).Error!.Code);
    }

    [Fact]
    public void CreateCharge_OnAnAgreement_HasNoCountLimit()
    {
        var ledger = Agreements.Recurring();
        for (var i = 0; i < Limits.Default.MaxChargesPerChargePermission + 5; i++)
        {
            ledger = ledger.Charged(Usd.Of(1m), captureNow: true).Ledger;
        }

        Assert.Equal(30, ledger.Charges.Count);
    }

    [Fact]
    public void CreateCharge_DeclinedAndCanceledCharges_DoNotCountTowardsTheCap()
    {
        var ledger = Agreements.Recurring();
        ledger = ledger.Charged(Usd.Of(600m), simulation: "AmazonRejected").Ledger;
        var (authorized, charge) = ledger.Charged(Usd.Of(600m));
        ledger = Ledgers.Succeeded(authorized.TryCancel(charge.ChargeId)).Value;

        var (_, last) = ledger.Charged(Agreements.RecurringCap);

        Assert.Equal(ChargeState.Authorized, last.State);
    }

    [Fact]
    public void CreateCharge_OnAOneTimePermission_StillHasItsTotalLimit()
    {
        var ledger = Ledgers.Confirmed(Usd.Of(100m));

        Assert.Equal(ErrorCode.TransactionAmountExceeded, ledger.TryCharge(Usd.Of(115.01m)).Error!.Code);
    }

    [Fact]
    public void Capture_AboveTheAuthorizationPastTheMonthlyCap_IsRefused()
    {
        var (ledger, first) = Agreements.Recurring().Charged(Usd.Of(500m));
        var (withSecond, second) = ledger.Charged(Usd.Of(500m));

        var refused = withSecond.TryCapture(second.ChargeId, Usd.Of(500.01m));
        var ofFirst = withSecond.TryCapture(first.ChargeId, Usd.Of(500m));

        Assert.Equal(ErrorCode.TransactionAmountExceeded, refused.Error!.Code);
        Assert.Null(ofFirst.Error);
    }

    [Fact]
    public void Capture_OfLastMonthsCharge_IsNotCountedWithThisMonthsCharges()
    {
        var (ledger, march) = Agreements.Recurring().Charged(Usd.Of(900m));
        ledger = ledger.Charged(Usd.Of(1_000m), captureNow: true, at: StartOfApril).Ledger;

        var captured = ledger.TryCapture(march.ChargeId, Usd.Of(975m), at: StartOfApril);

        Assert.Null(captured.Error);
    }

    [Fact]
    public void Recurring_WithoutACharge_ExpiresThirteenMonthsAfterCreation()
    {
        var ledger = Agreements.Recurring();
        var expiry = Ledgers.Start + Lifetime;

        Assert.Equal(ChargePermissionState.Chargeable, ledger.At(expiry.AddTicks(-1)).ChargePermission.State);
        var expired = ledger.AsOf(expiry).Value.ChargePermission;
        Assert.Equal(ChargePermissionState.Closed, expired.State);
        Assert.Equal(ChargePermissionReasonCode.Expired, Assert.Single(expired.Reasons).ReasonCode);
        Assert.Equal(expiry, expired.LastUpdatedTimestamp);
    }

    [Fact]
    public void Recurring_EachCharge_StartsTheThirteenMonthsAgain()
    {
        var at = Ledgers.Start.AddDays(300);
        var created = Agreements.Recurring().At(at).TryCharge(Usd.Of(14m), at: at);

        var permission = created.Value!.Ledger.Value.ChargePermission;
        Assert.Equal(at + Lifetime, permission.ExpirationTimestamp);
        var note = Assert.Single(created.Value.Ledger.Events, e => e.ObjectType == ObjectType.ChargePermission);
        Assert.Equal(("Chargeable", "Chargeable", "ExpirationExtended"), (note.FromState, note.ToState, note.Detail));
        Assert.Equal(ChargePermissionState.Chargeable, created.Value.Ledger.Value.At(Ledgers.Start + Lifetime).ChargePermission.State);
    }

    [Fact]
    public void Recurring_ADeclinedCharge_DoesNotStartTheThirteenMonthsAgain()
    {
        var at = Ledgers.Start.AddDays(300);
        var created = Agreements.Recurring().At(at).TryCharge(Usd.Of(14m), simulation: "HardDeclined", at: at);

        Assert.Equal(ErrorCode.HardDeclined, created.Value!.Decline!.Code);
        Assert.Equal(Ledgers.Start + Lifetime, created.Value.Ledger.Value.ChargePermission.ExpirationTimestamp);
    }

    [Fact]
    public void SavedWallet_NeverExpires()
    {
        var ledger = Agreements.SavedWallet();

        Assert.Null(ledger.NextDueAt);
        Assert.Equal(ChargePermissionState.Chargeable, ledger.At(Ledgers.Start.AddYears(10)).ChargePermission.State);
        var (charged, _) = ledger.Charged(Usd.Of(20m), captureNow: true);
        Assert.Null(charged.ChargePermission.ExpirationTimestamp);
    }

    [Fact]
    public void OneTime_ACharge_DoesNotMoveItsExpiry()
    {
        var (ledger, _) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(10m), at: Ledgers.Start.AddDays(100));

        Assert.Equal(Ledgers.Start.AddDays(180), ledger.ChargePermission.ExpirationTimestamp);
    }

    [Theory]
    [InlineData(ChargePermissionType.Recurring)]
    [InlineData(ChargePermissionType.PaymentMethodOnFile)]
    public void CloseByBuyer_ClosesTheAgreementAndLeavesItsChargesAlone(ChargePermissionType type)
    {
        var (ledger, charge) = Agreements.Ledger(type).Charged(Usd.Of(14m));

        var closed = Ledgers.Succeeded(ledger.CloseByBuyer(Ledgers.Settled));

        var permission = closed.Value.ChargePermission;
        Assert.Equal(ChargePermissionState.Closed, permission.State);
        Assert.Equal(ChargePermissionReasonCode.BuyerClosed, Assert.Single(permission.Reasons).ReasonCode);
        Assert.Equal(ChargeState.Authorized, closed.Value.ChargeOf(charge.ChargeId).State);
        var e = Assert.Single(closed.Events);
        Assert.Equal((ObjectType.ChargePermission, "Chargeable", "Closed", "BuyerClosed"), (e.ObjectType, e.FromState, e.ToState, e.ReasonCode));
        Assert.Null(permission.NextDueAt);
        Assert.Equal(ErrorCode.InvalidChargePermissionStatus, closed.Value.TryCharge(Usd.Of(1m), at: Ledgers.Settled).Error!.Code);
    }

    [Fact]
    public void CloseByBuyer_OnAOneTimePermission_IsRefused()
    {
        var refused = Ledgers.Confirmed(Usd.Of(10m)).CloseByBuyer(Ledgers.Start);

        Assert.Equal(ErrorCode.InvalidChargePermissionStatus, refused.Error!.Code);
        Assert.Contains("OneTime", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CloseByBuyer_OfAClosedAgreement_IsRefused()
    {
        var closed = Ledgers.Succeeded(Agreements.Recurring().TryClose()).Value;

        var refused = closed.CloseByBuyer(Ledgers.Settled);

        Assert.Equal(ErrorCode.InvalidChargePermissionStatus, refused.Error!.Code);
        Assert.Contains("MerchantClosed", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdatePaymentMethod_AfterAHardDecline_MakesTheAgreementChargeableAgain()
    {
        var declined = Agreements.Recurring().TryCharge(Usd.Of(14m), simulation: "HardDeclined").Value!.Ledger.Value;
        Assert.Equal(ChargePermissionReasonCode.PaymentMethodInvalid, Assert.Single(declined.ChargePermission.Reasons).ReasonCode);

        var updated = Ledgers.Succeeded(declined.UpdatePaymentMethod("new-card", "Visa ****4444", InstrumentBehavior.Succeeds, Ledgers.Settled));

        var permission = updated.Value.ChargePermission;
        Assert.Equal(ChargePermissionState.Chargeable, permission.State);
        Assert.Empty(permission.Reasons);
        Assert.Null(permission.PaymentMethodProblem);
        Assert.Equal(("new-card", "Visa ****4444"), (permission.InstrumentId, permission.PaymentDescriptor));
        var e = Assert.Single(updated.Events);
        Assert.Equal(("NonChargeable", "Chargeable"), (e.FromState, e.ToState));
        Assert.Equal(ChargeState.Authorized, updated.Value.Charged(Usd.Of(14m), at: Ledgers.Settled).Charge.State);
    }

    [Fact]
    public void UpdatePaymentMethod_WhileChargeable_SavesTheInstrumentWithANote()
    {
        var updated = Ledgers.Succeeded(Agreements.SavedWallet().UpdatePaymentMethod("card-2", "Visa ****0005", InstrumentBehavior.SoftDeclines, Ledgers.Settled));

        var e = Assert.Single(updated.Events);
        Assert.Equal(("Chargeable", "Chargeable", "PaymentMethodUpdated"), (e.FromState, e.ToState, e.Detail));
        Assert.Equal(InstrumentBehavior.SoftDeclines, updated.Value.ChargePermission.InstrumentBehavior);
        Assert.Equal(ErrorCode.SoftDeclined, updated.Value.TryCharge(Usd.Of(1m), at: Ledgers.Settled).Value!.Decline!.Code);
    }

    [Fact]
    public void UpdatePaymentMethod_WithAChargeInProgress_StaysNonChargeable()
    {
        var pending = Agreements.Ledger(ChargePermissionType.Recurring, InstrumentBehavior.PendingThenAuthorized)
            .Charged(Usd.Of(14m), canHandlePendingAuthorization: true).Ledger;

        var updated = Ledgers.Succeeded(pending.UpdatePaymentMethod("card-2", "Visa ****1111", InstrumentBehavior.Succeeds, Ledgers.Start));

        Assert.Equal(ChargePermissionReasonCode.ChargeInProgress, Assert.Single(updated.Value.ChargePermission.Reasons).ReasonCode);
    }

    [Fact]
    public void UpdatePaymentMethod_OfAOneTimeOrClosedPermission_IsRefused()
    {
        var closed = Ledgers.Succeeded(Agreements.Recurring().CloseByBuyer(Ledgers.Start)).Value;

        Assert.Equal(ErrorCode.InvalidChargePermissionStatus,
            Ledgers.Confirmed(Usd.Of(1m)).UpdatePaymentMethod("c", "d", InstrumentBehavior.Succeeds, Ledgers.Start).Error!.Code);
        Assert.Equal(ErrorCode.InvalidChargePermissionStatus,
            closed.UpdatePaymentMethod("c", "d", InstrumentBehavior.Succeeds, Ledgers.Start).Error!.Code);
    }

    [Fact]
    public void Update_ChangesARecurringPermissionsTerms()
    {
        var yearly = new RecurringMetadata(new Frequency(FrequencyUnit.Year, 1), Usd.Of(140m));

        var updated = Ledgers.Succeeded(Agreements.Recurring().Update(null, yearly, Ledgers.Settled, Limits.Default));

        Assert.Equal(yearly, updated.Value.ChargePermission.RecurringMetadata);
        Assert.Equal(Ledgers.Settled, updated.Value.ChargePermission.LastUpdatedTimestamp);
        Assert.Equal("RecurringMetadataUpdated", Assert.Single(updated.Events).Detail);
    }

    [Fact]
    public void Update_OfTheMerchantMetadataAlone_KeepsTheTerms()
    {
        var ledger = Agreements.Recurring();

        var updated = Ledgers.Succeeded(ledger.Update(new MerchantMetadata("order-42", null, null, null), null, Ledgers.Settled, Limits.Default));

        Assert.Equal("order-42", updated.Value.ChargePermission.MerchantMetadata.MerchantReferenceId);
        Assert.Equal(ledger.ChargePermission.RecurringMetadata, updated.Value.ChargePermission.RecurringMetadata);
        Assert.NotNull(updated.Value.ChargePermission.RecurringMetadata);
    }

    [Fact]
    public void Update_WithTheSameTerms_ChangesNothing()
    {
        var ledger = Agreements.Recurring();

        var updated = Ledgers.Succeeded(ledger.Update(null, Agreements.Monthly, Ledgers.Settled, Limits.Default));

        Assert.Empty(updated.Events);
        Assert.Same(ledger.ChargePermission, updated.Value.ChargePermission);
    }

    [Theory]
    [InlineData(ChargePermissionType.OneTime)]
    [InlineData(ChargePermissionType.PaymentMethodOnFile)]
    public void Update_TermsOfAPermissionThatIsNotRecurring_IsInvalid(ChargePermissionType type)
    {
        var ledger = type == ChargePermissionType.OneTime ? Ledgers.Confirmed(Usd.Of(10m)) : Agreements.SavedWallet();

        var refused = ledger.Update(null, Agreements.Monthly, Ledgers.Settled, Limits.Default);

        Assert.Equal(ErrorCode.InvalidParameterValue, refused.Error!.Code);
        Assert.Contains("recurringMetadata", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_TermsInAnotherCurrency_IsCurrencyMismatch()
    {
        var euros = new RecurringMetadata(new Frequency(FrequencyUnit.Month, 1), new Money(14m, Currency.EUR));

        Assert.Equal(ErrorCode.CurrencyMismatch, Agreements.Recurring().Update(null, euros, Ledgers.Settled, Limits.Default).Error!.Code);
    }

    [Fact]
    public void Update_TermsWithABadFrequency_IsInvalid()
    {
        var bad = new RecurringMetadata(new Frequency(FrequencyUnit.Day, 0), null);

        Assert.Equal(ErrorCode.InvalidParameterValue, Agreements.Recurring().Update(null, bad, Ledgers.Settled, Limits.Default).Error!.Code);
    }

    [Fact]
    public void Update_TermsOfAClosedAgreement_IsNotModifiable()
    {
        var closed = Ledgers.Succeeded(Agreements.Recurring().CloseByBuyer(Ledgers.Start)).Value;

        Assert.Equal(ErrorCode.ChargePermissionNotModifiable, closed.Update(null, Agreements.Monthly, Ledgers.Settled, Limits.Default).Error!.Code);
    }

    public enum AgreementState
    {
        Chargeable,
        PaymentMethodInvalid,
        ChargeInProgress,
        MerchantClosed,
        BuyerClosed,
        Expired,
    }

    public enum AgreementOperation
    {
        CreateCharge,
        UpdateTerms,
        CloseByBuyer,
        UpdatePaymentMethod,
        Close,
    }

    public static TheoryData<AgreementState, AgreementOperation, ErrorCode?> StateOperations()
    {
        const ErrorCode Status = ErrorCode.InvalidChargePermissionStatus;
        var data = new TheoryData<AgreementState, AgreementOperation, ErrorCode?>();
        foreach (var state in Enum.GetValues<AgreementState>())
        {
            var closed = state is AgreementState.MerchantClosed or AgreementState.BuyerClosed or AgreementState.Expired;
            data.Add(state, AgreementOperation.CreateCharge, state == AgreementState.Chargeable ? null : Status);
            data.Add(state, AgreementOperation.UpdateTerms, closed ? ErrorCode.ChargePermissionNotModifiable : null);
            data.Add(state, AgreementOperation.CloseByBuyer, closed ? Status : null);
            data.Add(state, AgreementOperation.UpdatePaymentMethod, closed ? Status : null);
            data.Add(state, AgreementOperation.Close, closed ? Status : null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StateOperations))]
    public void EveryState_AllowsOrRefusesEveryOperation(AgreementState state, AgreementOperation operation, ErrorCode? expected)
    {
        var ledger = In(state);
        var at = Ledgers.Start.AddDays(391);

        DomainError? error = operation switch
        {
            AgreementOperation.CreateCharge => ledger.TryCharge(Usd.Of(1m), at: at).Error,
            AgreementOperation.UpdateTerms => ledger.Update(null, new RecurringMetadata(new Frequency(FrequencyUnit.Week, 1), null), at, Limits.Default).Error,
            AgreementOperation.CloseByBuyer => ledger.CloseByBuyer(at).Error,
            AgreementOperation.UpdatePaymentMethod => ledger.UpdatePaymentMethod("c", "Visa ****1111", InstrumentBehavior.Succeeds, at).Error,
            AgreementOperation.Close => ledger.TryClose(at: at).Error,
        };

        Assert.Equal(expected, error?.Code);
    }

    private static PaymentLedger In(AgreementState state)
    {
        // Operations come 391 days after the start; the live ledgers have a charge on day 390 that keeps them from expiring.
        var late = Ledgers.Start.AddDays(390);
        var live = Agreements.Recurring().At(late).Charged(Usd.Of(1m), captureNow: true, at: late).Ledger;
        return state switch
        {
            AgreementState.Chargeable => live,
            AgreementState.PaymentMethodInvalid => live.TryCharge(Usd.Of(1m), simulation: "HardDeclined", at: late).Value!.Ledger.Value,
            AgreementState.ChargeInProgress => Agreements.Ledger(ChargePermissionType.Recurring, InstrumentBehavior.PendingThenAuthorized)
                .At(late).Charged(Usd.Of(1m), canHandlePendingAuthorization: true, at: late).Ledger,
            AgreementState.MerchantClosed => Ledgers.Succeeded(live.TryClose(at: late)).Value,
            AgreementState.BuyerClosed => Ledgers.Succeeded(live.CloseByBuyer(late)).Value,
            AgreementState.Expired => Agreements.Recurring().At(Ledgers.Start.AddDays(400)),
        };
    }
}
