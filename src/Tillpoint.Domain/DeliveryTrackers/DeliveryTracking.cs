namespace Tillpoint.Domain.DeliveryTrackers;

/// <summary>One shipment a merchant reports for a charge permission (Delivery Trackers, spec §4.17).</summary>
public sealed record DeliveryDetail(string TrackingNumber, string CarrierCode);

/// <summary>Checks of a Delivery Trackers request: known carrier codes and plausible tracking numbers.</summary>
public static class DeliveryTracking
{
    public const int MaxDeliveryDetails = 10;

    public const int MaxTrackingNumberLength = 64;

    /// <summary>
    /// Carrier codes Tillpoint accepts: the widely used entries of Amazon's published carrier list. Matching is exact
    /// (the list is upper case), as a typo in a carrier code would silently lose the buyer's tracking.
    /// </summary>
    public static IReadOnlySet<string> CarrierCodes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "UPS", "UPS_MAIL_INNOVATIONS", "FEDEX", "FEDEX_SMARTPOST", "USPS", "DHL", "DHL_EXPRESS", "DHL_ECOMMERCE", "DHL_GLOBAL_MAIL",
        "DHL_DE", "DHL_PARCEL_UK", "ONTRAC", "LASERSHIP", "LSO", "OSM", "NEWGISTICS", "PUROLATOR", "CANADA_POST", "AMAZON_SHIPPING",
        "ROYAL_MAIL", "PARCELFORCE", "YODEL", "HERMES", "HERMES_UK", "EVRI", "DPD", "DPD_UK", "DPD_DE", "DPD_FR", "GLS", "GLS_DE",
        "GLS_IT", "TNT", "COLISSIMO", "CHRONOPOST", "LA_POSTE", "COLIS_PRIVE", "MONDIAL_RELAY", "DEUTSCHE_POST", "POSTE_ITALIANE",
        "BRT", "SDA", "CORREOS", "SEUR", "MRW", "NACEX", "CTT", "POSTNL", "BPOST", "POST_AT", "SWISS_POST", "POSTNORD", "AN_POST",
        "YAMATO", "SAGAWA", "JAPAN_POST", "SEINO", "FUKUYAMA", "ECOHAI", "AUSTRALIA_POST", "ARAMEX", "SF_EXPRESS", "CHINA_POST",
    };

    /// <summary>The first problem with a shipment, or null. Tracking numbers are letters, digits and dashes.</summary>
    public static DomainError? Validate(DeliveryDetail detail, string field)
    {
        if (!CarrierCodes.Contains(detail.CarrierCode))
        {
            return DomainError.InvalidValue($"{field}.carrierCode", $"'{detail.CarrierCode}' is not a known carrier code.");
        }

        var number = detail.TrackingNumber;
        return number.Length is 0 or > MaxTrackingNumberLength || !number.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? DomainError.InvalidValue(
                $"{field}.trackingNumber",
                $"a tracking number is 1 to {MaxTrackingNumberLength} letters, digits or dashes.")
            : null;
    }
}
