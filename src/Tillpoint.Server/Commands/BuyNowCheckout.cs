using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Server.Commands;

/// <summary>
/// The Buy Now dialog's steps (the JavaScript-only checkout): signing the sandbox buyer in with their default address
/// and instrument, changing either, and recording the cart the merchant's page returned. They run the hosted pages' own
/// buyer steps (<see cref="BuyerCheckout"/>) on sessions a Buy Now button started, and no others.
/// </summary>
internal static class BuyNowCheckout
{
    /// <summary>The buyer signs in: their first address the merchant ships to and their first instrument are chosen.</summary>
    public static BuyerStep SignIn(IWriteSession write, CheckoutSession session, SandboxBuyer buyer, DateTimeOffset now)
    {
        if (NotBuyNow(session) is { } refused)
        {
            return new BuyerStep(session, refused);
        }

        // Signing in again as the session's buyer keeps what they chose.
        if (session.Selection?.Buyer.BuyerId == buyer.BuyerId)
        {
            return new BuyerStep(session, null);
        }

        // With no address the merchant ships to, the first one is offered, for the domain to refuse with its reason.
        var addressId = Math.Max(0, BuyerCheckout.DefaultAddressIndex(session, buyer)).ToString(CultureInfo.InvariantCulture);
        var instrumentId = BuyerCheckout.DefaultInstrument(buyer, declined: null).InstrumentId;
        return BuyerCheckout.Choose(write, session, BuyerCheckout.FirstChoice(session, buyer, addressId, instrumentId), now);
    }

    /// <summary>The buyer picks another of their addresses (<paramref name="addressId"/>, its position) or instruments.</summary>
    public static BuyerStep Change(
        IWriteSession write, CheckoutSession session, string? addressId, string? instrumentId, DateTimeOffset now)
    {
        if ((NotBuyNow(session) ?? NotSignedIn(session)) is { } refused)
        {
            return new BuyerStep(session, refused);
        }

        var buyer = SandboxBuyers.Find(session.Selection!.Buyer.BuyerId)!;
        var selection = addressId is not null
            ? BuyerCheckout.WithAddress(session.Selection, buyer, addressId)
            : BuyerCheckout.WithInstrument(session.Selection, buyer, instrumentId);
        return BuyerCheckout.Choose(write, session, selection, now);
    }

    /// <summary>The buyer was shown <paramref name="cart"/>; its currency must be one the merchant's region presents.</summary>
    public static BuyerStep ShowCart(IWriteSession write, CheckoutSession session, ShownCart cart, Limits limits, DateTimeOffset now)
    {
        var refused = NotBuyNow(session)
            ?? Merchants.RegionOf(write, session.MerchantId).CheckPresented("cart", cart.ChargeAmount, cart.TotalOrderAmount, null);
        if (refused is not null)
        {
            return new BuyerStep(session, refused);
        }

        var shown = session.ShowCart(cart, now, limits);
        if (!shown.IsSuccess)
        {
            return new BuyerStep(session, shown.Error);
        }

        return new BuyerStep(write.Save(shown.Value.Value), null);
    }

    /// <summary>The buyer closes the dialog: an Open session is canceled BuyerCanceled; a repeat changes nothing.</summary>
    public static BuyerStep Cancel(IWriteSession write, CheckoutSession session, DateTimeOffset now) =>
        NotBuyNow(session) is { } refused
            ? new BuyerStep(session, refused)
            : session is { State: CheckoutSessionState.Canceled, ReasonCode: CheckoutSessionReasonCode.BuyerCanceled }
                ? new BuyerStep(session, null)
                : BuyerCheckout.Cancel(write, session, now);

    private static DomainError? NotBuyNow(CheckoutSession session) => session.BuyNow
        ? null
        : new DomainError(ErrorCode.InvalidCheckoutSessionStatus, "This Checkout Session was not started by a Buy Now button; its buyer uses the hosted pages.");

    private static DomainError? NotSignedIn(CheckoutSession session) => session.Selection is null
        ? new DomainError(ErrorCode.InvalidCheckoutSessionStatus, "The buyer has not signed in yet.")
        : null;
}
