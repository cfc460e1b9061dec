using Tillpoint.Domain.DeliveryTrackers;

namespace Tillpoint.Domain.Tests.DeliveryTrackers;

public class DeliveryTrackingTests
{
    /// <summary>The carrier codes accepted, as published; a code dropped or misspelt in the list fails here.</summary>
    private static readonly string[] Published =
    [
        "UPS", "UPS_MAIL_INNOVATIONS", "FEDEX", "FEDEX_SMARTPOST", "USPS", "DHL", "DHL_EXPRESS", "DHL_ECOMMERCE", "DHL_GLOBAL_MAIL",
        "DHL_DE", "DHL_PARCEL_UK", "ONTRAC", "LASERSHIP", "LSO", "OSM", "NEWGISTICS", "PUROLATOR", "CANADA_POST", "AMAZON_SHIPPING",
        "ROYAL_MAIL", "PARCELFORCE", "YODEL", "HERMES", "HERMES_UK", "EVRI", "DPD", "DPD_UK", "DPD_DE", "DPD_FR", "GLS", "GLS_DE",
        "GLS_IT", "TNT", "COLISSIMO", "CHRONOPOST", "LA_POSTE", "COLIS_PRIVE", "MONDIAL_RELAY", "DEUTSCHE_POST", "POSTE_ITALIANE",
        "BRT", "SDA", "CORREOS", "SEUR", "MRW", "NACEX", "CTT", "POSTNL", "BPOST", "POST_AT", "SWISS_POST", "POSTNORD", "AN_POST",
        "YAMATO", "SAGAWA", "JAPAN_POST", "SEINO", "FUKUYAMA", "ECOHAI", "AUSTRALIA_POST", "ARAMEX", "SF_EXPRESS", "CHINA_POST",
    ];

    private static DomainError? Check(string trackingNumber, string carrierCode = "UPS") =>
        DeliveryTracking.Validate(new DeliveryDetail(trackingNumber, carrierCode), "deliveryDetails[0]");

    [Fact]
    public void CarrierCodes_AreExactlyThePublishedOnes()
    {
        Assert.Equal(Published.Order(StringComparer.Ordinal), DeliveryTracking.CarrierCodes.Order(StringComparer.Ordinal));
        Assert.All(Published, code => Assert.Null(Check("1Z999AA10123456784", code)));
    }

    [Theory]
    [InlineData("ups")]
    [InlineData("Ups")]
    [InlineData("UPS ")]
    [InlineData("")]
    [InlineData("POSTE")]
    public void Validate_UnknownOrMiscasedCarrier_IsInvalidParameterValueOnCarrierCode(string carrierCode)
    {
        var error = Check("1Z999AA10123456784", carrierCode);

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("'deliveryDetails[0].carrierCode'", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("A")]
    [InlineData("-")]
    [InlineData("9400-1000-0000")]
    [InlineData("abcXYZ019")]
    public void Validate_LettersDigitsAndDashes_AreAccepted(string trackingNumber) => Assert.Null(Check(trackingNumber));

    [Theory]
    [InlineData(DeliveryTracking.MaxTrackingNumberLength - 1, true)]
    [InlineData(DeliveryTracking.MaxTrackingNumberLength, true)]
    [InlineData(DeliveryTracking.MaxTrackingNumberLength + 1, false)]
    public void Validate_TrackingNumberUpToTheMaximumLength_IsAccepted(int length, bool accepted) =>
        Assert.Equal(accepted, Check(new string('7', length)) is null);

    [Theory]
    [InlineData("")]
    [InlineData("1Z 999")]
    [InlineData("1Z_999")]
    [InlineData("1Z999.")]
    [InlineData("é123")]
    [InlineData("１２３")]
    public void Validate_EmptyOrWithOtherCharacters_IsInvalidParameterValueOnTrackingNumber(string trackingNumber)
    {
        var error = Check(trackingNumber);

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("'deliveryDetails[0].trackingNumber'", error!.Message, StringComparison.Ordinal);
        Assert.Contains($"1 to {DeliveryTracking.MaxTrackingNumberLength}", error.Message, StringComparison.Ordinal);
    }
}
