using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Client;

/// <summary>
/// Calls Tillpoint's own operator endpoints, which are not part of Amazon's API: the sandbox clock, so that a test can
/// expire a checkout session, an authorization or a charge permission without waiting; the headless buyer, so that a
/// test can play the sandbox buyer of a checkout without driving the hosted pages; and a Sandbox buyer's actions on an
/// agreement (closing it, giving it another payment method). Thread-safe.
/// </summary>
/// <remarks>
/// Requests are not signed: they carry <c>authorization: Bearer {operator token}</c>, <c>accept: application/json</c>
/// and, with a body, <c>content-type: application/json</c>. Errors come back in the API's
/// <c>{"reasonCode","message"}</c> shape and are thrown as <see cref="AmazonPayException"/>, as by
/// <see cref="AmazonPayClient"/>. Nothing is retried.
/// </remarks>
public sealed class TillpointOperatorClient : IDisposable
{
    private const string JsonMediaType = "application/json";

    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly string _baseUrl;
    private readonly string _authorization;
    private volatile bool _disposed;

    /// <summary>Creates a client that sends through <paramref name="httpClient"/>, which it does not dispose.</summary>
    /// <param name="httpClient">The HTTP client; its handler decides TLS trust (e.g. a self-signed Tillpoint certificate).</param>
    /// <param name="endpoint">
    /// The server root, e.g. <c>https://127.0.0.1:8443</c>. A path, if present, is kept as a prefix in front of
    /// <c>/operator</c>; a query, fragment or user info is rejected.
    /// </param>
    /// <param name="operatorToken">The operator token, sent as a bearer token: visible ASCII without spaces.</param>
    /// <exception cref="ArgumentException">The endpoint or the token is unusable.</exception>
    public TillpointOperatorClient(HttpClient httpClient, Uri endpoint, string operatorToken)
        : this(httpClient, ownsHttpClient: false, endpoint, operatorToken)
    {
    }

    /// <summary>Creates a client with an <see cref="HttpClient"/> of its own, disposed with the client.</summary>
    /// <param name="endpoint">
    /// The server root, e.g. <c>https://127.0.0.1:8443</c>. A path, if present, is kept as a prefix in front of
    /// <c>/operator</c>; a query, fragment or user info is rejected.
    /// </param>
    /// <param name="operatorToken">The operator token, sent as a bearer token: visible ASCII without spaces.</param>
    /// <exception cref="ArgumentException">The endpoint or the token is unusable.</exception>
    public TillpointOperatorClient(Uri endpoint, string operatorToken)
        : this(AmazonPayClient.CreateOwnHttpClient(), ownsHttpClient: true, endpoint, operatorToken)
    {
    }

    private TillpointOperatorClient(HttpClient httpClient, bool ownsHttpClient, Uri endpoint, string operatorToken)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(httpClient);
            AmazonPayClient.ValidateEndpoint(endpoint, nameof(endpoint));
            ValidateToken(operatorToken, nameof(operatorToken));

