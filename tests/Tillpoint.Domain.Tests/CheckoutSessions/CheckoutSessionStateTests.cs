using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

/// <summary>What an Update replaces, and what each state of a session allows.</summary>
public class CheckoutSessionStateTests
{
    private static readonly UpdateCheckoutSession Nothing = new(null, null, null, null, null, null, null, null);

    private static CheckoutSession Canceled() => Build.NewSession().CancelByBuyer(Times.T0.AddMinutes(1)).Value.Value;

    private static CheckoutSession Expired() => Build.NewSession().AsOf(Times.T0.AddDays(1)).Value;

    private static CheckoutSession Completed() => Build.Completed().Session;

    private static CheckoutSession Closed(string which) => which switch
    {
        "canceled" => Canceled(),
        "expired" => Expired(),
        _ => Completed(),
    };

    [Fact]
    public void Update_EveryFieldGiven_ReplacesTheStoredValue()
    {
        var session = Build.NewSession(Build.Create(
            web: new WebCheckoutDetails(Build.ReviewUrl, Build.ResultUrl, "https://shop.example/cancel", null),
            payment: new PaymentDetails(PaymentIntent.Authorize, true, Usd.Of(10m), Usd.Of(50m), null, Currency.USD, null, null),
            platformId: "SPID-1"));
        session = session.Update(Nothing with { ProviderReferenceId = "provider-1", SupplementaryData = "data-1" }, Times.T0, Limits.Default).Value.Value;
        var kept = session.Update(Nothing, Times.T0, Limits.Default).Value.Value;
        Assert.Equal(("SPID-1", "provider-1", "data-1"), (kept.PlatformId, kept.ProviderReferenceId, kept.SupplementaryData));

        var updated = session.Update(
            new UpdateCheckoutSession(
                "https://shop.example/review-2",
                "https://shop.example/result-2",
                "https://shop.example/cancel-2",
                new PaymentDetailsUpdate(PaymentIntent.AuthorizeWithCapture, false, Usd.Of(20m), Usd.Of(60m), "SHOP", Currency.USD),
                null,
                "SPID-2",
                "provider-2",
                "data-2"),
            Times.T0.AddMinutes(1),
            Limits.Default).Value.Value;

        Assert.Equal(
            new WebCheckoutDetails("https://shop.example/review-2", "https://shop.example/result-2", "https://shop.example/cancel-2", null),
            updated.WebCheckoutDetails);
        Assert.Equal(
            new PaymentDetails(PaymentIntent.AuthorizeWithCapture, false, Usd.Of(20m), Usd.Of(60m), "SHOP", Currency.USD, null, null),
            updated.PaymentDetails);
        Assert.Equal("SPID-2", updated.PlatformId);
        Assert.Equal("provider-2", updated.ProviderReferenceId);
        Assert.Equal("data-2", updated.SupplementaryData);
    }

    [Fact]
    public void Update_PaymentFieldsNotGiven_StayAsStored()
    {
        var stored = Build.Payment(PaymentIntent.AuthorizeWithCapture, Usd.Of(14m), totalOrderAmount: Usd.Of(50m), softDescriptor: "SHOP")
            with { PresentmentCurrency = Currency.USD };
        var session = Build.Configured(stored);

        var updated = session.Update(
            Nothing with { PaymentDetails = new PaymentDetailsUpdate(null, false, null, null, null, null) }, Times.T0, Limits.Default).Value.Value;

        Assert.Equal(stored, updated.PaymentDetails);
    }

    [Fact]
    public void Update_SoftDescriptorAndCurrency_ReplaceTheStoredOnes()
    {
        var session = Build.Configured(Build.Payment(PaymentIntent.AuthorizeWithCapture, Usd.Of(14m), softDescriptor: "OLD") with { PresentmentCurrency = Currency.USD });
        var euros = new Money(20m, Currency.EUR);

        var updated = session.Update(
            Nothing with { PaymentDetails = new PaymentDetailsUpdate(null, null, euros, null, "NEW", Currency.EUR) }, Times.T0, Limits.Default).Value.Value;

        Assert.Equal("NEW", updated.PaymentDetails.SoftDescriptor);
        Assert.Equal(Currency.EUR, updated.PaymentDetails.PresentmentCurrency);
        Assert.Equal(euros, updated.PaymentDetails.ChargeAmount);
    }

