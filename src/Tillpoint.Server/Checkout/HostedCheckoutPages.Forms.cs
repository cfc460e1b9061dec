using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;
using static Tillpoint.Server.Checkout.HostedPage;
using static Tillpoint.Server.Commands.BuyerCheckout;

namespace Tillpoint.Server.Checkout;

/// <summary>The hosted checkout's pages with forms, and the choices in them; the markup is in <c>Pages/</c>.</summary>
internal static partial class HostedCheckoutPages
{
    private static IResult SignInPage(HostedLanguage language, CheckoutSession session, string? merchantName, Change? change, AntiforgeryTokenSet tokens) =>
        Render(
            Pages.CheckoutSignIn.Create(new CheckoutSignInPage(
                Frame(language, "SignInToPay"),
                session.CheckoutSessionId,
                PageText.Of("SignInToPayText", AmountText(session), merchantName ?? (object)PageText.Of("TheShop")),
                change is { } asked ? ChangeName(asked) : null,
                tokens)),
            StatusCodes.Status200OK,
            language);

    private static IResult SelectionPage(HostedLanguage language, CheckoutSession session, SandboxBuyer buyer, AntiforgeryTokenSet tokens)
    {
        var current = CurrentSelection(session, buyer);
        var needsAddress = NeedsAddress(session);
        return Render(
            Pages.Selection.Create(new SelectionPage(
                Frame(language, needsAddress ? "ChooseAddressAndPayment" : "ChoosePayment"),
                session.CheckoutSessionId,
                PageText.Of("SignedInAs", buyer.Name, buyer.Email, AmountText(session)),
                AgreementTerms(session),
                needsAddress ? MultiAddressSelection.Choices(session, buyer) ?? ChoiceGroup.Addresses(AddressChoices(session, buyer, current?.ShippingAddress)) : null,
                InstrumentChoices(buyer, current?.InstrumentId, declined: null),
                PageText.Of(session.WebCheckoutDetails.CheckoutMode == CheckoutMode.ProcessOrder ? "PayNow" : "ContinueToShop"),
                tokens)),
            StatusCodes.Status200OK,
            language);
    }

    /// <summary>A change from the review page (forms <c>buyer-change-address</c>, <c>buyer-change-payment</c>).</summary>
    private static IResult ChangePage(HostedLanguage language, CheckoutSession session, SandboxBuyer buyer, Change change, AntiforgeryTokenSet tokens)
    {
        var selection = session.Selection!;
        var (heading, formId, path, choices) = change switch
        {
            Change.Address => ("ChangeAddress", "buyer-change-address", "address",
                MultiAddressSelection.Choices(session, buyer) ?? ChoiceGroup.Addresses(AddressChoices(session, buyer, selection.ShippingAddress))),
            Change.Payment => ("ChangePayment", "buyer-change-payment", "payment", ChoiceGroup.Instruments(InstrumentChoices(buyer, selection.InstrumentId, declined: null))),
        };
        return Render(
            Pages.Change.Create(new ChangePage(
                Frame(language, heading),
                formId,
                $"/checkout/{session.CheckoutSessionId}/{path}",
                choices,
                change == Change.Address,
                ReturnUrl(session.WebCheckoutDetails.CheckoutReviewReturnUrl!, session.CheckoutSessionId),
                tokens)),
            StatusCodes.Status200OK,
            language);
    }

    /// <summary>
    /// The buyer's addresses as radios <c>shippingAddressId</c> = index; those deliverySpecifications rule out are
    /// disabled (the domain refuses them too). The current address is checked, else the first allowed one.
    /// </summary>
    private static IReadOnlyList<Choice> AddressChoices(CheckoutSession session, SandboxBuyer buyer, Address? selected)
    {
        var check = selected is not null && buyer.Addresses.Contains(selected) ? buyer.Addresses.ToList().IndexOf(selected) : DefaultAddressIndex(session, buyer);
        return [.. buyer.Addresses.Select((address, i) =>
        {
            var allowed = session.DeliverySpecifications?.Permits(address) ?? true;
            var index = i.ToString(CultureInfo.InvariantCulture);
            return new Choice($"address-{index}", index, Describe(address), allowed ? null : PageText.Of("NotShippedHere"), i == check && allowed, !allowed);
        })];
    }

    /// <summary>
    /// The buyer's instruments as radios <c>paymentInstrumentId</c>, each labelled with what it simulates; a
    /// <paramref name="declined"/> one is shown disabled. The current one is checked, else the first usable one.
    /// </summary>
    private static IReadOnlyList<Choice> InstrumentChoices(SandboxBuyer buyer, string? selected, string? declined)
    {
        var check = buyer.Instruments.Any(i => i.InstrumentId == selected && i.InstrumentId != declined)
            ? selected
            : DefaultInstrument(buyer, declined).InstrumentId;
        return [.. buyer.Instruments.Select((instrument, i) =>
        {
            var isDeclined = instrument.InstrumentId == declined;
            return new Choice(
                $"instrument-{i.ToString(CultureInfo.InvariantCulture)}",
                instrument.InstrumentId,
                instrument.Descriptor,
                PageText.Of(isDeclined ? "DeclinedJustNow" : Explain(instrument.Behavior)),
                instrument.InstrumentId == check,
                isDeclined);
        })];
    }

    /// <summary>The amount the buyer pays, written by the page's language, or "your order" before the merchant set it.</summary>
    private static object AmountText(CheckoutSession session) =>
        session.PaymentDetails.ChargeAmount is { } amount ? amount : PageText.Of("YourOrder");

    internal static string Describe(Address a) =>
        string.Join(", ", new[] { a.Name, a.AddressLine1, a.AddressLine2, a.City, a.StateOrRegion, a.PostalCode, a.CountryCode }.Where(p => !string.IsNullOrEmpty(p)));

    /// <summary>The resource that says what an instrument simulates.</summary>
    private static string Explain(InstrumentBehavior behavior) => behavior switch
    {
        InstrumentBehavior.Succeeds => "InstrumentSucceeds",
        InstrumentBehavior.BuyerCancels => "InstrumentBuyerCancels",
        InstrumentBehavior.Declines => "InstrumentDeclines",
        InstrumentBehavior.PendingThenAuthorized => "InstrumentPendingThenAuthorized",
        InstrumentBehavior.PendingThenDeclined => "InstrumentPendingThenDeclined",
        InstrumentBehavior.SoftDeclines => "InstrumentSoftDeclines",
    };
}