            _httpClient = httpClient;
            _ownsHttpClient = ownsHttpClient;
            _baseUrl = endpoint.GetLeftPart(UriPartial.Authority) + endpoint.AbsolutePath.TrimEnd('/') + "/operator/";
            _authorization = "Bearer " + operatorToken;
        }
        catch
        {
            if (ownsHttpClient)
            {
                httpClient?.Dispose();
            }

            throw;
        }
    }

    /// <summary>Reads the sandbox clock: <c>GET /operator/clock</c>.</summary>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The sandbox's current time and its offset from the server's real clock.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error, or with a body that is not a clock.</exception>
    /// <exception cref="HttpRequestException">The request could not be sent or the response not read.</exception>
    public Task<OperatorClockDto> GetClockAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "clock", null, ApiJsonContext.Default.OperatorClockDto, ct);

    /// <summary>
    /// Moves the sandbox clock forward: <c>POST /operator/clock/advance</c> with <c>{"seconds": N}</c>. The clock only
    /// moves forward, by whole seconds.
    /// </summary>
    /// <param name="by">How far to move the clock: positive, a whole number of seconds.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The sandbox clock after the move.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is zero or negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="by"/> has a fraction of a second.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error, or with a body that is not a clock.</exception>
    /// <exception cref="HttpRequestException">The request could not be sent or the response not read.</exception>
    public Task<OperatorClockDto> AdvanceClockAsync(TimeSpan by, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(by, TimeSpan.Zero);

        // Truncating would move the clock less than asked, and a sub-second request would become a zero move.
        if (by.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException("The sandbox clock moves by whole seconds.", nameof(by));
        }

        var request = new AdvanceClockRequest { Seconds = by.Ticks / TimeSpan.TicksPerSecond };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, ApiRequestJsonContext.Default.AdvanceClockRequest);
        return SendAsync(HttpMethod.Post, "clock/advance", body, ApiJsonContext.Default.OperatorClockDto, ct);
    }

    /// <summary>
    /// The sandbox buyer signs in and chooses an address and a payment method, as on the hosted page:
    /// <c>POST /operator/checkoutSessions/{checkoutSessionId}/approve</c>. In the Additional Payment Button flow
    /// (<c>checkoutMode</c> ProcessOrder) the payment is processed too, as the hosted page goes straight on to it.
    /// </summary>
    /// <param name="checkoutSessionId">A Sandbox checkout session.</param>
    /// <param name="choice">
    /// The buyer, address and instrument; null, or any member left null, for the defaults: the buyer who chose already or
    /// else the first test buyer, their first address the merchant ships to, and <c>visa-1111</c>, which succeeds. A
    /// PayAndShipMultiAddress checkout takes several addresses in <see cref="BuyerChoice.ShippingAddressIds"/>.
    /// </param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>Where the buyer is sent: <c>checkoutReviewReturnUrl</c> (ProcessOrder: as <see cref="PayCheckoutAsync"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="checkoutSessionId"/> is empty or not a path segment.</exception>
    /// <exception cref="AmazonPayException">The server refused, e.g. 404 ResourceNotFound, 400 InvalidParameterValue, 422 InvalidCheckoutSessionStatus.</exception>
    /// <exception cref="HttpRequestException">The request could not be sent or the response not read.</exception>
    public Task<BuyerRedirect> ApproveCheckoutAsync(string checkoutSessionId, BuyerChoice? choice = null, CancellationToken ct = default)
    {
        var body = choice is null ? null : JsonSerializer.SerializeToUtf8Bytes(choice, ApiRequestJsonContext.Default.BuyerChoice);
        return BuyerStepAsync(checkoutSessionId, "approve", body, ct);
    }

    /// <summary>
    /// The sandbox buyer's browser reaches <c>amazonPayRedirectUrl</c>, where the chosen instrument decides:
    /// <c>POST /operator/checkoutSessions/{checkoutSessionId}/pay</c>. A repeat on a session still Open changes nothing.
    /// </summary>
    /// <param name="checkoutSessionId">A Sandbox checkout session the merchant has updated with everything processing needs.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>
    /// Where the buyer is sent: <c>checkoutResultReturnUrl</c> (also after a decline or the buyer's cancel), or after a soft
    /// decline the hosted page that asks for another payment method (choose one with <see cref="ApproveCheckoutAsync"/>, then pay again).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="checkoutSessionId"/> is empty or not a path segment.</exception>
    /// <exception cref="AmazonPayException">The server refused, e.g. 404 ResourceNotFound or 422 InvalidCheckoutSessionStatus.</exception>
    /// <exception cref="HttpRequestException">The request could not be sent or the response not read.</exception>
    public Task<BuyerRedirect> PayCheckoutAsync(string checkoutSessionId, CancellationToken ct = default) =>
        BuyerStepAsync(checkoutSessionId, "pay", null, ct);

    /// <summary>
    /// The sandbox buyer cancels checkout on the hosted page: <c>POST /operator/checkoutSessions/{checkoutSessionId}/cancel</c>.
    /// The session becomes Canceled with BuyerCanceled; canceling it again answers the same.
    /// </summary>
    /// <param name="checkoutSessionId">A Sandbox checkout session that is Open.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>Where the buyer is sent: <c>checkoutCancelUrl</c>, else the shop's home page.</returns>
    /// <exception cref="ArgumentException"><paramref name="checkoutSessionId"/> is empty or not a path segment.</exception>
    /// <exception cref="AmazonPayException">The server refused, e.g. 404 ResourceNotFound or 422 InvalidCheckoutSessionStatus.</exception>
    /// <exception cref="HttpRequestException">The request could not be sent or the response not read.</exception>
    public Task<BuyerRedirect> CancelCheckoutAsync(string checkoutSessionId, CancellationToken ct = default) =>
        BuyerStepAsync(checkoutSessionId, "cancel", null, ct);

    /// <summary>Disposes the <see cref="HttpClient"/> when the client created it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    private async Task<BuyerRedirect> BuyerStepAsync(string checkoutSessionId, string step, byte[]? body, CancellationToken ct)
    {
        var path = $"checkoutSessions/{AmazonPayClient.Segment(checkoutSessionId)}/{step}";
        var answer = await SendAsync(HttpMethod.Post, path, body, ApiJsonContext.Default.BuyerRedirectDto, ct).ConfigureAwait(false);
        return answer.RedirectUrl is { } redirectUrl
            ? new BuyerRedirect(checkoutSessionId, redirectUrl)
            : throw new AmazonPayException(200, AmazonPayException.InvalidResponseReasonCode, "The answer of the headless buyer has no redirectUrl.", null);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> typeInfo, CancellationToken ct)
        where T : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        using var request = new HttpRequestMessage(method, new Uri(_baseUrl + path, UriKind.Absolute));
        request.Headers.TryAddWithoutValidation("accept", JsonMediaType);
        request.Headers.TryAddWithoutValidation("authorization", _authorization);
        request.Headers.TryAddWithoutValidation("user-agent", AmazonPayClient.UserAgent);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("content-type", JsonMediaType);
        }

        using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        var raw = await AmazonPayRawResponse.ReadAsync(response, ct).ConfigureAwait(false);
        return raw.EnsureSuccess().Decode(typeInfo).Value;
    }

    // Visible ASCII only: a space or control character would break or split the authorization header.
    private static void ValidateToken(string token, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token, paramName);
        foreach (var c in token)
        {
            if (c is not (> ' ' and <= '~'))
            {
                throw new ArgumentException("The operator token must be visible ASCII without spaces.", paramName);
            }
        }
    }

    /// <summary>
    /// Acts as the buyer of a Sandbox Recurring or PaymentMethodOnFile charge permission and closes the agreement:
    /// <c>POST /operator/chargePermissions/{id}/close</c> with <c>{"closedBy":"Buyer"}</c>. The permission becomes
    /// <c>Closed</c>/<c>BuyerClosed</c> and its IPN is sent.
    /// </summary>
    /// <param name="chargePermissionId">The Sandbox charge permission.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The charge permission as Get Charge Permission shows it.</returns>
    /// <exception cref="AmazonPayException">
    /// The server refused: 404 <c>ResourceNotFound</c> for an unknown or Live permission, 422
    /// <c>InvalidChargePermissionStatus</c> for a OneTime or already Closed one.
    /// </exception>
    /// <exception cref="HttpRequestException">The request could not be sent or the response not read.</exception>
    public Task<ChargePermissionDto> CloseChargePermissionAsBuyerAsync(string chargePermissionId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chargePermissionId);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new OperatorCloseChargePermissionRequest { ClosedBy = "Buyer" }, ApiRequestJsonContext.Default.OperatorCloseChargePermissionRequest);
        return SendAsync(
            HttpMethod.Post, $"chargePermissions/{Uri.EscapeDataString(chargePermissionId)}/close", body, ApiJsonContext.Default.ChargePermissionDto, ct);
    }

    /// <summary>
    /// Acts as the buyer of a Sandbox Recurring or PaymentMethodOnFile charge permission and gives it another of their
    /// payment instruments, the recovery from a <c>HardDeclined</c> charge: <c>POST /operator/chargePermissions/{id}/paymentMethod</c>.
    /// The permission is Chargeable again (unless a charge is in progress) and its IPN is sent.
    /// </summary>
    /// <param name="chargePermissionId">The Sandbox charge permission.</param>
    /// <param name="instrumentId">One of the permission's sandbox buyer's instruments, e.g. <c>visa-1111</c>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The charge permission as Get Charge Permission shows it.</returns>
    /// <exception cref="AmazonPayException">The server refused (unknown instrument, OneTime or Closed permission).</exception>
    /// <exception cref="HttpRequestException">The request could not be sent or the response not read.</exception>
    public Task<ChargePermissionDto> UpdateChargePermissionPaymentMethodAsync(string chargePermissionId, string instrumentId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chargePermissionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(instrumentId);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new OperatorPaymentMethodRequest { InstrumentId = instrumentId }, ApiRequestJsonContext.Default.OperatorPaymentMethodRequest);
        return SendAsync(
            HttpMethod.Post, $"chargePermissions/{Uri.EscapeDataString(chargePermissionId)}/paymentMethod", body, ApiJsonContext.Default.ChargePermissionDto, ct);
    }
}
