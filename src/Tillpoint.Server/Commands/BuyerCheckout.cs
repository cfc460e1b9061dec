using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;
using static Tillpoint.Server.Checkout.HostedPage;

namespace Tillpoint.Server.Commands;

/// <summary>What a buyer's step did: the session as saved (null when it does not exist) and any refusal.</summary>
internal readonly record struct BuyerStep(CheckoutSession? Session, DomainError? Error);

/// <summary>
/// The buyer's steps of checkout: choosing an address and an instrument, processing at <c>amazonPayRedirectUrl</c>,
/// choosing another instrument after a soft decline, canceling. The hosted pages and the operator's headless buyer both
/// run them, so a script's buyer meets exactly the state machine a browser's buyer does. A session is found by its id
/// alone (the buyer's browser carries no merchant key) and taken as it stands in its own environment's time.
/// </summary>
internal static class BuyerCheckout
{
    /// <summary>Runs <paramref name="step"/> in one write on the session as it stands now; an unknown session is <c>default</c>.</summary>
    public static Task<BuyerStep> WriteAsync(
        ITillpointStore store, string checkoutSessionId, BusinessClocks clocks, Func<IWriteSession, CheckoutSession, DateTimeOffset, BuyerStep> step) =>
        store.WriteAsync(write =>
        {
            var stored = write.FindCheckoutSession(checkoutSessionId);
            if (stored is null)
            {
                return default(BuyerStep);
            }

            var now = clocks.Now(stored.Environment);
            var current = stored.AsOf(now);
            // A time-driven change (expiry) is saved only when there was one.
            var session = current.Events.Count == 0 ? current.Value : Save(write, current);
            return step(write, session, now);
        });

    /// <summary>
    /// The buyer's first choice (the hosted page's <c>buyer-approve</c> form): the address by its position in the buyer's
    /// list, when the checkout needs one, and the instrument by its id. A PayAndShipMultiAddress checkout takes the
    /// positions of <paramref name="shippingAddressIds"/> instead (or, without them, <paramref name="shippingAddressId"/>
    /// alone).
    /// </summary>
    public static Result<BuyerSelection> FirstChoice(
        CheckoutSession session, SandboxBuyer buyer, string? shippingAddressId, string? paymentInstrumentId, IReadOnlyList<string?>? shippingAddressIds = null)
    {
        var instrument = SandboxBuyers.FindInstrument(buyer, paymentInstrumentId);
        if (instrument is null)
        {
            return UnknownInstrument();
        }

        var multiAddress = session.ProductType == ProductType.PayAndShipMultiAddress;
        if (!multiAddress && shippingAddressIds is { Count: > 0 })
        {
            return new DomainError(
                ErrorCode.InvalidParameterCombination, "shippingAddressIds is for PayAndShipMultiAddress checkouts; choose one shippingAddressId.");
        }

        var oneAddress = NeedsAddress(session) && !multiAddress;
        var shipping = oneAddress ? AddressOf(buyer, shippingAddressId) : null;
        if (shipping is null && shippingAddressId is not null && oneAddress)
        {
            return UnknownAddress(shippingAddressId);
        }

        List<AddressWithId>? list = null;
        if (multiAddress)
        {
            var addresses = AddressesOf(buyer, shippingAddressIds is { Count: > 0 } ? shippingAddressIds : [shippingAddressId]);
            if (!addresses.IsSuccess)
            {
                return addresses.Error;
            }

            list = addresses.Value;
        }

        return new BuyerSelection(
            new BuyerDetails(buyer.BuyerId, buyer.Name, buyer.Email, buyer.PhoneNumber),
            shipping,
            buyer.BillingAddress,
            instrument.InstrumentId,
            instrument.Descriptor,
            instrument.Behavior,
            list);
    }