    [Fact]
    public void Update_PresentmentCurrencyOtherThanTheStoredChargeAmount_IsCurrencyMismatch()
    {
        var session = Build.Configured();

        var updated = session.Update(
            Nothing with { PaymentDetails = new PaymentDetailsUpdate(null, null, null, null, null, Currency.EUR) }, Times.T0, Limits.Default);

        Assert.Equal(ErrorCode.CurrencyMismatch, updated.Error?.Code);
    }

    [Theory]
    [InlineData(CheckoutSessionReasonCode.BuyerCanceled)]
    [InlineData(CheckoutSessionReasonCode.Declined)]
    [InlineData(CheckoutSessionReasonCode.AmazonCanceled)]
    public void Update_WithASimulatedCancellation_CancelsAtProcessingWithThatReason(CheckoutSessionReasonCode reason)
    {
        var configured = Build.Configured().Update(Nothing, Times.T0, Limits.Default, CheckoutSessionReasonCode.Expired).Value.Value;
        // A later simulation code replaces the earlier one; an update without one keeps it.
        var simulated = configured.Update(Nothing, Times.T0, Limits.Default, reason).Value.Value.Update(Nothing, Times.T0, Limits.Default).Value.Value;
        var ready = simulated.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds), Times.T0.AddMinutes(1)).Value.Value;
        var at = Times.T0.AddMinutes(2);

        var processed = ready.Process(at);

        Assert.Equal(reason, simulated.SimulatedCancellation);
        var session = processed.Value.Value;
        Assert.Equal(CheckoutSessionState.Canceled, session.State);
        Assert.Equal(reason, session.ReasonCode);
        Assert.Equal(at, session.LastUpdatedTimestamp);
        var e = Assert.Single(processed.Value.Events);
        Assert.Equal(reason.ToString(), e.ReasonCode);
    }

    [Fact]
    public void NextDueAt_IsTheExpiryWhileOpen_AndNothingAfterwards()
    {
        var open = Build.Ready();

        Assert.Equal(Times.T0.AddHours(24), open.NextDueAt);
        Assert.Null(Canceled().NextDueAt);
        Assert.Null(Expired().NextDueAt);
        Assert.Null(Completed().NextDueAt);
    }

    [Fact]
    public void Constraints_OfASessionNoLongerOpen_AreNone()
    {
        // Both sessions still miss every piece a buyer would need; only an Open session lists them.
        Assert.Empty(Canceled().Constraints);
        Assert.Empty(Expired().Constraints);
        Assert.False(Canceled().IsReadyForProcessing);
    }

    [Theory]
    [InlineData("canceled", "Canceled")]
    [InlineData("expired", "Canceled")]
    [InlineData("completed", "Completed")]
    public void Update_OfASessionNoLongerOpen_NamesItsStateBeforeCheckingTheRequest(string which, string state)
    {
        var session = Closed(which);

        var error = session.Update(Nothing with { CheckoutCancelUrl = "not a url" }, Times.T0.AddDays(2), Limits.Default).Error;

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, error?.Code);
        Assert.Contains(state, error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_OfAProcessedSession_IsRefusedBeforeCheckingTheRequest()
    {
        var error = Build.Processed().Update(Nothing with { CheckoutCancelUrl = "not a url" }, Times.T0.AddMinutes(5), Limits.Default).Error;

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, error?.Code);
    }

    [Theory]
    [InlineData("canceled", "Canceled")]
    [InlineData("expired", "Canceled")]
    [InlineData("completed", "Completed")]
    public void BuyerSteps_OnASessionNoLongerOpen_AreInvalidStatusNamingTheState(string which, string state)
    {
        var session = Closed(which);
        var at = Times.T0.AddDays(2);

        DomainError?[] errors =
        [
            session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds), at).Error,
            session.ChooseAnotherInstrument("visa-1111", "Visa ****1111", InstrumentBehavior.Succeeds, at).Error,
            session.Process(at).Error,
            session.CancelByBuyer(at).Error,
        ];

        Assert.All(errors, error =>
        {
            Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, error?.Code);
            Assert.Contains(state, error!.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Complete_Pending_RecordsThePermissionBecomingNonChargeable()
    {
        var completed = Build.Completed(Build.Payment(PaymentIntent.Authorize, canHandlePendingAuthorization: true), InstrumentBehavior.PendingThenAuthorized);

        Assert.Equal(
            ["Chargeable", "NonChargeable"],
            completed.Events.Where(e => e.ObjectType == ObjectType.ChargePermission).Select(e => e.ToState));
    }

    [Fact]
    public void IsPending_OnlyWhileTheAuthorizationIsInitiated()
    {
        Assert.False(Build.Completed(Build.Payment(PaymentIntent.Confirm)).IsPending);
        Assert.False(Build.Completed(Build.Payment(PaymentIntent.Authorize)).IsPending);
        Assert.True(Build.Completed(Build.Payment(PaymentIntent.Authorize, canHandlePendingAuthorization: true), InstrumentBehavior.PendingThenAuthorized).IsPending);
    }

    [Fact]
    public void ChooseAnotherInstrument_AfterProcessing_IsRefusedAsProcessed()
    {
        var error = Build.Processed().ChooseAnotherInstrument("visa-1111", "Visa ****1111", InstrumentBehavior.Succeeds, Times.T0.AddMinutes(5)).Error;

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, error?.Code);
        // Not the "nothing was declined" refusal: the session is past the buyer's steps.
        Assert.Contains("payment processing", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CancelByBuyer_AfterProcessing_StillCancels()
    {
        var at = Times.T0.AddMinutes(5);

        var canceled = Build.Processed().CancelByBuyer(at);

        Assert.Equal(CheckoutSessionState.Canceled, canceled.Value.Value.State);
        Assert.Equal(CheckoutSessionReasonCode.BuyerCanceled, canceled.Value.Value.ReasonCode);
        var e = Assert.Single(canceled.Value.Events);
        Assert.Equal("Open", e.FromState);
        Assert.Equal(at, e.At);
    }

    [Fact]
    public void CheckCompletable_TotalOrderAmountGivenButNotOnTheSession_IsNotCompared()
    {
        Assert.Null(Build.Processed().CheckCompletable(Usd.Of(14m), Usd.Of(99m)));
    }

    [Fact]
    public void CheckCompletable_Canceled_NamesTheReason()
    {
        var error = Expired().CheckCompletable(Usd.Of(14m), null);

        Assert.Equal(ErrorCode.CheckoutSessionCanceled, error?.Code);
        Assert.Contains(nameof(CheckoutSessionReasonCode.Expired), error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PaymentIntent.Authorize, true, true)]
    [InlineData(PaymentIntent.Authorize, false, false)]
    [InlineData(PaymentIntent.Confirm, false, false)]
    [InlineData(PaymentIntent.AuthorizeWithCapture, false, false)]
    public void CanAuthorizeAsynchronously_OnlyWithAuthorizeAndCanHandlePendingAuthorization(PaymentIntent intent, bool canHandle, bool expected)
    {
        Assert.Equal(expected, Build.NewSession(Build.Create(payment: Build.Payment(intent, canHandlePendingAuthorization: canHandle))).CanAuthorizeAsynchronously);
    }

    [Fact]
    public void CanAuthorizeAsynchronously_WithoutAnIntent_IsFalse()
    {
        Assert.False(Build.NewSession(Build.Create(payment: Build.Payment(null, canHandlePendingAuthorization: true))).CanAuthorizeAsynchronously);
    }
}
