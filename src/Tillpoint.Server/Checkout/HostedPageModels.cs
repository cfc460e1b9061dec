using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Localization;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// A text of a hosted page: the name of a resource of <see cref="HostedPageText"/> and its arguments (amounts are
/// written as the page's language writes them), or words shown as they are: a refusal's message, which is the API's
/// wording and stays in English like the API's.
/// </summary>
public sealed record PageText(string Name, IReadOnlyList<object> Arguments, bool AsGiven = false)
{
    public static PageText Of(string name, params object[] arguments) => new(name, arguments);

    public static PageText Given(string text) => new(text, [], AsGiven: true);
}

/// <summary>The type the hosted pages' texts are looked up by (<c>Resources/Checkout/HostedPageText.*.resx</c>).</summary>
internal sealed class HostedPageText;

internal static class PageTexts
{
    /// <summary>The resource <paramref name="name"/> in the language of the page being rendered (the current UI culture).</summary>
    public static string Say(this IStringLocalizer text, string name) => text[name].Value;

    /// <summary>The text in the language of the page being rendered (the current UI culture).</summary>
    public static string Say(this IStringLocalizer text, PageText line) =>
        line.AsGiven ? line.Name : text[line.Name, [.. line.Arguments.Select(argument => Argument(text, argument))]].Value;

    private static object Argument(IStringLocalizer text, object argument) => argument switch
    {
        Money money => HostedLanguage.Current.Amount(money),
        PageText inner => text.Say(inner),
        _ => argument,
    };
}

/// <summary>What the one layout of the hosted pages needs: the language, the banner and the one heading.</summary>
public sealed record PageFrame(HostedLanguage Language, PageText Banner, PageText Heading)
{
    public static PageText CheckoutBanner { get; } = PageText.Of("CheckoutBanner");

    public static PageText SignInBanner { get; } = PageText.Of("SignInBanner");
}

/// <summary>A hosted page: its frame, and the page's own content in the derived record.</summary>
public abstract record HostedPageModel(PageFrame Frame);

/// <summary>One radio of a choice: the value posted, its label and hint, and whether it is checked or unavailable.</summary>
public sealed record Choice(string Id, string Value, string Label, PageText? Hint, bool Checked, bool Disabled);

/// <summary>
/// The inputs of one field: radios of the buyer's addresses (<c>shippingAddressId</c>) or instruments
/// (<c>paymentInstrumentId</c>), or checkboxes of several addresses (<c>shippingAddressIds</c>).
/// </summary>
public sealed record ChoiceGroup(PageText Legend, string Name, IReadOnlyList<Choice> Choices)
{
    /// <summary>Checkboxes rather than radios: the buyer may choose several.</summary>
    public bool Several { get; init; }

    /// <summary>The fieldset's id, for the groups that tests and scripts find by it.</summary>
    public string? Id { get; init; }

    public static ChoiceGroup Addresses(IReadOnlyList<Choice> choices) => new(PageText.Of("ShipTo"), "shippingAddressId", choices);

    public static ChoiceGroup SeveralAddresses(IReadOnlyList<Choice> choices) =>
        new(PageText.Of("ShipToSeveral"), "shippingAddressIds", choices) { Several = true, Id = "ship-to-several" };

    public static ChoiceGroup Instruments(IReadOnlyList<Choice> choices) => new(PageText.Of("PayWith"), "paymentInstrumentId", choices);
}

public sealed record HiddenField(string Name, string Value);

/// <summary>The form that signs the buyer in as a sandbox test buyer, posted to <paramref name="Action"/> with <paramref name="Hidden"/>.</summary>
public sealed record BuyerSignInForm(string Action, AntiforgeryTokenSet Tokens, IReadOnlyList<HiddenField> Hidden);

/// <summary>The form that ends a checkout or sign-in, posted to <paramref name="Action"/> with <paramref name="Hidden"/>.</summary>
public sealed record CancelForm(string Action, AntiforgeryTokenSet Tokens, IReadOnlyList<HiddenField> Hidden);

/// <summary>A page of a message and a way on: a closed, missing, refused or finished checkout or sign-in.</summary>
public sealed record NoticePage(PageFrame Frame, IReadOnlyList<NoticeLine> Lines) : HostedPageModel(Frame);

/// <summary>
/// A paragraph of a notice: text, then optionally a link and text after it; an alert is set apart (and announced when
/// it has the alert role).
/// </summary>
public sealed record NoticeLine(PageText? Before, string? Href = null, PageText? LinkText = null, PageText? After = null)
{
    public string? Id { get; init; }

    public string? LinkId { get; init; }

    /// <summary>A reason code the line starts with, set in bold: a refusal's <c>reasonCode</c>.</summary>
    public string? Code { get; init; }

    public bool Alert { get; init; }
}

/// <summary>The checkout's sign-in: who is paid how much, the test buyers, and the way out.</summary>
public sealed record CheckoutSignInPage(
    PageFrame Frame, string CheckoutSessionId, PageText Intro, string? Change, AntiforgeryTokenSet Tokens) : HostedPageModel(Frame);

/// <summary>The buyer's first choice (form <c>buyer-approve</c>): address when one is needed, then the instrument.</summary>
public sealed record SelectionPage(
    PageFrame Frame,
    string CheckoutSessionId,
    PageText Intro,
    PageText? Terms,
    ChoiceGroup? Addresses,
    IReadOnlyList<Choice> Instruments,
    PageText Submit,
    AntiforgeryTokenSet Tokens) : HostedPageModel(Frame);

/// <summary>A change asked for by the merchant's review page: the address or the instrument, and the way back.</summary>
public sealed record ChangePage(
    PageFrame Frame, string FormId, string Action, ChoiceGroup Choices, bool IsAddress, string KeepCurrentUrl, AntiforgeryTokenSet Tokens)
    : HostedPageModel(Frame);

/// <summary>After a soft decline at processing (form <c>buyer-retry-payment</c>).</summary>
public sealed record PaymentDeclinedPage(
    PageFrame Frame, string CheckoutSessionId, PageText Declined, PageText? Problem, IReadOnlyList<Choice> Instruments, AntiforgeryTokenSet Tokens)
    : HostedPageModel(Frame);

/// <summary>"Sign in with Amazon Pay": the merchant, what it receives, the test buyers; the request rides along protected.</summary>
public sealed record SignInPage(PageFrame Frame, PageText Intro, PageText Shared, IReadOnlyList<HiddenField> Hidden, AntiforgeryTokenSet Tokens)
    : HostedPageModel(Frame);

/// <summary>The buyer's agreement (a subscription or saved wallet) at <paramref name="Path"/>: its terms and the two forms.</summary>
public sealed record AgreementPage(
    PageFrame Frame, string Path, PageText SignedInAs, PageText Terms, PageText? Problem, IReadOnlyList<Choice> Instruments, AntiforgeryTokenSet Tokens)
    : HostedPageModel(Frame);

/// <summary>The agreement page's sign-in; <paramref name="Taken"/> when the buyer signed in is not the agreement's.</summary>
public sealed record AgreementSignInPage(PageFrame Frame, string Path, PageText Intro, bool Taken, AntiforgeryTokenSet Tokens)
    : HostedPageModel(Frame);