    /// <summary>The buyer's choice with another of the buyer's addresses (the review page's change link).</summary>
    public static Result<BuyerSelection> WithAddress(BuyerSelection current, SandboxBuyer buyer, string? shippingAddressId)
    {
        var address = AddressOf(buyer, shippingAddressId);
        return address is null && shippingAddressId is not null ? UnknownAddress(shippingAddressId) : current with { ShippingAddress = address };
    }

    /// <summary>
    /// A PayAndShipMultiAddress buyer's choice with other addresses (the review page's change link), by their positions
    /// in <paramref name="shippingAddressIds"/>.
    /// </summary>
    public static Result<BuyerSelection> WithAddresses(BuyerSelection current, SandboxBuyer buyer, IReadOnlyList<string?> shippingAddressIds)
    {
        var addresses = AddressesOf(buyer, shippingAddressIds);
        return addresses.IsSuccess ? current with { ShippingAddressList = addresses.Value } : addresses.Error;
    }

    /// <summary>The buyer's choice with another of the buyer's instruments (the review page's change link).</summary>
    public static Result<BuyerSelection> WithInstrument(BuyerSelection current, SandboxBuyer buyer, string? paymentInstrumentId) =>
        SandboxBuyers.FindInstrument(buyer, paymentInstrumentId) is { } instrument
            ? current with { InstrumentId = instrument.InstrumentId, PaymentDescriptor = instrument.Descriptor, Behavior = instrument.Behavior }
            : UnknownInstrument();

    /// <summary>Saves a choice of the buyer (first or changed); the domain checks it against deliverySpecifications.</summary>
    public static BuyerStep Choose(IWriteSession write, CheckoutSession session, Result<BuyerSelection> selection, DateTimeOffset now) =>
        selection.IsSuccess ? Saved(write, session, session.AssociateBuyer(selection.Value, now)) : new BuyerStep(session, selection.Error);

    /// <summary>
    /// The buyer reached <c>amazonPayRedirectUrl</c>: the chosen instrument decides. A repeat changes nothing, and a
    /// soft decline leaves the session Open for another instrument.
    /// </summary>
    public static BuyerStep Process(IWriteSession write, CheckoutSession session, DateTimeOffset now) =>
        Saved(write, session, session.Process(now));

    /// <summary>
    /// After a soft decline (form <c>buyer-retry-payment</c>): the session's buyer picks another instrument, and processing
    /// runs again in the same write. A second submit finds processing done and changes nothing.
    /// </summary>
    public static BuyerStep ChooseAnotherInstrument(IWriteSession write, CheckoutSession session, string? paymentInstrumentId, DateTimeOffset now)
    {
        if (session.SoftDeclinedInstrumentId is null && (session.Processed || session.State != CheckoutSessionState.Open))
        {
            return new BuyerStep(session, null);
        }

        var buyer = SandboxBuyers.Find(session.Selection?.Buyer.BuyerId);
        var instrument = buyer is null ? null : SandboxBuyers.FindInstrument(buyer, paymentInstrumentId);
        if (instrument is null)
        {
            return new BuyerStep(session, UnknownInstrument());
        }

        var chosen = session.ChooseAnotherInstrument(instrument.InstrumentId, instrument.Descriptor, instrument.Behavior, now);
        if (!chosen.IsSuccess)
        {
            return new BuyerStep(session, chosen.Error);
        }

        var processed = chosen.Value.Value.Process(now);
        return processed.IsSuccess
            ? new BuyerStep(Save(write, new Transition<CheckoutSession>(processed.Value.Value, [.. chosen.Value.Events, .. processed.Value.Events])), null)
            : new BuyerStep(Save(write, chosen.Value), processed.Error);
    }

    /// <summary>The buyer's cancel button: an Open session is canceled BuyerCanceled; any other is left as it is, with the refusal.</summary>
    public static BuyerStep Cancel(IWriteSession write, CheckoutSession session, DateTimeOffset now) =>
        Saved(write, session, session.CancelByBuyer(now));

