using Tillpoint.Client;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Testing;

/// <summary>
/// The sandbox buyer of a <see cref="TillpointTestServer"/>, without a browser: each step does what the buyer does on the
/// hosted pages (the same code runs), and answers where the buyer's browser would be sent next.
/// </summary>
public sealed class TillpointBuyer
{
    private readonly TillpointOperatorClient _operator;

    internal TillpointBuyer(TillpointOperatorClient @operator) => _operator = @operator;

    /// <summary>
    /// Signs in and chooses (by default the first sandbox buyer, their default address and a card that succeeds), up to
    /// the return to the merchant's <c>checkoutReviewReturnUrl</c>; a <c>ProcessOrder</c> session is also paid, as
    /// <see cref="PayAsync"/> would.
    /// </summary>
    /// <param name="checkoutSessionId">The session the merchant created.</param>
    /// <param name="choice">Another buyer, address or test instrument (a decline, a pending authorization).</param>
    /// <param name="ct">Cancels the call.</param>
    public Task<BuyerRedirect> ApproveAsync(string checkoutSessionId, BuyerChoice? choice = null, CancellationToken ct = default) =>
        _operator.ApproveCheckoutAsync(checkoutSessionId, choice, ct);

    /// <summary>
    /// What visiting <c>amazonPayRedirectUrl</c> does: processes the payment with the chosen instrument and answers
    /// <c>checkoutResultReturnUrl</c>, or, after a soft decline, the hosted page that asks for another instrument.
    /// </summary>
    /// <param name="checkoutSessionId">The session the merchant updated with its amounts.</param>
    /// <param name="ct">Cancels the call.</param>
    public Task<BuyerRedirect> PayAsync(string checkoutSessionId, CancellationToken ct = default) =>
        _operator.PayCheckoutAsync(checkoutSessionId, ct);

    /// <summary>The buyer's cancel: the session ends <c>Canceled</c>/<c>BuyerCanceled</c>.</summary>
    /// <param name="checkoutSessionId">The session to cancel.</param>
    /// <param name="ct">Cancels the call.</param>
    public Task<BuyerRedirect> CancelAsync(string checkoutSessionId, CancellationToken ct = default) =>
        _operator.CancelCheckoutAsync(checkoutSessionId, ct);
}
