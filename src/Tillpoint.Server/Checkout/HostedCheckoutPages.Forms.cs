using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;
using static Tillpoint.Server.Checkout.HostedPage;
using static Tillpoint.Server.Commands.BuyerCheckout;

namespace Tillpoint.Server.Checkout;

/// <summary>The hosted checkout's forms and the choices in them, as HTML; every value is encoded.</summary>
internal static partial class HostedCheckoutPages
{
    private static string SignInForm(CheckoutSession session, string? merchantName, Change? change, AntiforgeryTokenSet tokens)
    {
        var changeField = change is { } asked ? $"<input type=\"hidden\" name=\"change\" value=\"{ChangeName(asked)}\">" : string.Empty;
        return $"""
            <p>Sign in as a sandbox test buyer to pay {Html.Encode(AmountText(session))} to {Html.Encode(merchantName ?? "the shop")}.</p>
            {BuyerSignInForm($"/checkout/{Html.Encode(session.CheckoutSessionId)}/sign-in", tokens, changeField)}
            """;
    }

    private static string SelectionForm(CheckoutSession session, SandboxBuyer buyer, AntiforgeryTokenSet tokens)
    {
        var current = CurrentSelection(session, buyer);
        var addresses = NeedsAddress(session)
            ? MultiAddressSelection.Choices(session, buyer) ?? AddressChoices(session, buyer, current?.ShippingAddress)
            : string.Empty;
        var next = session.WebCheckoutDetails.CheckoutMode == CheckoutMode.ProcessOrder ? "Pay now" : "Continue to the shop";
        return $"""
            <p>Signed in as {Html.Encode(buyer.Name)} ({Html.Encode(buyer.Email)}). Choose how to pay {Html.Encode(AmountText(session))}.</p>
            {AgreementTerms(session)}
            <form id="buyer-approve" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/approve">
              {TokenField(tokens)}
              {addresses}
              {InstrumentChoices(buyer, current?.InstrumentId, declined: null)}
              <button type="submit">{next}</button>
            </form>
            """;
    }

    private static string ChangeAddressForm(CheckoutSession session, SandboxBuyer buyer, AntiforgeryTokenSet tokens) => $"""
        <form id="buyer-change-address" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/address">
          {TokenField(tokens)}
          {AddressChoices(session, buyer, session.Selection!.ShippingAddress)}
          <button type="submit">Use this address</button>
        </form>
        {KeepCurrentLink(session)}
        """;

    private static string ChangePaymentForm(CheckoutSession session, SandboxBuyer buyer, AntiforgeryTokenSet tokens) => $"""
        <form id="buyer-change-payment" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/payment">
          {TokenField(tokens)}
          {InstrumentChoices(buyer, session.Selection!.InstrumentId, declined: null)}
          <button type="submit">Use this payment method</button>
        </form>
        {KeepCurrentLink(session)}
        """;

    /// <summary>Back to the review page without changing anything (change pages offer no cancel: it would end the checkout).</summary>
    private static string KeepCurrentLink(CheckoutSession session) =>
        $"<p><a id=\"keep-current\" href=\"{Html.Encode(ReturnUrl(session.WebCheckoutDetails.CheckoutReviewReturnUrl!, session.CheckoutSessionId))}\">Keep the current choice and return to the shop</a></p>";

    private static string CancelForm(CheckoutSession session, AntiforgeryTokenSet tokens) => $"""
        <form id="buyer-cancel" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/cancel">
          {TokenField(tokens)}
          <button type="submit" class="secondary">Cancel and return to the shop</button>
        </form>
        """;

    /// <summary>
    /// The buyer's addresses as radios <c>shippingAddressId</c> = index; those deliverySpecifications rule out are
    /// disabled (the domain refuses them too). The current address is checked, else the first allowed one.
    /// </summary>
    private static string AddressChoices(CheckoutSession session, SandboxBuyer buyer, Address? selected)
    {
        var allowed = buyer.Addresses.Select(a => session.DeliverySpecifications?.Permits(a) ?? true).ToList();
        var check = selected is not null && buyer.Addresses.Contains(selected) ? buyer.Addresses.ToList().IndexOf(selected) : DefaultAddressIndex(session, buyer);
        var html = new StringBuilder("<fieldset><legend>Ship to</legend>");
        for (var i = 0; i < buyer.Addresses.Count; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"choice\"><input type=\"radio\" id=\"address-{i}\" name=\"shippingAddressId\" value=\"{i}\"")
                .Append(i == check && allowed[i] ? " checked" : string.Empty)
                .Append(allowed[i] ? string.Empty : " disabled")
                .Append(CultureInfo.InvariantCulture, $"><label for=\"address-{i}\">{Html.Encode(Describe(buyer.Addresses[i]))}")
                .Append(allowed[i] ? string.Empty : " <span class=\"hint\">The shop does not ship here.</span>")
                .Append("</label></div>");
        }

        return html.Append("</fieldset>").ToString();
    }

    /// <summary>
    /// The buyer's instruments as radios <c>paymentInstrumentId</c>, each labelled with what it simulates; a
    /// <paramref name="declined"/> one is shown disabled. The current one is checked, else the first usable one.
    /// </summary>
    private static string InstrumentChoices(SandboxBuyer buyer, string? selected, string? declined)
    {
        var check = buyer.Instruments.Any(i => i.InstrumentId == selected && i.InstrumentId != declined)
            ? selected
            : DefaultInstrument(buyer, declined).InstrumentId;
        var html = new StringBuilder("<fieldset><legend>Pay with</legend>");
        foreach (var (instrument, i) in buyer.Instruments.Select((x, i) => (x, i)))
        {
            var isDeclined = instrument.InstrumentId == declined;
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"choice\"><input type=\"radio\" id=\"instrument-{i}\" name=\"paymentInstrumentId\" value=\"{Html.Encode(instrument.InstrumentId)}\"")
                .Append(instrument.InstrumentId == check ? " checked" : string.Empty)
                .Append(isDeclined ? " disabled" : string.Empty)
                .Append(CultureInfo.InvariantCulture, $"><label for=\"instrument-{i}\">{Html.Encode(instrument.Descriptor)}")
                .Append(CultureInfo.InvariantCulture, $" <span class=\"hint\">{(isDeclined ? "Declined just now" : Html.Encode(Explain(instrument.Behavior)))}</span></label></div>");
        }

        return html.Append("</fieldset>").ToString();
    }

    private static string AmountText(CheckoutSession session) =>
        session.PaymentDetails.ChargeAmount?.ToString() ?? "your order";

    internal static string Describe(Address a) =>
        string.Join(", ", new[] { a.Name, a.AddressLine1, a.AddressLine2, a.City, a.StateOrRegion, a.PostalCode, a.CountryCode }.Where(p => !string.IsNullOrEmpty(p)));

    private static string Explain(InstrumentBehavior behavior) => behavior switch
    {
        InstrumentBehavior.Succeeds => "Sandbox: succeeds",
        InstrumentBehavior.BuyerCancels => "Sandbox: the buyer cancels during processing",
        InstrumentBehavior.Declines => "Sandbox: declined",
        InstrumentBehavior.PendingThenAuthorized => "Sandbox: pending, then authorized",
        InstrumentBehavior.PendingThenDeclined => "Sandbox: pending, then declined",
        InstrumentBehavior.SoftDeclines => "Sandbox: soft-declined during processing; choose another",
    };
}
