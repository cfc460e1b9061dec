namespace Tillpoint.Shop.Checkout;

/// <summary>
/// Shipping cost by destination country, in USD. The country comes from the address the buyer chose on Amazon Pay's
/// page, read with Get Checkout Session, which is why the total is only known on the review page.
/// </summary>
public static class ShippingRates
{
    public const decimal Domestic = 5.00m;
    public const decimal NorthAmerica = 12.00m;
    public const decimal Europe = 18.00m;
    public const decimal RestOfWorld = 25.00m;

    private static readonly HashSet<string> EuropeanCountries = new(StringComparer.OrdinalIgnoreCase)
    {
        "AT", "BE", "CH", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "LU", "NL", "NO", "PL", "PT", "SE",
    };

    /// <summary>The cost of shipping an order to <paramref name="countryCode"/> (ISO 3166-1 alpha-2).</summary>
    public static decimal For(string? countryCode) => countryCode?.ToUpperInvariant() switch
    {
        "US" => Domestic,
        "CA" or "MX" => NorthAmerica,
        { } code when EuropeanCountries.Contains(code) => Europe,
        _ => RestOfWorld,
    };
}
