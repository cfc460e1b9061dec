using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

/// <summary>Finalize compares the restated address with the buyer's choice field by field.</summary>
public class FinalizeAddressTests
{
    private static readonly DateTimeOffset Now = Times.T0.AddMinutes(3);

    private static Result<CompletedCheckout> FinalizeWith(Address? shipping, Address? billing = null, ProductType? productType = null)
    {
        var session = Build.Configured(productType: productType)
            .AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds), Times.T0.AddMinutes(1)).Value.Value
            .Process(Times.T0.AddMinutes(2)).Value.Value;
        var command = new FinalizeCheckoutSession(Usd.Of(14m), null, PaymentIntent.Authorize, null, null, shipping, billing);
        return CheckoutCompletion.Finalize(session, command, new SequentialIds(), null, Now, Limits.Default);
    }

    public static TheoryData<string> LocatingFields =>
        ["Name", "AddressLine1", "AddressLine2", "City", "StateOrRegion", "PostalCode", "CountryCode"];

    private static Address Changed(Address address, string field) => field switch
    {
        "Name" => address with { Name = "Someone Else" },
        "AddressLine1" => address with { AddressLine1 = "1 Other Street" },
        "AddressLine2" => address with { AddressLine2 = "Suite 9" },
        "City" => address with { City = "Tacoma" },
        "StateOrRegion" => address with { StateOrRegion = "OR" },
        "PostalCode" => address with { PostalCode = "98001" },
        "CountryCode" => address with { CountryCode = "CA" },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    [Theory]
    [MemberData(nameof(LocatingFields))]
    public void Finalize_ShippingAddressDifferingInOneLocatingField_IsInvalidParameterValue(string field)
    {
        var finalized = FinalizeWith(Changed(Build.JaneHome, field));

        Assert.Equal(ErrorCode.InvalidParameterValue, finalized.Error?.Code);
        Assert.Contains("'shippingAddress'", finalized.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LocatingFields))]
    public void Finalize_PayOnlyBillingAddressDifferingInOneLocatingField_IsInvalidParameterValue(string field)
    {
        var finalized = FinalizeWith(null, Changed(Build.Jane.BillingAddress, field), ProductType.PayOnly);

        Assert.Equal(ErrorCode.InvalidParameterValue, finalized.Error?.Code);
        Assert.Contains("'billingAddress'", finalized.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Finalize_ShippingAddressDifferingOnlyInCaseSpacesAndUnlocatingFields_Matches()
    {
        var home = Build.JaneHome;
        var restated = home with
        {
            Name = $"  {home.Name!.ToUpperInvariant()} ",
            AddressLine1 = home.AddressLine1!.ToLowerInvariant(),
            AddressLine2 = home.AddressLine2 is null ? "  " : $" {home.AddressLine2} ",
            City = $"{home.City} ",
            PhoneNumber = "000",
            County = "Elsewhere",
        };

        var finalized = FinalizeWith(restated);

        Assert.Null(finalized.Error);
        Assert.Equal(CheckoutSessionState.Completed, finalized.Value!.Session.State);
    }

    [Fact]
    public void Finalize_MissingLineGivenAsEmpty_Matches()
    {
        var home = Build.JaneHome with { AddressLine2 = null };
        var session = Build.Configured()
            .AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds, shipping: home), Times.T0.AddMinutes(1)).Value.Value
            .Process(Times.T0.AddMinutes(2)).Value.Value;
        var command = new FinalizeCheckoutSession(
            Usd.Of(14m), null, PaymentIntent.Authorize, null, null, home with { AddressLine2 = string.Empty }, null);

        var finalized = CheckoutCompletion.Finalize(session, command, new SequentialIds(), null, Now, Limits.Default);

        Assert.Null(finalized.Error);
    }

    [Fact]
    public void Finalize_PayOnlyWithoutBillingAddress_IsMissingParameterValue()
    {
        var finalized = FinalizeWith(null, null, ProductType.PayOnly);

        Assert.Equal(ErrorCode.MissingParameterValue, finalized.Error?.Code);
        Assert.Contains("'billingAddress'", finalized.Error!.Message, StringComparison.Ordinal);
    }
}
