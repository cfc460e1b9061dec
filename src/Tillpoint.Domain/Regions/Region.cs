namespace Tillpoint.Domain.Regions;

/// <summary>
/// The Amazon Pay region a merchant account belongs to. It fixes the account's ledger currency and the currencies its
/// buyers may pay in; UK accounts share the EU host (the SDKs send region <c>eu</c> for both) but settle in GBP.
/// </summary>
public enum Region
{
    NA,
    EU,
    UK,
    JP,
}

/// <summary>What a region allows: the ledger and presentment currencies, the per-transaction maxima, the monthly caps.</summary>
public sealed record RegionRules
{
    /// <summary>The multi-currency list of EU and UK accounts (spec §7.6), in the order the docs give it.</summary>
    private static readonly Currency[] MultiCurrency =
    [
        Currency.AUD, Currency.GBP, Currency.DKK, Currency.EUR, Currency.HKD, Currency.JPY,
        Currency.NZD, Currency.NOK, Currency.ZAR, Currency.SEK, Currency.CHF, Currency.USD,
    ];

    private RegionRules(Region region, Currency ledgerCurrency, IReadOnlyList<Currency> presentmentCurrencies, string checkoutLanguage)
    {
        Region = region;
        LedgerCurrency = ledgerCurrency;
        PresentmentCurrencies = presentmentCurrencies;
        DefaultCheckoutLanguage = checkoutLanguage;
    }

    public static RegionRules NA { get; } = new(Region.NA, Currency.USD, [Currency.USD], "en_US");

    public static RegionRules EU { get; } = new(Region.EU, Currency.EUR, MultiCurrency, "de_DE");

    public static RegionRules UK { get; } = new(Region.UK, Currency.GBP, MultiCurrency, "en_GB");

    public static RegionRules JP { get; } = new(Region.JP, Currency.JPY, [Currency.JPY], "ja_JP");

    public Region Region { get; }

    /// <summary>The currency the account settles in: USD, EUR, GBP or JPY.</summary>
    public Currency LedgerCurrency { get; }

    /// <summary>The currencies buyers may be charged in; US and JP accounts present their ledger currency only.</summary>
    public IReadOnlyList<Currency> PresentmentCurrencies { get; }

    /// <summary>The hosted pages' language when the button names none.</summary>
    public string DefaultCheckoutLanguage { get; }

    public static RegionRules Of(Region region) => region switch
    {
        Region.NA => NA,
        Region.EU => EU,
        Region.UK => UK,
        Region.JP => JP,
    };

    public bool Presents(Currency currency) => PresentmentCurrencies.Contains(currency);

    /// <summary>
    /// Refuses an amount in a currency the region does not present, as Amazon refuses a bad body value, naming the field
    /// (<c>…chargeAmount.currencyCode</c>) and the currencies the account may use.
    /// </summary>
    public DomainError? CheckPresented(string field, Currency? currency) =>
        currency is { } given && !Presents(given)
            ? DomainError.InvalidValue(field, $"'{given}' is not a presentment currency of {Region} merchants ({string.Join(", ", PresentmentCurrencies)}).")
            : null;

    /// <summary>
    /// Refuses payment details (of a create or an update, under <paramref name="prefix"/>) whose currency the region
    /// does not present. Their currency is chargeAmount's, else presentmentCurrency, else totalOrderAmount's: the field
    /// checked is named. A second field in another currency is a CurrencyMismatch, which the session's own rules answer.
    /// </summary>
    public DomainError? CheckPresented(string prefix, Money? chargeAmount, Money? totalOrderAmount, Currency? presentmentCurrency) =>
        (chargeAmount, presentmentCurrency, totalOrderAmount) switch
        {
            ({ } amount, _, _) => CheckPresented($"{prefix}.chargeAmount.currencyCode", amount.Currency),
            (null, { } presentment, _) => CheckPresented($"{prefix}.presentmentCurrency", presentment),
            (null, null, var total) => CheckPresented($"{prefix}.totalOrderAmount.currencyCode", total?.Currency),
        };

    /// <summary>The largest single charge or refund in the ledger currency: $150,000, €150,000, £150,000, ¥10,000,000.</summary>
    public Money MaxTransaction(Limits limits) => limits.MaxTransaction(LedgerCurrency);

    /// <summary>The most a capture or refund may exceed its amount by, in the ledger currency (the 15 %/75 rule's cap).</summary>
    public Money OverCaptureCap(Limits limits) => new(limits.OverCaptureCap[LedgerCurrency], LedgerCurrency);

    /// <summary>
    /// What a permission of <paramref name="type"/> may charge in one calendar month in <paramref name="currency"/>
    /// (<see cref="Limits.MonthlyCap"/>), or null when the region does not present the currency or the type has none.
    /// </summary>
    public Money? MonthlyCap(Limits limits, CheckoutSessions.ChargePermissionType type, Currency currency) =>
        Presents(currency) ? limits.MonthlyCap(type, currency) : null;

    /// <summary>Every region, in the order the operator's options list them.</summary>
    public static IReadOnlyList<Region> All { get; } = [Region.NA, Region.EU, Region.UK, Region.JP];

    /// <summary>
    /// The region whose accounts settle in <paramref name="ledgerCurrency"/> (USD, EUR, GBP or JPY), for a merchant account a
    /// partner registers with its ledger currency; null for a currency no region settles in.
    /// </summary>
    public static Region? SettlingIn(Currency ledgerCurrency) =>
        All.Select(Of).FirstOrDefault(r => r.LedgerCurrency == ledgerCurrency)?.Region;

    /// <summary>The region's name as the CLI and the SDKs' <c>region</c> option spell it.</summary>
    public static string Name(Region region) => region.ToString().ToLowerInvariant();
}
