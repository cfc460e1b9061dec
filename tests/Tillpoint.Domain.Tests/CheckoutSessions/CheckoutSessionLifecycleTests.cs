using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

public class CheckoutSessionConstraintTests
{
    private static readonly UpdateCheckoutSession Nothing = new(null, null, null, null, null, null, null, null);

    [Fact]
    public void Constraints_ListEachMissingPiece()
    {
        var session = Build.NewSession(Build.Create(payment: new PaymentDetails(null, false, Usd.Of(5m), null, null, null, null, null)));

        Assert.Equal(
            [ConstraintId.BuyerNotAssociated, ConstraintId.CheckoutResultReturnUrlNotSet, ConstraintId.PaymentIntentNotSet],
            session.Constraints);
    }

    [Fact]
    public void Constraints_ChargeAmountMissing_IsListed()
    {
        var session = Build.NewSession(Build.Create(payment: new PaymentDetails(PaymentIntent.Confirm, false, null, null, null, null, null, null)));

        Assert.Equal(
            [ConstraintId.BuyerNotAssociated, ConstraintId.ChargeAmountNotSet, ConstraintId.CheckoutResultReturnUrlNotSet],
            session.Constraints);
    }

    [Fact]
    public void Constraints_OnlyTheBuyerMissing_AfterConfiguration()
    {
        var session = Build.Configured();

        Assert.Equal([ConstraintId.BuyerNotAssociated], session.Constraints);
        Assert.False(session.IsReadyForProcessing);
    }

    [Fact]
    public void IsReadyForProcessing_WhenNothingIsMissing()
    {
        var session = Build.Ready();

        Assert.Empty(session.Constraints);
        Assert.True(session.IsReadyForProcessing);
    }

    [Fact]
    public void IsReadyForProcessing_FalseOnceCanceled()
    {
        var canceled = Build.Ready().CancelByBuyer(Times.T0.AddMinutes(5)).Value.Value;

        Assert.Empty(canceled.Constraints);
        Assert.False(canceled.IsReadyForProcessing);
    }

    [Fact]
    public void Update_ResultUrlIntentAndAmount_RemoveTheirConstraints()
    {
        var session = Build.NewSession();

        var updated = session.Update(
            new UpdateCheckoutSession(
                null, Build.ResultUrl, null, new PaymentDetailsUpdate(PaymentIntent.Authorize, null, Usd.Of(9.99m), null, null, null),
                null, null, null, null),
            Times.T0.AddMinutes(1),
            Limits.Default);

        Assert.True(updated.IsSuccess);
        Assert.Equal([ConstraintId.BuyerNotAssociated], updated.Value.Value.Constraints);
        Assert.Empty(updated.Value.Events);
    }

    [Fact]
    public void Update_MergesGivenFieldsAndKeepsTheRest()
    {
        var session = Build.NewSession(Build.Create(
            web: new WebCheckoutDetails(Build.ReviewUrl, null, "https://shop.example/cancel", null),
            payment: Build.Payment(PaymentIntent.Authorize, Usd.Of(10m), canHandlePendingAuthorization: true, totalOrderAmount: Usd.Of(50m)),
            metadata: new MerchantMetadata("ref-1", "Store", "note", null),
            platformId: "SPID-1"));

        var updated = session.Update(
            new UpdateCheckoutSession(
                null,
                Build.ResultUrl,
                null,
                new PaymentDetailsUpdate(null, null, Usd.Of(12.50m), null, null, null),
                new MerchantMetadata("ref-2", null, null, "info"),
                null,
                "provider-1",
                "supplementary"),
            Times.T0.AddMinutes(1),
            Limits.Default).Value.Value;

        Assert.Equal(new WebCheckoutDetails(Build.ReviewUrl, Build.ResultUrl, "https://shop.example/cancel", null), updated.WebCheckoutDetails);
        Assert.Equal(PaymentIntent.Authorize, updated.PaymentDetails.PaymentIntent);
        Assert.True(updated.PaymentDetails.CanHandlePendingAuthorization);
        Assert.Equal(Usd.Of(12.50m), updated.PaymentDetails.ChargeAmount);
        Assert.Equal(Usd.Of(50m), updated.PaymentDetails.TotalOrderAmount);
        Assert.Equal(new MerchantMetadata("ref-2", "Store", "note", "info"), updated.MerchantMetadata);
        Assert.Equal("SPID-1", updated.PlatformId);
        Assert.Equal("provider-1", updated.ProviderReferenceId);
        Assert.Equal("supplementary", updated.SupplementaryData);
        Assert.Equal(session.CheckoutSessionId, updated.CheckoutSessionId);
        Assert.Equal(CheckoutSessionState.Open, updated.State);
    }

