using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Client;

/// <summary>The Checkout API's operations, one typed method each, all sent through <see cref="SendAsync"/>.</summary>
public sealed partial class AmazonPayClient
{
    /// <summary>Create Checkout Session: <c>POST checkoutSessions</c> (201). Sends an idempotency key, generated when none is given.</summary>
    /// <param name="request">The session to create.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The created checkout session.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<CheckoutSessionDto>> CreateCheckoutSessionAsync(CreateCheckoutSessionRequest request,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "checkoutSessions", request, ApiRequestJsonContext.Default.CreateCheckoutSessionRequest,
            ApiJsonContext.Default.CheckoutSessionDto, options, ct);

    /// <summary>Get Checkout Session: <c>GET checkoutSessions/{id}</c> (200).</summary>
    /// <param name="checkoutSessionId">The checkout session id.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The checkout session.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<CheckoutSessionDto>> GetCheckoutSessionAsync(string checkoutSessionId,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Get, "checkoutSessions/" + Segment(checkoutSessionId), null,
            ApiJsonContext.Default.CheckoutSessionDto, options, ct);

    /// <summary>Update Checkout Session: <c>PATCH checkoutSessions/{id}</c> (200).</summary>
    /// <param name="checkoutSessionId">The checkout session id.</param>
    /// <param name="request">The fields to change.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The updated checkout session.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<CheckoutSessionDto>> UpdateCheckoutSessionAsync(string checkoutSessionId,
        UpdateCheckoutSessionRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Patch, "checkoutSessions/" + Segment(checkoutSessionId), request, ApiRequestJsonContext.Default.UpdateCheckoutSessionRequest,
            ApiJsonContext.Default.CheckoutSessionDto, options, ct);

    /// <summary>
    /// Complete Checkout Session: <c>POST checkoutSessions/{id}/complete</c> (200, or 202 while authorization is pending).
    /// Sends an idempotency key, generated when none is given.
    /// </summary>
    /// <param name="checkoutSessionId">The checkout session id.</param>
    /// <param name="request">The amounts to confirm.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The completed checkout session.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<CheckoutSessionDto>> CompleteCheckoutSessionAsync(string checkoutSessionId,
        CompleteCheckoutSessionRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "checkoutSessions/" + Segment(checkoutSessionId) + "/complete", request, ApiRequestJsonContext.Default.CompleteCheckoutSessionRequest,
            ApiJsonContext.Default.CheckoutSessionDto, options, ct);

    /// <summary>
    /// Finalize Checkout Session: <c>POST checkoutSessions/{id}/finalize</c> (200, or 202 while authorization is pending),
    /// the "Buy Now" counterpart of Complete. Sends an idempotency key, generated when none is given.
    /// </summary>
    /// <param name="checkoutSessionId">The checkout session id.</param>
    /// <param name="request">The amounts, payment intent and address the buyer saw.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The finalized checkout session.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<CheckoutSessionDto>> FinalizeCheckoutSessionAsync(string checkoutSessionId,
        FinalizeCheckoutSessionRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "checkoutSessions/" + Segment(checkoutSessionId) + "/finalize", request, ApiRequestJsonContext.Default.FinalizeCheckoutSessionRequest,
            ApiJsonContext.Default.CheckoutSessionDto, options, ct);

    /// <summary>Get Charge Permission: <c>GET chargePermissions/{id}</c> (200).</summary>
    /// <param name="chargePermissionId">The charge permission id.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The charge permission.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ChargePermissionDto>> GetChargePermissionAsync(string chargePermissionId,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Get, "chargePermissions/" + Segment(chargePermissionId), null,
            ApiJsonContext.Default.ChargePermissionDto, options, ct);

    /// <summary>Update Charge Permission: <c>PATCH chargePermissions/{id}</c> (200).</summary>
    /// <param name="chargePermissionId">The charge permission id.</param>
    /// <param name="request">The fields to change.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The updated charge permission.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ChargePermissionDto>> UpdateChargePermissionAsync(string chargePermissionId,
        UpdateChargePermissionRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Patch, "chargePermissions/" + Segment(chargePermissionId), request, ApiRequestJsonContext.Default.UpdateChargePermissionRequest,
            ApiJsonContext.Default.ChargePermissionDto, options, ct);

    /// <summary>Close Charge Permission: <c>DELETE chargePermissions/{id}/close</c> with a JSON body (200).</summary>
    /// <param name="chargePermissionId">The charge permission id.</param>
    /// <param name="request">The closure reason and whether to cancel open charges.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The closed charge permission.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ChargePermissionDto>> CloseChargePermissionAsync(string chargePermissionId,
        CloseChargePermissionRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Delete, "chargePermissions/" + Segment(chargePermissionId) + "/close", request, ApiRequestJsonContext.Default.CloseChargePermissionRequest,
            ApiJsonContext.Default.ChargePermissionDto, options, ct);

    /// <summary>
    /// Create Charge: <c>POST charges</c> (201; Authorized, Captured or AuthorizationInitiated). Sends an idempotency key,
    /// generated when none is given.
    /// </summary>
    /// <param name="request">The charge permission and amount to charge.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The created charge.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error, a synchronous decline included.</exception>
    public Task<AmazonPayResponse<ChargeDto>> CreateChargeAsync(CreateChargeRequest request, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "charges", request, ApiRequestJsonContext.Default.CreateChargeRequest,
            ApiJsonContext.Default.ChargeDto, options, ct);

    /// <summary>Get Charge: <c>GET charges/{id}</c> (200).</summary>
    /// <param name="chargeId">The charge id.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The charge.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ChargeDto>> GetChargeAsync(string chargeId, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Get, "charges/" + Segment(chargeId), null, ApiJsonContext.Default.ChargeDto, options, ct);

    /// <summary>Capture Charge: <c>POST charges/{id}/capture</c> (200). Sends an idempotency key, generated when none is given.</summary>
    /// <param name="chargeId">The charge id.</param>
    /// <param name="request">The amount to capture.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The charge after the capture (Captured or CaptureInitiated).</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ChargeDto>> CaptureChargeAsync(string chargeId, CaptureChargeRequest request,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "charges/" + Segment(chargeId) + "/capture", request, ApiRequestJsonContext.Default.CaptureChargeRequest,
            ApiJsonContext.Default.ChargeDto, options, ct);

    /// <summary>Cancel Charge: <c>DELETE charges/{id}/cancel</c> with a JSON body (200).</summary>
    /// <param name="chargeId">The charge id.</param>
    /// <param name="request">The cancellation reason.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The canceled charge.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ChargeDto>> CancelChargeAsync(string chargeId, CancelChargeRequest request,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Delete, "charges/" + Segment(chargeId) + "/cancel", request, ApiRequestJsonContext.Default.CancelChargeRequest,
            ApiJsonContext.Default.ChargeDto, options, ct);

    /// <summary>
    /// Create Refund: <c>POST refunds</c> (201; RefundInitiated). Sends an idempotency key, generated when none is given.
    /// </summary>
    /// <param name="request">The captured charge and the amount to refund.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The created refund.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<RefundDto>> CreateRefundAsync(CreateRefundRequest request, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "refunds", request, ApiRequestJsonContext.Default.CreateRefundRequest,
            ApiJsonContext.Default.RefundDto, options, ct);

    /// <summary>Get Refund: <c>GET refunds/{id}</c> (200).</summary>
    /// <param name="refundId">The refund id.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The refund.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<RefundDto>> GetRefundAsync(string refundId, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Get, "refunds/" + Segment(refundId), null, ApiJsonContext.Default.RefundDto, options, ct);

    /// <summary>Get Buyer: <c>GET buyers/{buyerToken}</c> (200), for Sign in with Amazon Pay.</summary>
    /// <param name="buyerToken">
    /// The <c>buyerToken</c> query parameter the sign-in flow put on the merchant's return URL, unescaped; the client
    /// escapes it for the path. Tokens are short-lived: exchange them at once.
    /// </param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The buyer's profile, with the fields the sign-in scopes allow.</returns>
    /// <exception cref="ArgumentException">The token is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<BuyerProfileDto>> GetBuyerAsync(string buyerToken, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Get, "buyers/" + Segment(buyerToken), null, ApiJsonContext.Default.BuyerProfileDto, options, ct);

    /// <summary>
    /// Delivery Trackers: <c>POST deliveryTrackers</c> (200, echoing the request). Sends an idempotency key, generated
    /// when none is given, as for every POST.
    /// </summary>
    /// <param name="request">The charge permission (or v1 order reference) and its shipments.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The server's echo of the trackers it accepted.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<DeliveryTrackerRequest>> DeliveryTrackersAsync(DeliveryTrackerRequest request,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "deliveryTrackers", request, ApiRequestJsonContext.Default.DeliveryTrackerRequest,
            ApiJsonContext.Default.DeliveryTrackerRequest, options, ct);

    /// <summary>Sends <paramref name="request"/> as the JSON body.</summary>
    private Task<AmazonPayResponse<TResponse>> SendJsonAsync<TRequest, TResponse>(HttpMethod method, string resourcePath, TRequest request,
        JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, RequestOptions? options, CancellationToken ct)
        where TResponse : class =>
        SendJsonAsync(method, resourcePath, JsonBody(request, requestType), responseType, options, ct);

    /// <summary>The JSON body of <paramref name="request"/>, refusing a null one before anything is sent.</summary>
    private static byte[] JsonBody<TRequest>(TRequest request, JsonTypeInfo<TRequest> requestType)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonSerializer.SerializeToUtf8Bytes(request, requestType);
    }
}
