using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Tillpoint.Domain;
using Tillpoint.Server.Checkout;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Checkout;

/// <summary>
/// The hosted pages speak the button's <c>checkoutLanguage</c>, else the merchant's region's main language, with its
/// texts and its way of writing amounts; a language the region does not offer is refused at the button.
/// </summary>
public sealed partial class HostedPageLanguageTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string Nbsp = "\u00A0";

    /// <summary>Language, region, charge amount and currency, sign-in heading, the amount as written, the instruments' legend.</summary>
    public static TheoryData<string, string, string, string, string, string, string> Languages { get; } = new()
    {
        { "en_US", "na", "1234.50", "USD", "Sign in to pay", "$1,234.50", "Pay with" },
        { "en_GB", "uk", "1234.50", "GBP", "Sign in to pay", "£1,234.50", "Pay with" },
        { "de_DE", "eu", "1234.50", "EUR", "Anmelden und bezahlen", $"1.234,50{Nbsp}€", "Bezahlen mit" },
        { "fr_FR", "eu", "1234.50", "EUR", "Connectez-vous pour payer", $"1\u202F234,50{Nbsp}€", "Payer avec" },
        { "it_IT", "eu", "1234.50", "EUR", "Accedi per pagare", $"1.234,50{Nbsp}€", "Paga con" },
        { "es_ES", "eu", "1234.50", "EUR", "Inicia sesión para pagar", $"1.234,50{Nbsp}€", "Pagar con" },
        { "ja_JP", "jp", "1000", "JPY", "サインインしてお支払い", "¥1,000", "お支払い方法" },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task TheButtonsLanguage_IsSpokenOnTheCheckoutsPages_WithItsAmounts(
        string language, string region, string amount, string currency, string signInHeading, string written, string payWith)
    {
        var merchant = await fixture.Host.CreateMerchantAsync(region);
        using var browser = fixture.Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = await pages.StartAsync(StartLink(merchant, Charging(merchant, amount, currency), language));

        var signIn = await pages.GetPageAsync($"/checkout/{id}");
        await pages.SignInAsync(id);
        var choose = await pages.GetPageAsync($"/checkout/{id}");

        Assert.Contains($"<html lang=\"{language.Replace('_', '-')}\">", signIn, StringComparison.Ordinal);
        Assert.Contains($"<h1>{signInHeading}</h1>", signIn, StringComparison.Ordinal);
        // The encoder writes the no-break spaces of "1.234,50 €" as character references, which the browser shows as such.
        Assert.Contains(written, WebUtility.HtmlDecode(signIn), StringComparison.Ordinal);
        Assert.Contains($"<legend>{payWith}</legend>", choose, StringComparison.Ordinal);
        Assert.Contains(written, WebUtility.HtmlDecode(choose), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("na", "en-US", "Sign in to pay")]
    [InlineData("eu", "de-DE", "Anmelden und bezahlen")]
    [InlineData("uk", "en-GB", "Sign in to pay")]
    [InlineData("jp", "ja-JP", "サインインしてお支払い")]
    public async Task WithoutALanguage_ThePagesSpeakTheRegionsMainLanguage(string region, string tag, string heading)
    {
        var merchant = await fixture.Host.CreateMerchantAsync(region);
        using var browser = fixture.Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = await pages.StartAsync(HostedCheckout.StartLink(merchant, HostedCheckout.CheckoutPayload(merchant)));

        var page = await pages.GetPageAsync($"/checkout/{id}");

        Assert.Contains($"<html lang=\"{tag}\">", page, StringComparison.Ordinal);
        Assert.Contains($"<h1>{heading}</h1>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("na", "de_DE")]
    [InlineData("na", "en_GB")]
    [InlineData("eu", "ja_JP")]
    [InlineData("eu", "en_US")]
    [InlineData("jp", "fr_FR")]
    [InlineData("eu", "de")]
    [InlineData("eu", "pt_BR")]
    public async Task ALanguageTheRegionDoesNotOffer_IsRefusedAtTheButton_AndNoCheckoutStarts(string region, string language)
    {
        var merchant = await fixture.Host.CreateMerchantAsync(region);
        using var browser = fixture.Host.Browser();

        using var response = await browser.GetAsync(new Uri(StartLink(merchant, HostedCheckout.CheckoutPayload(merchant), language), UriKind.Relative));
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("checkoutLanguage", page, StringComparison.Ordinal);
        Assert.Contains($"'{language}' is not a language of {region.ToUpperInvariant()} checkouts", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckoutButtonWithALanguageTheRegionDoesNotOffer_IsRefusedInTheRegionsLanguage()
    {
        var merchant = await fixture.Host.CreateMerchantAsync("eu");
        using var browser = fixture.Host.Browser();

        using var response = await browser.GetAsync(new Uri(StartLink(merchant, HostedCheckout.CheckoutPayload(merchant), "ja_JP"), UriKind.Relative));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<html lang=\"de-DE\">", page, StringComparison.Ordinal);
        Assert.Contains("<h1>Dieser Bezahl-Button kann nicht verwendet werden</h1>", page, StringComparison.Ordinal);
        Assert.Contains("<strong>InvalidParameterValue</strong>: ", page, StringComparison.Ordinal);
        Assert.Contains("Der Bezahl-Button des Shops ist falsch eingerichtet", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uk", "de_DE", "Anmelden und bezahlen")]
    [InlineData("jp", "en_US", "Sign in to pay")]
    public async Task TheRegionsOtherLanguages_AreOffered(string region, string language, string heading)
    {
        var merchant = await fixture.Host.CreateMerchantAsync(region);
        using var browser = fixture.Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = await pages.StartAsync(StartLink(merchant, HostedCheckout.CheckoutPayload(merchant), language));

        Assert.Contains($"<h1>{heading}</h1>", await pages.GetPageAsync($"/checkout/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLanguage_BelongsToTheCheckoutItsButtonStarted()
    {
        var merchant = await fixture.Host.CreateMerchantAsync("eu");
        using var browser = fixture.Host.Browser();
        var pages = new HostedCheckout(browser);
        var french = await pages.StartAsync(StartLink(merchant, HostedCheckout.CheckoutPayload(merchant), "fr_FR"));
        using var client = fixture.Host.Client(merchant);
        var created = (await client.CreateCheckoutSessionAsync(new Protocol.Json.CreateCheckoutSessionRequest
        {
            WebCheckoutDetails = new Protocol.Json.WebCheckoutDetailsDto { CheckoutReviewReturnUrl = Checkouts.ReviewUrl },
            StoreId = merchant.StoreId,
        })).Value;

        Assert.Contains("<html lang=\"de-DE\">", await pages.GetPageAsync($"/checkout/{created.CheckoutSessionId}"), StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fr-FR\">", await pages.GetPageAsync($"/checkout/{french}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSignInPage_SpeaksTheButtonsLanguage()
    {
        var merchant = await fixture.Host.CreateMerchantAsync("eu");
        using var browser = fixture.Host.Browser();
        var link = HostedCheckout.ButtonLink(
            "/signin", merchant, HostedSignIn.Payload(merchant, scopes: ["name", "email"]), extra: ("checkoutLanguage", "it_IT"));

        using var response = await browser.GetAsync(new Uri(link, UriKind.Relative));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"it-IT\">", page, StringComparison.Ordinal);
        Assert.Contains("<h1>Accedi</h1>", page, StringComparison.Ordinal);
        Assert.Contains("Il negozio riceverà: ID acquirente, nome e indirizzo email.", page, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"checkoutLanguage\" value=\"it_IT\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASignInButtonWithALanguageTheRegionDoesNotOffer_IsRefusedInTheRegionsLanguage()
    {
        var merchant = await fixture.Host.CreateMerchantAsync("jp");
        using var browser = fixture.Host.Browser();
        var link = HostedCheckout.ButtonLink("/signin", merchant, HostedSignIn.Payload(merchant), extra: ("checkoutLanguage", "es_ES"));

        using var response = await browser.GetAsync(new Uri(link, UriKind.Relative));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<h1>このサインインリンクは使用できません</h1>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"signin-error\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMerchantsName_IsEncoded_NotMarkup()
    {
        const string Name = "<script>alert('tillpoint')</script> & Söhne";
        var merchant = await fixture.Host.CreateMerchantAsync(name: Name);
        using var browser = fixture.Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = await pages.StartAsync(HostedCheckout.StartLink(merchant, HostedCheckout.CheckoutPayload(merchant)));

        var page = await pages.GetPageAsync($"/checkout/{id}");

        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#x27;tillpoint&#x27;)&lt;/script&gt; &amp; Söhne", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de_DE", "12.50", Currency.EUR, "12,50\u00A0€")]
    [InlineData("ja_JP", "1000", Currency.JPY, "¥1,000")]
    [InlineData("en_US", "1234.5", Currency.CHF, "CHF\u00A01,234.50")]
    [InlineData("fr_FR", "1234567.5", Currency.EUR, "1\u202F234\u202F567,50\u00A0€")]
    [InlineData("es_ES", "0.5", Currency.SEK, "0,50\u00A0SEK")]
    [InlineData("en_GB", "150000", Currency.GBP, "£150,000.00")]
    [InlineData("it_IT", "10000000", Currency.JPY, "10.000.000\u00A0¥")]
    public void AnAmount_IsWrittenAsItsLanguageWritesIt(string language, string amount, Currency currency, string expected) =>
        Assert.Equal(expected, HostedLanguage.Find(language)!.Amount(new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), currency)));

    [Fact]
    public void EveryLanguage_HasEveryTextOfTheHostedPages_WithTheSamePlaceholders()
    {
        var folder = Path.Combine(TestRepository.Root, "src", "Tillpoint.Server", "Resources", "Checkout");
        var english = Texts(Path.Combine(folder, "HostedPageText.resx"));

        foreach (var language in HostedLanguage.All.Where(l => l != HostedLanguage.EnglishUS))
        {
            var translated = Texts(Path.Combine(folder, $"HostedPageText.{language.Tag}.resx"));
            // British English says only what differs from American English; every other language says everything.
            var missing = language == HostedLanguage.EnglishUK ? [] : english.Keys.Except(translated.Keys).ToList();
            Assert.True(missing.Count == 0, $"{language.Code} lacks {string.Join(", ", missing)}");
            Assert.Empty(translated.Keys.Except(english.Keys));
            foreach (var (name, text) in translated)
            {
                Assert.True(
                    Placeholders(english[name]).SetEquals(Placeholders(text)),
                    $"{language.Code} {name}: '{text}' has other placeholders than '{english[name]}'");
            }
        }
    }

    private static Dictionary<string, string> Texts(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    private static string StartLink(TestMerchant merchant, string payload, string language) =>
        HostedCheckout.StartLink(merchant, payload, extra: ("checkoutLanguage", language));

    private static string Charging(TestMerchant merchant, string amount, string currency) => HostedCheckout.CheckoutPayload(merchant, payload =>
        payload["paymentDetails"] = new JsonObject
        {
            ["paymentIntent"] = "Authorize",
            ["chargeAmount"] = new JsonObject { ["amount"] = amount, ["currencyCode"] = currency },
        });

    [GeneratedRegex(@"\{\d\}")]
    private static partial Regex Placeholder();
}