    [Fact]
    public void Update_WithNothingGiven_ChangesNothingButTheTimestamp()
    {
        var session = Build.Configured();
        var at = Times.T0.AddMinutes(1);

        var updated = session.Update(Nothing, at, Limits.Default);

        Assert.True(updated.IsSuccess);
        Assert.Equal(session with { LastUpdatedTimestamp = at }, updated.Value.Value);
        Assert.Empty(updated.Value.Events);
    }

    [Fact]
    public void Update_CanHandlePendingAuthorization_CanBeTurnedOff()
    {
        var session = Build.Configured(Build.Payment(canHandlePendingAuthorization: true));

        var updated = session.Update(
            Nothing with { PaymentDetails = new PaymentDetailsUpdate(null, false, null, null, null, null) },
            Times.T0,
            Limits.Default).Value.Value;

        Assert.False(updated.PaymentDetails.CanHandlePendingAuthorization);
    }

    [Fact]
    public void Update_ProcessedSession_IsInvalidStatus()
    {
        var processed = Build.Processed();

        var updated = processed.Update(Nothing with { SupplementaryData = "x" }, Times.T0.AddMinutes(5), Limits.Default);

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, updated.Error?.Code);
    }

    [Fact]
    public void Update_CanceledSession_IsInvalidStatus()
    {
        var canceled = Build.Configured().CancelByBuyer(Times.T0.AddMinutes(1)).Value.Value;

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, canceled.Update(Nothing, Times.T0.AddMinutes(2), Limits.Default).Error?.Code);
    }

    [Fact]
    public void Update_ExpiredSession_IsInvalidStatus()
    {
        var expired = Build.Configured().AsOf(Times.T0.AddDays(2)).Value;

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, expired.Update(Nothing, Times.T0.AddDays(2), Limits.Default).Error?.Code);
    }

    [Fact]
    public void Update_CompletedSession_IsInvalidStatus()
    {
        var completed = Build.Completed().Session;

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, completed.Update(Nothing, Times.T0.AddMinutes(5), Limits.Default).Error?.Code);
    }

    [Fact]
    public void Update_SoftDescriptorWithAnAuthorizeSession_IsInvalidCombination()
    {
        var session = Build.Configured(Build.Payment(PaymentIntent.Authorize));

        var updated = session.Update(
            Nothing with { PaymentDetails = new PaymentDetailsUpdate(null, null, null, null, "SHOP", null) }, Times.T0, Limits.Default);

        Assert.Equal(ErrorCode.InvalidParameterCombination, updated.Error?.Code);
    }

    [Fact]
    public void Update_IntentThatNoLongerFitsTheStoredSoftDescriptor_IsInvalidCombination()
    {
        var session = Build.Configured(Build.Payment(PaymentIntent.AuthorizeWithCapture, softDescriptor: "SHOP"));

        var updated = session.Update(
            Nothing with { PaymentDetails = new PaymentDetailsUpdate(PaymentIntent.Authorize, null, null, null, null, null) },
            Times.T0,
            Limits.Default);

        Assert.Equal(ErrorCode.InvalidParameterCombination, updated.Error?.Code);
    }

    [Fact]
    public void Update_ChargeAmountAboveTheStoredTotal_IsRefused()
    {
        var session = Build.Configured(Build.Payment(totalOrderAmount: Usd.Of(20m)));

        var updated = session.Update(
            Nothing with { PaymentDetails = new PaymentDetailsUpdate(null, null, Usd.Of(20.01m), null, null, null) }, Times.T0, Limits.Default);

        Assert.Equal(ErrorCode.InvalidParameterValue, updated.Error?.Code);
    }

    [Fact]
    public void Update_HttpUrlInLive_IsRefused()
    {
        var session = Build.NewSession(environment: ReleaseEnvironment.Live);

        var updated = session.Update(Nothing with { CheckoutResultReturnUrl = "http://localhost/result" }, Times.T0, Limits.Default);

        Assert.Equal(ErrorCode.InvalidParameterValue, updated.Error?.Code);
    }

    [Fact]
    public void Update_SupplementaryDataOverItsLimit_IsRefused()
    {
        var session = Build.NewSession();

        Assert.True(session.Update(Nothing with { SupplementaryData = new string('s', 1024) }, Times.T0, Limits.Default).IsSuccess);
        Assert.Equal(
            ErrorCode.InvalidParameterValue,
            session.Update(Nothing with { SupplementaryData = new string('s', 1025) }, Times.T0, Limits.Default).Error?.Code);
    }

    [Fact]
    public void Update_MetadataOverItsLimit_IsRefused()
    {
        var session = Build.NewSession();

        var updated = session.Update(
            Nothing with { MerchantMetadata = MerchantMetadata.Empty with { MerchantStoreName = new string('n', 51) } }, Times.T0, Limits.Default);

        Assert.Equal(ErrorCode.InvalidParameterValue, updated.Error?.Code);
    }
}

