using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

/// <summary>
/// A PayAndShipMultiAddress checkout: the buyer chooses several addresses, the merchant splits chargeAmount among them
/// (the prices add up to it), and completion makes one permission and one charge for the total.
/// </summary>
public class MultiAddressCheckoutTests
{
    private static readonly DateTimeOffset At = Times.T0.AddMinutes(1);

    private static readonly AddressWithId Home = new("0", Build.JaneHome);
    private static readonly AddressWithId Portland = new("1", Build.JanePortland);
    private static readonly AddressWithId PoBox = new("2", Build.JanePoBox);

    private static CheckoutSession Configured(Money? chargeAmount = null, DeliverySpecifications? delivery = null) =>
        Build.Configured(Build.Payment(chargeAmount: chargeAmount ?? Usd.Of(30.00m)), delivery, ProductType.PayAndShipMultiAddress);

    private static BuyerSelection Choice(params AddressWithId[] addresses) =>
        Build.Selection(InstrumentBehavior.Succeeds) with { ShippingAddress = null, ShippingAddressList = addresses };

    private static CheckoutSession Chosen(Money? chargeAmount = null, params AddressWithId[] addresses)
    {
        var chosen = Configured(chargeAmount).AssociateBuyer(Choice(addresses.Length == 0 ? [Home, Portland] : addresses), At);
        Assert.Null(chosen.Error);
        return chosen.Value.Value;
    }

    private static UpdateCheckoutSession Split(params (string AddressId, decimal Price)[] prices) =>
        new(null, null, null, null, null, null, null, null,
            MultiAddressesCheckoutMetadata: [.. prices.Select(p => new MultiAddressesCheckoutMetadata(p.AddressId, Usd.Of(p.Price)))]);

    private static UpdateCheckoutSession ChargeAmount(Money amount) =>
        new(null, null, null, new PaymentDetailsUpdate(null, null, amount, null, null, null), null, null, null, null);

    private static DomainError? UpdateError(CheckoutSession session, UpdateCheckoutSession update) =>
        session.Update(update, At, Limits.Default).Error;

    [Fact]
    public void AssociateBuyer_SeveralAddresses_KeepsTheListAndNoSingleAddress()
    {
        var session = Chosen(null, Home, PoBox);

        Assert.Equal([Home, PoBox], session.Selection!.ShippingAddressList);
        Assert.Null(session.Selection.ShippingAddress);
        Assert.Empty(session.Constraints);
    }

    [Fact]
    public void AssociateBuyer_OneAddress_IsEnough()
    {
        Assert.Equal([Portland], Chosen(null, Portland).Selection!.ShippingAddressList);
    }

