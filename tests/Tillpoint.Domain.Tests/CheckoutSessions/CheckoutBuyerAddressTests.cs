using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

/// <summary>Which shipping address a buyer's choice ends with, and when the merchant's delivery restrictions judge it.</summary>
public class CheckoutBuyerAddressTests
{
    private static readonly DateTimeOffset At = Times.T0.AddMinutes(1);

    private static readonly DeliverySpecifications NoPoBoxes = new([SpecialRestriction.RestrictPOBoxes], null, null);

    /// <summary>A configured session whose merchant supplied <paramref name="addressDetails"/> itself (Additional Payment Button).</summary>
    private static CheckoutSession WithMerchantAddress(Address addressDetails, DeliverySpecifications? delivery = null)
    {
        var session = Build.NewSession(Build.Create(payment: Build.Payment(), addressDetails: addressDetails, delivery: delivery));
        return session.Update(new UpdateCheckoutSession(null, Build.ResultUrl, null, null, null, null, null, null), Times.T0, Limits.Default).Value.Value;
    }

    private static BuyerSelection WithoutShipping(BuyerSelection selection) => selection with { ShippingAddress = null };

    [Fact]
    public void AssociateBuyer_MerchantSuppliedAddress_IsKeptOverTheBuyersAndNotJudgedByTheRestrictions()
    {
        var session = WithMerchantAddress(Build.JanePoBox, NoPoBoxes);

        var associated = session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePortland), At);

        Assert.True(associated.IsSuccess);
        Assert.Equal(Build.JanePoBox, associated.Value.Value.Selection!.ShippingAddress);
    }

    [Fact]
    public void AssociateBuyer_MerchantSuppliedAddress_NeedsNoShippingAddressFromTheBuyer()
    {
        var session = WithMerchantAddress(Build.JaneHome);

        var associated = session.AssociateBuyer(WithoutShipping(Build.Selection(InstrumentBehavior.Succeeds)), At);

        Assert.True(associated.IsSuccess);
        Assert.Equal(Build.JaneHome, associated.Value.Value.Selection!.ShippingAddress);
    }

    [Fact]
    public void AssociateBuyer_PayOnly_IgnoresTheRestrictionsAndTheBuyersAddress()
    {
        var session = Build.Configured(delivery: NoPoBoxes, productType: ProductType.PayOnly);

        var associated = session.AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePoBox), At);

        Assert.True(associated.IsSuccess);
        Assert.Null(associated.Value.Value.Selection!.ShippingAddress);
    }

    [Fact]
    public void AssociateBuyer_PayAndShipWithoutAnyAddressButWithRestrictions_IsMissingShippingAddress()
    {
        var error = Build.Configured(delivery: NoPoBoxes).AssociateBuyer(WithoutShipping(Build.Selection(InstrumentBehavior.Succeeds)), At).Error;

        Assert.Equal(ErrorCode.MissingParameterValue, error?.Code);
        Assert.Contains("shippingAddress", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssociateBuyer_RestrictedAddressOfTheBuyer_IsRefusedAndNamed()
    {
        var error = Build.Configured(delivery: NoPoBoxes).AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, Build.JanePoBox), At).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("shippingAddress", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_WithABuyerButOtherPiecesMissing_IsInvalidStatusNamingThem()
    {
        var session = Build.NewSession(Build.Create(payment: new PaymentDetails(null, false, null, null, null, null, null, null)))
            .Update(new UpdateCheckoutSession(null, Build.ResultUrl, null, null, null, null, null, null), Times.T0, Limits.Default).Value.Value
            .AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds), At).Value.Value;

        var error = session.Process(At).Error;

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, error?.Code);
        Assert.Contains(nameof(ConstraintId.ChargeAmountNotSet), error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(ConstraintId.BuyerNotAssociated), error.Message, StringComparison.Ordinal);
    }
}