public class CheckoutSessionExpiryTests
{
    [Fact]
    public void AsOf_BeforeExpiry_LeavesTheSessionUnchanged()
    {
        var session = Build.Configured();

        var asOf = session.AsOf(session.ExpirationTimestamp.AddTicks(-1));

        Assert.Same(session, asOf.Value);
        Assert.Empty(asOf.Events);
    }

    [Fact]
    public void AsOf_After24Hours_CancelsAsExpiredAtTheExpirationInstant()
    {
        var session = Build.Configured();
        var later = Times.T0.AddHours(30);

        var asOf = session.AsOf(later);

        var expired = asOf.Value;
        Assert.Equal(CheckoutSessionState.Canceled, expired.State);
        Assert.Equal(CheckoutSessionReasonCode.Expired, expired.ReasonCode);
        Assert.NotNull(expired.ReasonDescription);
        Assert.Equal(Times.T0.AddHours(24), expired.LastUpdatedTimestamp);
        Assert.Equal(session.ExpirationTimestamp, expired.LastUpdatedTimestamp);
        var e = Assert.Single(asOf.Events);
        Assert.Equal("Open", e.FromState);
        Assert.Equal("Canceled", e.ToState);
        Assert.Equal(nameof(CheckoutSessionReasonCode.Expired), e.ReasonCode);
        Assert.Equal(session.ExpirationTimestamp, e.At);
        Assert.Equal(session.CheckoutSessionId, e.ObjectId);
    }

    [Fact]
    public void AsOf_ExactlyAtExpiry_Expires()
    {
        var session = Build.Configured();

        Assert.Equal(CheckoutSessionState.Canceled, session.AsOf(session.ExpirationTimestamp).Value.State);
    }

    [Fact]
    public void AsOf_AppliedTwice_EmitsTheExpiryOnce()
    {
        var expired = Build.Configured().AsOf(Times.T0.AddDays(1)).Value;

        var again = expired.AsOf(Times.T0.AddDays(3));

        Assert.Same(expired, again.Value);
        Assert.Empty(again.Events);
    }

    [Fact]
    public void AsOf_CompletedSessionPastExpiry_StaysCompleted()
    {
        var completed = Build.Completed().Session;

        var asOf = completed.AsOf(Times.T0.AddDays(10));

        Assert.Equal(CheckoutSessionState.Completed, asOf.Value.State);
        Assert.Empty(asOf.Events);
    }

    [Fact]
    public void AsOf_ProcessedButNotCompletedSession_StillExpires()
    {
        var processed = Build.Processed();

        var asOf = processed.AsOf(Times.T0.AddDays(1));

        Assert.Equal(CheckoutSessionState.Canceled, asOf.Value.State);
        Assert.Equal(ErrorCode.CheckoutSessionCanceled, asOf.Value.CheckCompletable(Usd.Of(14m), null)?.Code);
    }
}

