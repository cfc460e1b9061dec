using Tillpoint.Domain.Regions;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// A language of the hosted buyer pages, as a button's <c>checkoutLanguage</c> names it (spec §7.5): the culture its
/// texts are looked up in and the way it writes amounts. The server runs with invariant globalization (no ICU, for a
/// smaller install and a faster start), so the number formats are written out here, after the languages' usual
/// conventions, instead of being read from the system.
/// </summary>
public sealed class HostedLanguage
{
    private const char NoBreakSpace = '\u00A0';
    private const char NarrowNoBreakSpace = '\u202F';

    private readonly bool _symbolFirst;

    private HostedLanguage(string code, string decimalSeparator, string groupSeparator, bool symbolFirst)
    {
        Code = code;
        Tag = code.Replace('_', '-');
        _symbolFirst = symbolFirst;
        var numbers = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        numbers.NumberDecimalSeparator = decimalSeparator;
        numbers.NumberGroupSeparator = groupSeparator;
        Culture = new PageCulture(Tag, NumberFormatInfo.ReadOnly(numbers));
    }

    public static HostedLanguage EnglishUS { get; } = new("en_US", ".", ",", symbolFirst: true);

    public static HostedLanguage EnglishUK { get; } = new("en_GB", ".", ",", symbolFirst: true);

    public static HostedLanguage German { get; } = new("de_DE", ",", ".", symbolFirst: false);

    public static HostedLanguage French { get; } = new("fr_FR", ",", NarrowNoBreakSpace.ToString(), symbolFirst: false);

    public static HostedLanguage Italian { get; } = new("it_IT", ",", ".", symbolFirst: false);

    public static HostedLanguage Spanish { get; } = new("es_ES", ",", ".", symbolFirst: false);

    public static HostedLanguage Japanese { get; } = new("ja_JP", ".", ",", symbolFirst: true);

    /// <summary>Every language, in the order Amazon's button documentation lists them.</summary>
    public static IReadOnlyList<HostedLanguage> All { get; } = [EnglishUS, EnglishUK, German, French, Italian, Spanish, Japanese];

    /// <summary>The button's spelling: <c>en_US</c>, <c>de_DE</c>, …</summary>
    public string Code { get; }

    /// <summary>The BCP 47 tag (<c>de-DE</c>), for <c>&lt;html lang&gt;</c> and the resources.</summary>
    public string Tag { get; }

    /// <summary>The culture the page is rendered in: its texts' resources and its numbers.</summary>
    public CultureInfo Culture { get; }

    /// <summary>The language of the page being rendered (its culture is the current one while it renders).</summary>
    public static HostedLanguage Current => All.FirstOrDefault(language => language.Culture.Name == CultureInfo.CurrentUICulture.Name) ?? EnglishUS;

    public static HostedLanguage? Find(string? code) => All.FirstOrDefault(language => language.Code == code);

    /// <summary>The language of a region's buyers when the button names none: the region's main locale.</summary>
    public static HostedLanguage Default(Region region) => Find(RegionRules.Of(region).DefaultCheckoutLanguage)!;

    /// <summary>
    /// Whether a region's buyers may be shown this language (spec §7.5): NA en_US; EU and UK en_GB, de_DE, fr_FR, it_IT,
    /// es_ES (Amazon allows the EU's languages on UK accounts); JP ja_JP and en_US.
    /// </summary>
    public bool IsOffered(Region region) => region switch
    {
        Region.NA => this == EnglishUS,
        Region.EU or Region.UK => this != EnglishUS && this != Japanese,
        Region.JP => this == Japanese || this == EnglishUS,
    };

    /// <summary>
    /// An amount as the language writes it, with the currency's own places: "$12.50", "12,50 €", "¥1,000". A currency
    /// without a symbol of its own is written with its code ("CHF 12.50", "12,50 CHF").
    /// </summary>
    public string Amount(Money money)
    {
        var number = money.Amount.ToString("N" + Currencies.Scale(money.Currency).ToString(CultureInfo.InvariantCulture), Culture.NumberFormat);
        var symbol = Symbol(money.Currency);
        return (_symbolFirst, symbol.Length) switch
        {
            (true, 1) => symbol + number,
            (true, _) => symbol + NoBreakSpace + number,
            (false, _) => number + NoBreakSpace + symbol,
        };
    }

    private static string Symbol(Currency currency) => currency switch
    {
        Currency.USD => "$",
        Currency.EUR => "€",
        Currency.GBP => "£",
        Currency.JPY => "¥",
        Currency.AUD or Currency.CHF or Currency.DKK or Currency.HKD or Currency.NOK or Currency.NZD or Currency.SEK or Currency.ZAR => currency.ToString(),
    };

    /// <summary>
    /// A culture named after the language, whatever the globalization mode: the resources are found by the name, and the
    /// numbers are the language's own. Everything else (calendars, casing) is the invariant culture's.
    /// </summary>
    private sealed class PageCulture(string name, NumberFormatInfo numbers) : CultureInfo(string.Empty, useUserOverride: false)
    {
        public override string Name => name;

        public override CultureInfo Parent => InvariantCulture;

        public override NumberFormatInfo NumberFormat => numbers;
    }
}