    [Fact]
    public void AssociateBuyer_NoAddresses_IsMissingShippingAddressList()
    {
        var error = Configured().AssociateBuyer(Choice(), At).Error;

        Assert.Equal(ErrorCode.MissingParameterValue, error?.Code);
        Assert.Contains("shippingAddressList", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssociateBuyer_NullList_IsMissingShippingAddressList()
    {
        var selection = Build.Selection(InstrumentBehavior.Succeeds);

        var error = Configured().AssociateBuyer(selection, At).Error;

        Assert.Equal(ErrorCode.MissingParameterValue, error?.Code);
    }

    [Fact]
    public void AssociateBuyer_TheSameAddressTwice_IsRefused()
    {
        var error = Configured().AssociateBuyer(Choice(Home, Portland, Home), At).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("'0' is chosen twice", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssociateBuyer_AnAddressTheMerchantDoesNotShipTo_IsRefused()
    {
        var noPoBoxes = new DeliverySpecifications([SpecialRestriction.RestrictPOBoxes], null, null);
        var session = Configured(delivery: noPoBoxes);

        var error = session.AssociateBuyer(Choice(Home, PoBox), At).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("address '2'", error!.Message, StringComparison.Ordinal);
        Assert.True(session.AssociateBuyer(Choice(Home, Portland), At).IsSuccess);
    }

    [Fact]
    public void AssociateBuyer_OrdinaryCheckout_KeepsNoList()
    {
        var session = Build.Configured().AssociateBuyer(Choice(Home, Portland) with { ShippingAddress = Build.JaneHome }, At).Value.Value;

        Assert.Null(session.Selection!.ShippingAddressList);
        Assert.Equal(Build.JaneHome, session.Selection.ShippingAddress);
    }

    [Fact]
    public void AssociateBuyer_TheSameAddressesAgain_KeepsTheMerchantsSplit()
    {
        var split = Chosen().Update(Split(("0", 10m), ("1", 20m)), At, Limits.Default).Value.Value;

        var again = split.AssociateBuyer(Choice(Home, Portland), At.AddMinutes(1)).Value.Value;

        Assert.Equal(split.MultiAddressesCheckoutMetadata, again.MultiAddressesCheckoutMetadata);
    }

    [Fact]
    public void AssociateBuyer_OtherAddresses_DropsTheMerchantsSplit()
    {
        var split = Chosen().Update(Split(("0", 10m), ("1", 20m)), At, Limits.Default).Value.Value;

        var changed = split.AssociateBuyer(Choice(Home, PoBox), At.AddMinutes(1)).Value.Value;

        Assert.Null(changed.MultiAddressesCheckoutMetadata);
        Assert.Equal([Home, PoBox], changed.Selection!.ShippingAddressList);
    }

    [Fact]
    public void AssociateBuyer_AfterASoftDecline_ClearsIt()
    {
        var soft = Configured().AssociateBuyer(Choice(Home) with { InstrumentId = "visa-2222", Behavior = InstrumentBehavior.SoftDeclines }, At)
            .Value.Value.Process(At).Value.Value;
        Assert.NotNull(soft.SoftDeclinedInstrumentId);

        var again = soft.AssociateBuyer(Choice(Home), At.AddMinutes(1)).Value.Value;

        Assert.Null(again.SoftDeclinedInstrumentId);
        Assert.Equal(At.AddMinutes(1), again.LastUpdatedTimestamp);
    }

    [Fact]
    public void AssociateBuyer_AnotherBuyer_IsRefused()
    {
        var other = Choice(Home) with { Buyer = new BuyerDetails(Build.Erika.BuyerId, null, null, null) };

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, Chosen().AssociateBuyer(other, At).Error?.Code);
    }

    [Fact]
    public void Update_PricesThatAddUpToChargeAmount_AreKept()
    {
        var updated = Chosen().Update(Split(("0", 12.50m), ("1", 17.50m)), At, Limits.Default);

        Assert.Null(updated.Error);
        Assert.Equal(
            [new MultiAddressesCheckoutMetadata("0", Usd.Of(12.50m)), new MultiAddressesCheckoutMetadata("1", Usd.Of(17.50m))],
            updated.Value.Value.MultiAddressesCheckoutMetadata);
        Assert.Empty(updated.Value.Events);
    }

    [Fact]
    public void Update_PricesForSomeOfTheAddresses_AreKeptWhenTheyAddUp()
    {
        Assert.Null(UpdateError(Chosen(), Split(("1", 30m))));
    }

    [Theory]
    [InlineData(29.99)]
    [InlineData(30.01)]
    public void Update_PricesThatDoNotAddUpToChargeAmount_AreAnAmountMismatch(double second)
    {
        var session = Chosen();

        var error = UpdateError(session, Split(("0", 10m), ("1", (decimal)second - 10m)));

        Assert.Equal(ErrorCode.AmountMismatch, error?.Code);
        Assert.Contains("30.00 USD", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_ChargeAmountThatBreaksTheSplit_IsAnAmountMismatch()
    {
        var split = Chosen().Update(Split(("0", 10m), ("1", 20m)), At, Limits.Default).Value.Value;

        Assert.Equal(ErrorCode.AmountMismatch, UpdateError(split, ChargeAmount(Usd.Of(31m)))?.Code);
    }

    [Fact]
    public void Update_ChargeAmountAndSplitTogether_AreCheckedTogether()
    {
        var split = Chosen().Update(Split(("0", 10m), ("1", 20m)), At, Limits.Default).Value.Value;
        var both = Split(("0", 11m), ("1", 20m)) with { PaymentDetails = new PaymentDetailsUpdate(null, null, Usd.Of(31m), null, null, null) };

        var updated = split.Update(both, At, Limits.Default);

        Assert.Null(updated.Error);
        Assert.Equal(Usd.Of(31m), updated.Value.Value.PaymentDetails.ChargeAmount);
    }

    [Fact]
    public void Update_SplitBeforeChargeAmount_IsCheckedOnceChargeAmountIsSet()
    {
        var session = Build.NewSession(Build.Create(productType: ProductType.PayAndShipMultiAddress))
            .AssociateBuyer(Choice(Home, Portland), At).Value.Value;

        var split = session.Update(Split(("0", 10m), ("1", 20m)), At, Limits.Default);
        Assert.Null(split.Error);

        Assert.Equal(ErrorCode.AmountMismatch, UpdateError(split.Value.Value, ChargeAmount(Usd.Of(25m)))?.Code);
        Assert.Null(UpdateError(split.Value.Value, ChargeAmount(Usd.Of(30m))));
    }

    [Fact]
    public void Update_SplitBeforeChargeAmount_MustBeInOneCurrency()
    {
        var session = Build.NewSession(Build.Create(productType: ProductType.PayAndShipMultiAddress))
            .AssociateBuyer(Choice(Home, Portland), At).Value.Value;
        var mixed = Split(("0", 10m)) with
        {
            MultiAddressesCheckoutMetadata = [new("0", Usd.Of(10m)), new("1", new Money(20m, Currency.EUR))],
        };

        Assert.Equal(ErrorCode.CurrencyMismatch, UpdateError(session, mixed)?.Code);
    }

    [Fact]
    public void Update_PriceInAnotherCurrencyThanTheCharge_IsACurrencyMismatch()
    {
        var euros = Split() with { MultiAddressesCheckoutMetadata = [new("0", new Money(30m, Currency.EUR))] };

        Assert.Equal(ErrorCode.CurrencyMismatch, UpdateError(Chosen(), euros)?.Code);
    }

    [Fact]
    public void Update_AnAddressTheBuyerDidNotChoose_IsRefused()
    {
        var error = UpdateError(Chosen(), Split(("0", 10m), ("2", 20m)));

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("multiAddressesCheckoutMetadata[1].addressId", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_SplitBeforeTheBuyerChose_IsRefused()
    {
        var error = UpdateError(Configured(), Split(("0", 30m)));

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("multiAddressesCheckoutMetadata[0].addressId", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_AnAddressPricedTwice_IsRefused()
    {
        var error = UpdateError(Chosen(), Split(("0", 10m), ("0", 20m)));

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("has a price already", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Update_APriceThatIsNotPositive_IsRefused(int price)
    {
        var error = UpdateError(Chosen(), Split(("0", 30m - price), ("1", price)));

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("multiAddressesCheckoutMetadata[1].price", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_APriceOverTheTransactionMaximum_IsRefused()
    {
        var max = Limits.Default.MaxTransaction(Currency.USD);
        var session = Chosen(max);

        var error = UpdateError(session, Split(("0", max.Amount + 1m), ("1", 1m)));

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("multiAddressesCheckoutMetadata[0].price", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_AnEmptySplit_IsRefused()
    {
        var error = UpdateError(Chosen(), Split());

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("multiAddressesCheckoutMetadata", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_SplitOnAnOrdinaryCheckout_IsABadCombination()
    {
        var error = UpdateError(Build.Ready(), Split(("0", 14m)));

        Assert.Equal(ErrorCode.InvalidParameterCombination, error?.Code);
    }

    [Fact]
    public void Update_WithoutASplit_KeepsTheOneThereIs()
    {
        var split = Chosen().Update(Split(("0", 10m), ("1", 20m)), At, Limits.Default).Value.Value;

        var updated = split.Update(new UpdateCheckoutSession(null, null, null, null, null, "platform", null, null), At, Limits.Default);

        Assert.Equal(split.MultiAddressesCheckoutMetadata, updated.Value.Value.MultiAddressesCheckoutMetadata);
    }

    [Fact]
    public void Update_AfterProcessing_IsRefused()
    {
        var processed = Chosen().Process(At).Value.Value;

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, UpdateError(processed, Split(("0", 10m), ("1", 20m)))?.Code);
    }

    [Theory]
    [InlineData(ChargePermissionType.Recurring)]
    [InlineData(ChargePermissionType.PaymentMethodOnFile)]
    public void Update_ToAnotherChargePermissionType_IsABadCombination(ChargePermissionType type)
    {
        var update = new UpdateCheckoutSession(null, null, null, null, null, null, null, null, ChargePermissionType: type);

        Assert.Equal(ErrorCode.InvalidParameterCombination, UpdateError(Chosen(), update)?.Code);
    }

    [Theory]
    [InlineData(ChargePermissionType.Recurring)]
    [InlineData(ChargePermissionType.PaymentMethodOnFile)]
    public void Create_WithAnotherChargePermissionType_IsABadCombination(ChargePermissionType type)
    {
        var error = Build.TryCreate(Build.Create(productType: ProductType.PayAndShipMultiAddress, type: type)).Error;

        Assert.Equal(ErrorCode.InvalidParameterCombination, error?.Code);
        Assert.Contains("OneTime", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithAddressDetails_IsABadCombination()
    {
        var error = Build.TryCreate(Build.Create(productType: ProductType.PayAndShipMultiAddress, addressDetails: Build.JaneHome)).Error;

        Assert.Equal(ErrorCode.InvalidParameterCombination, error?.Code);
        Assert.Contains("addressDetails", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ExplicitOneTime_IsAccepted()
    {
        Assert.True(Build.TryCreate(Build.Create(productType: ProductType.PayAndShipMultiAddress, type: ChargePermissionType.OneTime)).IsSuccess);
    }

    [Fact]
    public void Complete_SplitOrder_IsOnePermissionAndOneChargeForTheTotal()
    {
        var processed = Chosen().Update(Split(("0", 10m), ("1", 20m)), At, Limits.Default).Value.Value.Process(At).Value.Value;

        var completed = CheckoutCompletion.Complete(processed, Usd.Of(30m), null, new SequentialIds(), null, At.AddMinutes(1), Limits.Default);

        Assert.Null(completed.Error);
        var result = completed.Value!;
        Assert.Equal(Usd.Of(30m), result.Charge!.ChargeAmount);
        Assert.Null(result.ChargePermission.ShippingAddress);
        Assert.Equal(CheckoutSessionState.Completed, result.Session.State);
        Assert.Equal(processed.MultiAddressesCheckoutMetadata, result.Session.MultiAddressesCheckoutMetadata);
    }

    [Fact]
    public void Complete_WithAnotherAmountThanTheSplit_IsAnAmountMismatch()
    {
        var processed = Chosen().Update(Split(("0", 10m), ("1", 20m)), At, Limits.Default).Value.Value.Process(At).Value.Value;

        var completed = CheckoutCompletion.Complete(processed, Usd.Of(10m), null, new SequentialIds(), null, At.AddMinutes(1), Limits.Default);

        Assert.Equal(ErrorCode.AmountMismatch, completed.Error?.Code);
    }
}