public class CheckoutSessionBuyerTests
{
    private static readonly DateTimeOffset At = Times.T0.AddMinutes(1);

    private static DeliverySpecifications Restrict(params SpecialRestriction[] restrictions) => new(restrictions, null, null);

    private static DeliverySpecifications Addresses(AddressRestrictionType type, string country, string[] states, string[] zips) =>
        new(null, type, new Dictionary<string, AddressRestriction> { [country] = new(states, zips) });

    [Fact]
    public void AssociateBuyer_KeepsTheSelectionAndTouchesTheTimestamp()
    {
        var session = Build.Configured();
        var selection = Build.Selection(InstrumentBehavior.Succeeds, Build.JanePortland);

        var associated = session.AssociateBuyer(selection, At);

        Assert.True(associated.IsSuccess);
        Assert.Equal(selection, associated.Value.Value.Selection);
        Assert.Equal(Build.JanePortland, associated.Value.Value.Selection!.ShippingAddress);
        Assert.Equal(At, associated.Value.Value.LastUpdatedTimestamp);
        Assert.Empty(associated.Value.Events);
    }

    [Fact]
    public void AssociateBuyer_AgainBeforeProcessing_ReplacesTheSelection()
    {
        var first = Build.Configured().AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds), At).Value.Value;

        var second = first.AssociateBuyer(Build.Selection(InstrumentBehavior.Declines, Build.JanePortland), At.AddMinutes(1));

        Assert.Equal("visa-3434", second.Value.Value.Selection!.InstrumentId);
        Assert.Equal(Build.JanePortland, second.Value.Value.Selection!.ShippingAddress);
    }

    [Fact]
    public void AssociateBuyer_ByAnotherBuyer_IsRefused_AndKeepsTheFirstBuyersChoice()
    {
        var first = Build.Configured().AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds), At).Value.Value;

        var taken = first.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.Erika.Addresses[0], Build.Erika), At.AddMinutes(1));

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, taken.Error?.Code);
        Assert.Contains("Another buyer", taken.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(Build.Jane.BuyerId, first.Selection!.Buyer.BuyerId);
    }

    [Fact]
    public void AssociateBuyer_PayAndShipWithoutAnyAddress_IsMissingShippingAddress()
    {
        var session = Build.Configured();

        var associated = session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds) with { ShippingAddress = null }, At);

        Assert.Equal(ErrorCode.MissingParameterValue, associated.Error?.Code);
        Assert.Contains("shippingAddress", associated.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssociateBuyer_PayOnly_KeepsNoShippingAddress()
    {
        var session = Build.Configured(productType: ProductType.PayOnly);

        var associated = session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JaneHome), At);

        Assert.True(associated.IsSuccess);
        Assert.Null(associated.Value.Value.Selection!.ShippingAddress);
        Assert.Equal(Build.Jane.BillingAddress, associated.Value.Value.Selection!.BillingAddress);
    }

    [Fact]
    public void AssociateBuyer_PayOnlyWithoutShippingAddress_IsAllowed()
    {
        var session = Build.Configured(productType: ProductType.PayOnly);

        var associated = session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds) with { ShippingAddress = null }, At);

        Assert.True(associated.IsSuccess);
        Assert.True(associated.Value.Value.IsReadyForProcessing);
    }

    [Fact]
    public void AssociateBuyer_MerchantSuppliedAddress_IsTheShippingAddress()
    {
        var session = Build.NewSession(Build.Create(
            web: new WebCheckoutDetails(null, Build.ResultUrl, null, CheckoutMode.ProcessOrder),
            payment: Build.Payment(),
            addressDetails: Build.JanePortland));

        var associated = session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds) with { ShippingAddress = null }, At);

        Assert.Equal(Build.JanePortland, associated.Value.Value.Selection!.ShippingAddress);
        Assert.True(associated.Value.Value.IsReadyForProcessing);
    }

    [Fact]
    public void AssociateBuyer_PoBoxWhenRestricted_IsRefused()
    {
        var session = Build.Configured(delivery: Restrict(SpecialRestriction.RestrictPOBoxes));

        var refused = session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePoBox), At);
        var allowed = session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JaneHome), At);

        Assert.Equal(ErrorCode.InvalidParameterValue, refused.Error?.Code);
        Assert.Contains("shippingAddress", refused.Error!.Message, StringComparison.Ordinal);
        Assert.True(allowed.IsSuccess);
    }

    [Fact]
    public void AssociateBuyer_PoBoxWithoutRestriction_IsAllowed()
    {
        var session = Build.Configured(delivery: Restrict(SpecialRestriction.RestrictPackstations));

        Assert.True(session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePoBox), At).IsSuccess);
    }

    [Fact]
    public void AssociateBuyer_PackstationWhenRestricted_IsRefused()
    {
        var session = Build.Configured(delivery: Restrict(SpecialRestriction.RestrictPackstations));
        var packstation = Build.Erika.Addresses[1];

        var refused = session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, packstation, Build.Erika), At);
        var allowed = session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.Erika.Addresses[0], Build.Erika), At);

        Assert.Equal(ErrorCode.InvalidParameterValue, refused.Error?.Code);
        Assert.True(allowed.IsSuccess);
    }

    [Fact]
    public void AssociateBuyer_AllowedStates_AcceptOnlyThoseStates()
    {
        var session = Build.Configured(delivery: Addresses(AddressRestrictionType.Allowed, "US", ["WA"], []));

        Assert.True(session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JaneHome), At).IsSuccess);
        Assert.Equal(
            ErrorCode.InvalidParameterValue,
            session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePortland), At).Error?.Code);
    }

    [Fact]
    public void AssociateBuyer_NotAllowedStates_RefuseOnlyThoseStates()
    {
        var session = Build.Configured(delivery: Addresses(AddressRestrictionType.NotAllowed, "US", ["WA"], []));

        Assert.Equal(
            ErrorCode.InvalidParameterValue,
            session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JaneHome), At).Error?.Code);
        Assert.True(session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePortland), At).IsSuccess);
    }

    [Fact]
    public void AssociateBuyer_AllowedZipCodes_AcceptOnlyThoseZipCodes()
    {
        var session = Build.Configured(delivery: Addresses(AddressRestrictionType.Allowed, "US", [], ["97201"]));

        Assert.True(session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePortland), At).IsSuccess);
        Assert.False(session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JaneHome), At).IsSuccess);
    }

    [Fact]
    public void AssociateBuyer_AllowedCountryWithoutDetails_CoversTheWholeCountry()
    {
        var usOnly = Build.Configured(delivery: Addresses(AddressRestrictionType.Allowed, "US", [], []));

        Assert.True(usOnly.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePortland), At).IsSuccess);
        Assert.False(usOnly.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.Erika.Addresses[0], Build.Erika), At).IsSuccess);
    }

    [Fact]
    public void AssociateBuyer_NotAllowedCountry_RefusesTheWholeCountry()
    {
        var notUs = Build.Configured(delivery: Addresses(AddressRestrictionType.NotAllowed, "US", [], []));

        Assert.False(notUs.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePortland), At).IsSuccess);
        Assert.True(notUs.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.Erika.Addresses[0], Build.Erika), At).IsSuccess);
    }

    [Fact]
    public void AssociateBuyer_AfterProcessing_IsInvalidStatus()
    {
        var processed = Build.Processed();

        Assert.Equal(
            ErrorCode.InvalidCheckoutSessionStatus,
            processed.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds), At.AddMinutes(5)).Error?.Code);
    }

    [Fact]
    public void AssociateBuyer_CanceledSession_IsInvalidStatus()
    {
        var canceled = Build.Configured().CancelByBuyer(At).Value.Value;

        Assert.Equal(
            ErrorCode.InvalidCheckoutSessionStatus,
            canceled.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds), At).Error?.Code);
    }
}