    /// <summary>The buyer picks the shipping address unless the checkout ships nothing or the merchant supplied it (APB).</summary>
    public static bool NeedsAddress(CheckoutSession session) => session.ProductType != ProductType.PayOnly && session.AddressDetails is null;

    /// <summary>The address offered first: the buyer's first one the merchant ships to, -1 when there is none.</summary>
    public static int DefaultAddressIndex(CheckoutSession session, SandboxBuyer buyer) =>
        buyer.Addresses.Select(a => session.DeliverySpecifications?.Permits(a) ?? true).ToList().IndexOf(true);

    /// <summary>The instrument offered first: the buyer's first one that was not just <paramref name="declined"/>.</summary>
    public static PaymentInstrument DefaultInstrument(SandboxBuyer buyer, string? declined) =>
        buyer.Instruments.First(i => i.InstrumentId != declined);

    /// <summary>Where the buyer returns to the merchant: <paramref name="url"/> with <c>amazonCheckoutSessionId</c>.</summary>
    public static string ReturnUrl(string url, string checkoutSessionId) => WithQuery(url, "amazonCheckoutSessionId", checkoutSessionId);

    /// <summary>The processing step's path, which <c>amazonPayRedirectUrl</c> points at.</summary>
    public static string ProcessingPath(string checkoutSessionId) =>
        $"/checkout/processing?amazonCheckoutSessionId={Uri.EscapeDataString(checkoutSessionId)}";

    /// <summary>The merchant's site root, for a way back that is no return URL.</summary>
    public static string MerchantHome(CheckoutSession session) =>
        SiteHome(session.WebCheckoutDetails.CheckoutReviewReturnUrl ?? session.WebCheckoutDetails.CheckoutResultReturnUrl);

    private static Address? AddressOf(SandboxBuyer buyer, string? index) => PositionOf(buyer, index) is >= 0 and var i ? buyer.Addresses[i] : null;

    /// <summary>The position <paramref name="index"/> names in the buyer's address list, -1 when it names none.</summary>
    private static int PositionOf(SandboxBuyer buyer, string? index) =>
        int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < buyer.Addresses.Count ? i : -1;

    /// <summary>
    /// A multi-address buyer's addresses by their positions in the buyer's list; the position, written plainly, is the
    /// addressId merchants see. An empty choice is left to the domain, which names what is missing.
    /// </summary>
    private static Result<List<AddressWithId>> AddressesOf(SandboxBuyer buyer, IReadOnlyList<string?> shippingAddressIds)
    {
        var chosen = new List<AddressWithId>(shippingAddressIds.Count);
        foreach (var id in shippingAddressIds.OfType<string>())
        {
            var index = PositionOf(buyer, id);
            if (index < 0)
            {
                return UnknownAddress(id);
            }

            chosen.Add(new AddressWithId(index.ToString(CultureInfo.InvariantCulture), buyer.Addresses[index]));
        }

        return chosen;
    }

    private static DomainError UnknownAddress(string shippingAddressId) =>
        DomainError.InvalidValue("shippingAddressId", $"'{shippingAddressId}' is not one of the buyer's addresses.");

    private static DomainError UnknownInstrument() => DomainError.InvalidValue("paymentInstrumentId", "choose one of your payment methods.");

    /// <summary>The changed session saved, or the unchanged one with the refusal.</summary>
    private static BuyerStep Saved(IWriteSession write, CheckoutSession session, Result<Transition<CheckoutSession>> changed) =>
        changed.IsSuccess ? new BuyerStep(Save(write, changed.Value), null) : new BuyerStep(session, changed.Error);

    private static CheckoutSession Save(IWriteSession write, Transition<CheckoutSession> transition)
    {
        // Saved even without events: associating a buyer changes the session but not its state.
        var session = transition.Value;
        write.Append(session.MerchantId, session.Environment, transition.Events);
        return write.Save(session);
    }
}
