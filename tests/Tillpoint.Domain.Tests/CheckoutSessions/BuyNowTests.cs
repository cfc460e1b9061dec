using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

/// <summary>Buy Now checkouts: no return URLs, amounts from the cart the buyer was shown, Finalize held to it.</summary>
public class BuyNowTests
{
    private static readonly DateTimeOffset Now = Times.T0.AddMinutes(2);

    private static readonly ShownCart Cart = new(Usd.Of(25.00m), Usd.Of(27.00m), "standard", "{}");

    private static CreateCheckoutSession BuyNowCommand(PaymentDetails? payment = null, WebCheckoutDetails? web = null) =>
        Build.Create(web: web ?? new WebCheckoutDetails(null, null, null, null), payment: payment) with { BuyNow = true };

    private static CheckoutSession SignedIn(Address? shipping = null)
    {
        var session = Build.NewSession(BuyNowCommand(new PaymentDetails(PaymentIntent.Authorize, false, null, null, null, null, null, null)));
        var associated = session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, shipping), Times.T0.AddMinutes(1));
        Assert.Null(associated.Error);
        return associated.Value.Value;
    }

    private static CheckoutSession Shown(ShownCart? cart = null)
    {
        var shown = SignedIn().ShowCart(cart ?? Cart, Now, Limits.Default);
        Assert.Null(shown.Error);
        return shown.Value.Value;
    }

    private static FinalizeCheckoutSession Finalize(Money chargeAmount, Money? totalOrderAmount = null, Address? shipping = null) =>
        new(chargeAmount, totalOrderAmount, PaymentIntent.AuthorizeWithCapture, null, null, shipping ?? Build.JaneHome, null);

    private static Result<CompletedCheckout> Completed(CheckoutSession session, FinalizeCheckoutSession command)
    {
        var processed = CheckoutCompletion.Agree(session, command).Process(Now);
        return processed.IsSuccess
            ? CheckoutCompletion.Finalize(processed.Value.Value, command, new SequentialIds(), null, Now, Limits.Default)
            : processed.Error;
    }

    [Fact]
    public void Create_BuyNowWithoutReturnUrls_IsOpenWithOnlyTheBuyerAndAmountConstraints()
    {
        var session = Build.NewSession(BuyNowCommand(new PaymentDetails(PaymentIntent.Authorize, false, null, null, null, null, null, null)));

        Assert.True(session.BuyNow);
        Assert.Null(session.Cart);
        Assert.Equal([ConstraintId.BuyerNotAssociated, ConstraintId.ChargeAmountNotSet], session.Constraints);
    }

    [Fact]
    public void Create_RedirectCheckoutWithoutReviewUrl_IsStillRefused()
    {
        var created = Build.TryCreate(BuyNowCommand() with { BuyNow = false });

        Assert.Equal(ErrorCode.MissingParameterValue, created.Error!.Code);
    }

    [Fact]
    public void Create_BuyNowWithChargeAmount_IsInvalidParameterCombination()
    {
        var created = Build.TryCreate(BuyNowCommand(Build.Payment()));

        Assert.Equal(ErrorCode.InvalidParameterCombination, created.Error!.Code);
        Assert.Contains("cart", created.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BuyNowWithOnlyTotalOrderAmount_IsInvalidParameterCombination()
    {
        var payment = new PaymentDetails(PaymentIntent.Authorize, false, null, Usd.Of(5m), null, null, null, null);

        Assert.Equal(ErrorCode.InvalidParameterCombination, Build.TryCreate(BuyNowCommand(payment)).Error!.Code);
    }

    [Fact]
    public void Create_BuyNowInProcessOrderMode_IsInvalidParameterCombination()
    {
        var web = new WebCheckoutDetails(null, Build.ResultUrl, null, CheckoutMode.ProcessOrder);

        Assert.Equal(ErrorCode.InvalidParameterCombination, Build.TryCreate(BuyNowCommand(Build.Payment(), web)).Error!.Code);
    }

    [Fact]
    public void ShowCart_SetsTheSessionsAmounts_AndLeavesNoConstraint()
    {
        var session = Shown();

        Assert.Equal(Cart, session.Cart);
        Assert.Equal(Usd.Of(25.00m), session.PaymentDetails.ChargeAmount);
        Assert.Equal(Usd.Of(27.00m), session.PaymentDetails.TotalOrderAmount);
        Assert.Equal(Now, session.LastUpdatedTimestamp);
        Assert.Empty(session.Constraints);
        Assert.Equal(CheckoutSessionState.Open, session.State);
    }

    [Fact]
    public void ShowCart_AgainReplacesTheCart()
    {
        var replaced = Shown().ShowCart(Cart with { ChargeAmount = Usd.Of(30m), TotalOrderAmount = null }, Now, Limits.Default);

        Assert.Equal(Usd.Of(30m), replaced.Value.Value.PaymentDetails.ChargeAmount);
        Assert.Null(replaced.Value.Value.PaymentDetails.TotalOrderAmount);
    }

    [Fact]
    public void ShowCart_OnARedirectCheckout_IsInvalidCheckoutSessionStatus()
    {
        var shown = Build.Ready().ShowCart(Cart, Now, Limits.Default);

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, shown.Error!.Code);
    }

    [Fact]
    public void ShowCart_BeforeTheBuyerSignsIn_IsInvalidCheckoutSessionStatus()
    {
        var session = Build.NewSession(BuyNowCommand());

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, session.ShowCart(Cart, Now, Limits.Default).Error!.Code);
    }

    [Fact]
    public void ShowCart_ChargeAboveTotalOrderAmount_IsInvalidParameterValue()
    {
        var shown = SignedIn().ShowCart(Cart with { TotalOrderAmount = Usd.Of(20m) }, Now, Limits.Default);

        Assert.Equal(ErrorCode.InvalidParameterValue, shown.Error!.Code);
        Assert.Contains("cart.chargeAmount", shown.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowCart_AfterProcessingOrOnACanceledSession_IsInvalidCheckoutSessionStatus()
    {
        var processed = Shown().Process(Now).Value.Value;
        var canceled = SignedIn().CancelByBuyer(Now).Value.Value;

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, processed.ShowCart(Cart, Now, Limits.Default).Error!.Code);
        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, canceled.ShowCart(Cart, Now, Limits.Default).Error!.Code);
    }

    [Fact]
    public void AnotherAddress_DropsTheCartAndItsAmounts()
    {
        var moved = Shown().AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePortland), Now);

        var session = moved.Value.Value;
        Assert.Null(session.Cart);
        Assert.Null(session.PaymentDetails.ChargeAmount);
        Assert.Null(session.PaymentDetails.TotalOrderAmount);
        Assert.Contains(ConstraintId.ChargeAmountNotSet, session.Constraints);
    }

    [Fact]
    public void SameAddressAnotherInstrument_KeepsTheCart()
    {
        var changed = Shown().AssociateBuyer(Build.Selection(InstrumentBehavior.PendingThenAuthorized), Now);

        Assert.Equal(Cart, changed.Value.Value.Cart);
        Assert.Equal(Usd.Of(25.00m), changed.Value.Value.PaymentDetails.ChargeAmount);
    }

    [Fact]
    public void Update_ChargeAmountOfABuyNowCheckout_IsInvalidParameterCombination()
    {
        var update = new UpdateCheckoutSession(null, null, null, new PaymentDetailsUpdate(null, null, Usd.Of(1m), null, null, null), null, null, null, null);

        var updated = Shown().Update(update, Now, Limits.Default);

        Assert.Equal(ErrorCode.InvalidParameterCombination, updated.Error!.Code);
    }

    [Fact]
    public void Update_OtherDetailsOfABuyNowCheckout_AreAccepted()
    {
        var update = new UpdateCheckoutSession(null, null, null, new PaymentDetailsUpdate(PaymentIntent.AuthorizeWithCapture, null, null, null, null, null), null, null, null, null);

        Assert.Null(Shown().Update(update, Now, Limits.Default).Error);
    }

    [Fact]
    public void Finalize_WithTheShownAmountsAndAddress_Completes()
    {
        var completed = Completed(Shown(), Finalize(Usd.Of(25.00m), Usd.Of(27.00m)));

        Assert.Null(completed.Error);
        Assert.Equal(CheckoutSessionState.Completed, completed.Value!.Session.State);
        Assert.Equal(Usd.Of(25.00m), completed.Value!.Charge!.CaptureAmount);
        Assert.Equal(Cart, completed.Value!.Session.Cart);
    }

    [Fact]
    public void Finalize_WithAnAmountTheBuyerDidNotSee_IsAmountMismatch()
    {
        var completed = Completed(Shown(), Finalize(Usd.Of(24.99m), Usd.Of(27.00m)));

        Assert.Equal(ErrorCode.AmountMismatch, completed.Error!.Code);
    }

    [Fact]
    public void Finalize_WithAnotherTotalOrderAmount_IsAmountMismatch()
    {
        var completed = Completed(Shown(), Finalize(Usd.Of(25.00m), Usd.Of(28.00m)));

        Assert.Equal(ErrorCode.AmountMismatch, completed.Error!.Code);
    }

    [Fact]
    public void Finalize_WithAnotherAddress_IsInvalidParameterValue()
    {
        var completed = Completed(Shown(), Finalize(Usd.Of(25.00m), Usd.Of(27.00m), Build.JanePortland));

        Assert.Equal(ErrorCode.InvalidParameterValue, completed.Error!.Code);
        Assert.Contains("shippingAddress", completed.Error.Message, StringComparison.Ordinal);
    }
}