public class CheckoutSessionProcessTests
{
    private static readonly DateTimeOffset At = Times.T0.AddMinutes(2);

    [Theory]
    [InlineData(PaymentIntent.Confirm, false, InstrumentBehavior.Succeeds, null)]
    [InlineData(PaymentIntent.Authorize, false, InstrumentBehavior.Succeeds, null)]
    [InlineData(PaymentIntent.Authorize, true, InstrumentBehavior.Succeeds, null)]
    [InlineData(PaymentIntent.AuthorizeWithCapture, false, InstrumentBehavior.Succeeds, null)]
    [InlineData(PaymentIntent.Confirm, false, InstrumentBehavior.BuyerCancels, CheckoutSessionReasonCode.BuyerCanceled)]
    [InlineData(PaymentIntent.Authorize, false, InstrumentBehavior.BuyerCancels, CheckoutSessionReasonCode.BuyerCanceled)]
    [InlineData(PaymentIntent.Authorize, true, InstrumentBehavior.BuyerCancels, CheckoutSessionReasonCode.BuyerCanceled)]
    [InlineData(PaymentIntent.AuthorizeWithCapture, false, InstrumentBehavior.BuyerCancels, CheckoutSessionReasonCode.BuyerCanceled)]
    [InlineData(PaymentIntent.Confirm, false, InstrumentBehavior.Declines, null)]
    [InlineData(PaymentIntent.Authorize, false, InstrumentBehavior.Declines, CheckoutSessionReasonCode.Declined)]
    [InlineData(PaymentIntent.Authorize, true, InstrumentBehavior.Declines, CheckoutSessionReasonCode.Declined)]
    [InlineData(PaymentIntent.AuthorizeWithCapture, false, InstrumentBehavior.Declines, CheckoutSessionReasonCode.Declined)]
    [InlineData(PaymentIntent.Confirm, false, InstrumentBehavior.PendingThenAuthorized, null)]
    [InlineData(PaymentIntent.Authorize, false, InstrumentBehavior.PendingThenAuthorized, null)]
    [InlineData(PaymentIntent.Authorize, true, InstrumentBehavior.PendingThenAuthorized, null)]
    [InlineData(PaymentIntent.AuthorizeWithCapture, false, InstrumentBehavior.PendingThenAuthorized, null)]
    [InlineData(PaymentIntent.Confirm, false, InstrumentBehavior.PendingThenDeclined, null)]
    [InlineData(PaymentIntent.Authorize, false, InstrumentBehavior.PendingThenDeclined, CheckoutSessionReasonCode.Declined)]
    [InlineData(PaymentIntent.Authorize, true, InstrumentBehavior.PendingThenDeclined, null)]
    [InlineData(PaymentIntent.AuthorizeWithCapture, false, InstrumentBehavior.PendingThenDeclined, CheckoutSessionReasonCode.Declined)]
    [InlineData(PaymentIntent.Confirm, false, InstrumentBehavior.SoftDeclines, null)]
    public void Process_OutcomeDependsOnInstrumentAndIntent(
        PaymentIntent intent, bool canHandlePendingAuthorization, InstrumentBehavior behavior, CheckoutSessionReasonCode? canceledReason)
    {
        var ready = Build.Ready(Build.Payment(intent, canHandlePendingAuthorization: canHandlePendingAuthorization), behavior);

        var processed = ready.Process(At);

        Assert.True(processed.IsSuccess);
        var session = processed.Value.Value;
        if (canceledReason is null)
        {
            Assert.Equal(CheckoutSessionState.Open, session.State);
            Assert.True(session.Processed);
            Assert.Null(session.ReasonCode);
            Assert.Empty(processed.Value.Events);
            Assert.Null(session.CheckCompletable(session.PaymentDetails.ChargeAmount!.Value, null));
        }
        else
        {
            Assert.Equal(CheckoutSessionState.Canceled, session.State);
            Assert.Equal(canceledReason, session.ReasonCode);
            Assert.Equal(At, session.LastUpdatedTimestamp);
            var e = Assert.Single(processed.Value.Events);
            Assert.Equal("Open", e.FromState);
            Assert.Equal("Canceled", e.ToState);
            Assert.Equal(canceledReason.ToString(), e.ReasonCode);
            Assert.Equal(At, e.At);
            Assert.Equal(ErrorCode.CheckoutSessionCanceled, session.CheckCompletable(session.PaymentDetails.ChargeAmount!.Value, null)?.Code);
        }
    }

    [Fact]
    public void Process_Twice_IsIdempotent()
    {
        var once = Build.Ready().Process(At).Value.Value;

        var twice = once.Process(At.AddMinutes(1));

        Assert.True(twice.IsSuccess);
        Assert.Same(once, twice.Value.Value);
        Assert.Empty(twice.Value.Events);
    }

    [Fact]
    public void Process_WhileConstraintsRemain_IsInvalidStatus()
    {
        var processed = Build.Configured().Process(At);

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, processed.Error?.Code);
        Assert.Contains(nameof(ConstraintId.BuyerNotAssociated), processed.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_CanceledSession_IsInvalidStatus()
    {
        var canceled = Build.Ready(behavior: InstrumentBehavior.BuyerCancels).Process(At).Value.Value;

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, canceled.Process(At.AddMinutes(1)).Error?.Code);
    }

    [Fact]
    public void CancelByBuyer_OpenSession_CancelsWithOneEvent()
    {
        var canceled = Build.Configured().CancelByBuyer(At);

        Assert.Equal(CheckoutSessionState.Canceled, canceled.Value.Value.State);
        Assert.Equal(CheckoutSessionReasonCode.BuyerCanceled, canceled.Value.Value.ReasonCode);
        Assert.Equal(At, canceled.Value.Value.LastUpdatedTimestamp);
        Assert.Single(canceled.Value.Events);
    }

    [Fact]
    public void CancelByBuyer_Twice_IsInvalidStatus()
    {
        var canceled = Build.Configured().CancelByBuyer(At).Value.Value;

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, canceled.CancelByBuyer(At).Error?.Code);
    }
}

public class CheckoutSessionCompletableTests
{
    [Fact]
    public void CheckCompletable_ProcessedSessionWithTheSameAmount_Passes()
    {
        Assert.Null(Build.Processed().CheckCompletable(Usd.Of(14.0m), null));
    }

    [Fact]
    public void CheckCompletable_Canceled_IsCheckoutSessionCanceled()
    {
        var canceled = Build.Ready(behavior: InstrumentBehavior.Declines).Process(Times.T0.AddMinutes(2)).Value.Value;

        var error = canceled.CheckCompletable(Usd.Of(14m), null);

        Assert.Equal(ErrorCode.CheckoutSessionCanceled, error?.Code);
        Assert.Contains(nameof(CheckoutSessionReasonCode.Declined), error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckCompletable_Completed_IsInvalidStatus()
    {
        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, Build.Completed().Session.CheckCompletable(Usd.Of(14m), null)?.Code);
    }

    [Fact]
    public void CheckCompletable_NotProcessed_IsInvalidStatus()
    {
        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, Build.Ready().CheckCompletable(Usd.Of(14m), null)?.Code);
    }

    [Fact]
    public void CheckCompletable_OtherCurrency_IsCurrencyMismatch()
    {
        Assert.Equal(ErrorCode.CurrencyMismatch, Build.Processed().CheckCompletable(new Money(14m, Currency.EUR), null)?.Code);
    }

    [Theory]
    [InlineData("13.99")]
    [InlineData("14.01")]
    public void CheckCompletable_OtherAmount_IsAmountMismatch(string amount)
    {
        var error = Build.Processed().CheckCompletable(Usd.Of(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)), null);

        Assert.Equal(ErrorCode.AmountMismatch, error?.Code);
    }

    [Fact]
    public void CheckCompletable_OtherTotalOrderAmount_IsAmountMismatch()
    {
        var session = Build.Processed(Build.Payment(chargeAmount: Usd.Of(14m), totalOrderAmount: Usd.Of(40m)));

        Assert.Equal(ErrorCode.AmountMismatch, session.CheckCompletable(Usd.Of(14m), Usd.Of(41m))?.Code);
        Assert.Null(session.CheckCompletable(Usd.Of(14m), Usd.Of(40.00m)));
        Assert.Null(session.CheckCompletable(Usd.Of(14m), null));
    }
}
