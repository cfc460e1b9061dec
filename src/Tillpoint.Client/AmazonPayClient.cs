using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tillpoint.Protocol.Json;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Client;

/// <summary>
/// Calls an Amazon Pay Checkout API v2 server (Tillpoint or Amazon's own) with signed requests. Thread-safe: share one
/// instance per merchant key.
/// </summary>
/// <remarks>
/// <para>
/// Each request carries <c>accept</c>, <c>content-type</c> (both <c>application/json</c>, also on GET),
/// <c>x-amz-pay-date</c>, <c>x-amz-pay-host</c>, <c>x-amz-pay-region</c> and, when present,
/// <c>x-amz-pay-idempotency-key</c>, <c>x-amz-pay-simulation-code</c> and <see cref="RequestOptions.ExtraHeaders"/>,
/// all of them signed; a <c>user-agent</c> of <c>Tillpoint.Client/{version}</c> is added unsigned.
/// </para>
/// <para>
/// Nothing is retried: the caller decides. A retried POST must reuse the same <see cref="RequestOptions.IdempotencyKey"/>
/// (see <see cref="RequestOptions"/>).
/// </para>
/// </remarks>
public sealed class AmazonPayClient : IDisposable
{
    private const string JsonMediaType = "application/json";
    private const int MaxIdempotencyKeyLength = 32;

    // Names the client sets itself or the transport owns; ExtraHeaders may not use them.
    private static readonly string[] ReservedHeaderNames =
    [
        "accept", "content-type", "x-amz-pay-date", "x-amz-pay-host", "x-amz-pay-region", "x-amz-pay-idempotency-key",
        "x-amz-pay-simulation-code", "authorization", "host", "content-length", "transfer-encoding", "connection",
    ];

    internal static readonly string UserAgent = "Tillpoint.Client/" + ClientVersion();

    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly RsaSigningKey _signingKey;
    private readonly RequestSigner _signer;
    private readonly SignatureAlgorithm _algorithm;
    private readonly TimeProvider _timeProvider;
    private readonly string _baseUrl;
    private readonly string _host;
    private readonly string _region;
    private volatile bool _disposed;

    /// <summary>Creates a client that sends through <paramref name="httpClient"/>, which it does not dispose.</summary>
    /// <param name="httpClient">The HTTP client; its handler decides TLS trust (e.g. a self-signed Tillpoint certificate).</param>
    /// <param name="options">Endpoint, key and signing options.</param>
    /// <exception cref="ArgumentException">An option is invalid, or the PEM holds no usable RSA private key.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The PEM block is not a valid RSA private key.</exception>
    public AmazonPayClient(HttpClient httpClient, AmazonPayClientOptions options)
        : this(httpClient, ownsHttpClient: false, options)
    {
    }

    /// <summary>Creates a client with an <see cref="HttpClient"/> of its own, disposed with the client.</summary>
    /// <param name="options">Endpoint, key and signing options.</param>
    /// <exception cref="ArgumentException">An option is invalid, or the PEM holds no usable RSA private key.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The PEM block is not a valid RSA private key.</exception>
    public AmazonPayClient(AmazonPayClientOptions options)
        : this(CreateOwnHttpClient(), ownsHttpClient: true, options)
    {
    }

    private AmazonPayClient(HttpClient httpClient, bool ownsHttpClient, AmazonPayClientOptions options)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(httpClient);
            ArgumentNullException.ThrowIfNull(options);
            ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
            ArgumentException.ThrowIfNullOrWhiteSpace(options.PublicKeyId, nameof(options));
            ArgumentException.ThrowIfNullOrWhiteSpace(options.PrivateKeyPem, nameof(options));
            ValidateRegion(options.Region, nameof(options));
            (_baseUrl, _host) = BaseUrlAndHost(options);

            _httpClient = httpClient;
            _ownsHttpClient = ownsHttpClient;
            _timeProvider = options.TimeProvider;
            _region = options.Region;
            _algorithm = options.Algorithm;
            _signingKey = RsaSigningKey.FromPem(options.PrivateKeyPem);
            try
            {
                _signer = new RequestSigner(options.PublicKeyId, _signingKey, options.Algorithm);
            }
            catch
            {
                _signingKey.Dispose();
                throw;
            }
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

    /// <summary>Returns a new idempotency key: a random UUID without hyphens (32 lower-case hex digits), as the official SDKs make them.</summary>
    /// <returns>The key.</returns>
    public static string NewIdempotencyKey() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Signs an Amazon Pay button payload (spec §2.11), like the official SDKs' <c>generateButtonSignature</c>: the
    /// <c>signature</c> of the button's <c>createCheckoutSessionConfig</c> (or <c>signInConfig</c>), made with this
    /// client's key and <see cref="AmazonPayClientOptions.Algorithm"/>. Give the button that algorithm's name too
    /// (<see cref="SignatureAlgorithms.Name"/>); without it, checkout.js assumes <c>AMZN-PAY-RSASSA-PSS</c>.
    /// </summary>
    /// <param name="payloadJson">
    /// The exact <c>payloadJSON</c> string the button gets, e.g. a Create Checkout Session body. It is signed as given,
    /// byte for byte, so the page must hand the button this very string.
    /// </param>
    /// <returns>The base64 signature.</returns>
    /// <exception cref="ArgumentException">The payload is empty.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public string GenerateButtonSignature(string payloadJson)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(payloadJson);
        return ButtonSignature.Sign(_signingKey, _algorithm, payloadJson);
    }

    /// <summary>Create Checkout Session: <c>POST checkoutSessions</c> (201). Sends an idempotency key, generated when none is given.</summary>
    /// <param name="request">The session to create.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The created checkout session.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<CheckoutSessionDto>> CreateCheckoutSessionAsync(CreateCheckoutSessionRequest request,
        RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Post, "checkoutSessions",
            Serialize(request, ApiRequestJsonContext.Default.CreateCheckoutSessionRequest),
            ApiJsonContext.Default.CheckoutSessionDto, options, ct);
    }

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
        UpdateCheckoutSessionRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Patch, "checkoutSessions/" + Segment(checkoutSessionId),
            Serialize(request, ApiRequestJsonContext.Default.UpdateCheckoutSessionRequest),
            ApiJsonContext.Default.CheckoutSessionDto, options, ct);
    }

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
        CompleteCheckoutSessionRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Post, "checkoutSessions/" + Segment(checkoutSessionId) + "/complete",
            Serialize(request, ApiRequestJsonContext.Default.CompleteCheckoutSessionRequest),
            ApiJsonContext.Default.CheckoutSessionDto, options, ct);
    }

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
        FinalizeCheckoutSessionRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Post, "checkoutSessions/" + Segment(checkoutSessionId) + "/finalize",
            Serialize(request, ApiRequestJsonContext.Default.FinalizeCheckoutSessionRequest),
            ApiJsonContext.Default.CheckoutSessionDto, options, ct);
    }

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
        UpdateChargePermissionRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Patch, "chargePermissions/" + Segment(chargePermissionId),
            Serialize(request, ApiRequestJsonContext.Default.UpdateChargePermissionRequest),
            ApiJsonContext.Default.ChargePermissionDto, options, ct);
    }

    /// <summary>Close Charge Permission: <c>DELETE chargePermissions/{id}/close</c> with a JSON body (200).</summary>
    /// <param name="chargePermissionId">The charge permission id.</param>
    /// <param name="request">The closure reason and whether to cancel open charges.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The closed charge permission.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ChargePermissionDto>> CloseChargePermissionAsync(string chargePermissionId,
        CloseChargePermissionRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Delete, "chargePermissions/" + Segment(chargePermissionId) + "/close",
            Serialize(request, ApiRequestJsonContext.Default.CloseChargePermissionRequest),
            ApiJsonContext.Default.ChargePermissionDto, options, ct);
    }

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
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Post, "charges", Serialize(request, ApiRequestJsonContext.Default.CreateChargeRequest),
            ApiJsonContext.Default.ChargeDto, options, ct);
    }

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
        RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Post, "charges/" + Segment(chargeId) + "/capture",
            Serialize(request, ApiRequestJsonContext.Default.CaptureChargeRequest), ApiJsonContext.Default.ChargeDto, options, ct);
    }

    /// <summary>Cancel Charge: <c>DELETE charges/{id}/cancel</c> with a JSON body (200).</summary>
    /// <param name="chargeId">The charge id.</param>
    /// <param name="request">The cancellation reason.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The canceled charge.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ChargeDto>> CancelChargeAsync(string chargeId, CancelChargeRequest request,
        RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Delete, "charges/" + Segment(chargeId) + "/cancel",
            Serialize(request, ApiRequestJsonContext.Default.CancelChargeRequest), ApiJsonContext.Default.ChargeDto, options, ct);
    }

    /// <summary>
    /// Create Refund: <c>POST refunds</c> (201; RefundInitiated). Sends an idempotency key, generated when none is given.
    /// </summary>
    /// <param name="request">The captured charge and the amount to refund.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The created refund.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<RefundDto>> CreateRefundAsync(CreateRefundRequest request, RequestOptions? options = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Post, "refunds", Serialize(request, ApiRequestJsonContext.Default.CreateRefundRequest),
            ApiJsonContext.Default.RefundDto, options, ct);
    }

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
        RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync(HttpMethod.Post, "deliveryTrackers",
            Serialize(request, ApiRequestJsonContext.Default.DeliveryTrackerRequest),
            ApiJsonContext.Default.DeliveryTrackerRequest, options, ct);
    }

    /// <summary>
    /// Sends a signed request and returns the response undecoded, whatever its status (see
    /// <see cref="AmazonPayRawResponse.EnsureSuccess"/>). A POST gets an idempotency key, generated when none is given.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="resourcePath">
    /// The path below <c>/v2/</c> (or <c>/sandbox/v2/</c>, <c>/live/v2/</c>), e.g. <c>charges/ID/capture</c>, optionally
    /// with a <c>?query</c>. Ids in it must already be escaped (<see cref="Uri.EscapeDataString(string)"/>). A leading
    /// <c>/</c> is ignored.
    /// </param>
    /// <param name="body">The exact JSON bytes to send and sign; <see langword="null"/> sends an empty body (GET). Must not change until the call ends.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The status, body and request id.</returns>
    /// <exception cref="ArgumentException">The path or an option is invalid.</exception>
    /// <exception cref="HttpRequestException">The request could not be sent or the response not read.</exception>
    public async Task<AmazonPayRawResponse> SendAsync(HttpMethod method, string resourcePath, ReadOnlyMemory<byte>? body,
        RequestOptions? options = null, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(resourcePath);

        var uri = BuildUri(resourcePath);
        var bodyMemory = body ?? ReadOnlyMemory<byte>.Empty;
        using var request = new HttpRequestMessage(method, uri);
        request.Content = new ReadOnlyMemoryContent(bodyMemory);

        var headers = BuildSignedHeaders(method, options);
        var rawQuery = uri.Query.Length > 1 ? uri.Query[1..] : null;
        var authorization = _signer.Sign(method.Method, uri.AbsolutePath, rawQuery, headers, bodyMemory.Span);

        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value) && !request.Content.Headers.TryAddWithoutValidation(name, value))
            {
                throw new ArgumentException($"Header '{name}' cannot be sent.", nameof(options));
            }
        }

        request.Headers.TryAddWithoutValidation("authorization", authorization);
        if (!headers.ContainsKey("user-agent"))
        {
            request.Headers.TryAddWithoutValidation("user-agent", UserAgent);
        }

        using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        return await AmazonPayRawResponse.ReadAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>Disposes the signing key and, when the client created it, the <see cref="HttpClient"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _signingKey.Dispose();
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    private async Task<AmazonPayResponse<T>> SendJsonAsync<T>(HttpMethod method, string resourcePath, byte[]? body,
        JsonTypeInfo<T> responseType, RequestOptions? options, CancellationToken ct)
        where T : class
    {
        var raw = await SendAsync(method, resourcePath, body, options, ct).ConfigureAwait(false);
        return raw.EnsureSuccess().Decode(responseType);
    }

    private static byte[] Serialize<T>(T request, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(request, typeInfo);

    private Uri BuildUri(string resourcePath)
    {
        var path = resourcePath.AsSpan().TrimStart('/');
        if (path.Contains('#'))
        {
            throw new ArgumentException("The resource path must not contain a fragment.", nameof(resourcePath));
        }

        // The signature covers the path and query as Uri will send them, so whatever normalization Uri applies is signed too.
        return new Uri(string.Concat(_baseUrl, path), UriKind.Absolute);
    }

    private Dictionary<string, string> BuildSignedHeaders(HttpMethod method, RequestOptions? options)
    {
        var extraCount = options?.ExtraHeaders?.Count ?? 0;
        var headers = new Dictionary<string, string>(7 + extraCount, StringComparer.OrdinalIgnoreCase)
        {
            ["accept"] = JsonMediaType,
            ["content-type"] = JsonMediaType,
            ["x-amz-pay-date"] = RequestSigner.FormatDate(_timeProvider.GetUtcNow()),
            ["x-amz-pay-host"] = _host,
            ["x-amz-pay-region"] = _region,
        };

        var idempotencyKey = options?.IdempotencyKey;
        if (idempotencyKey is not null)
        {
            ValidateIdempotencyKey(idempotencyKey, nameof(options));
            headers["x-amz-pay-idempotency-key"] = idempotencyKey;
        }
        else if (method == HttpMethod.Post)
        {
            headers["x-amz-pay-idempotency-key"] = NewIdempotencyKey();
        }

        if (options?.SimulationCode is { } simulationCode)
        {
            ValidateHeaderValue("x-amz-pay-simulation-code", simulationCode, nameof(options));
            headers["x-amz-pay-simulation-code"] = simulationCode;
        }

        if (options?.ExtraHeaders is { } extra)
        {
            foreach (var (name, value) in extra)
            {
                ValidateExtraHeaderName(name, nameof(options));
                ValidateHeaderValue(name, value, nameof(options));
                if (!headers.TryAdd(name, value))
                {
                    throw new ArgumentException($"Extra header '{name}' is given more than once.", nameof(options));
                }
            }
        }

        return headers;
    }

    private static string Segment(string id, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(id))] string? paramName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, paramName);
        if (id is "." or "..")
        {
            throw new ArgumentException("An id cannot be '.' or '..'.", paramName);
        }

        return Uri.EscapeDataString(id);
    }

    private static (string BaseUrl, string Host) BaseUrlAndHost(AmazonPayClientOptions options)
    {
        var endpoint = options.Endpoint;
        ValidateEndpoint(endpoint, nameof(options));

        var keyId = options.PublicKeyId;
        var environment = keyId.StartsWith("SANDBOX-", StringComparison.OrdinalIgnoreCase)
            || keyId.StartsWith("LIVE-", StringComparison.OrdinalIgnoreCase)
            ? string.Empty
            : options.Sandbox ? "/sandbox" : "/live";

        // Host as HttpClient sends it (punycode, IPv6 in brackets), with the port only when it is not the scheme's default.
        var hostName = endpoint.HostNameType == UriHostNameType.IPv6 ? $"[{endpoint.IdnHost}]" : endpoint.IdnHost;
        var host = endpoint.IsDefaultPort ? hostName : $"{hostName}:{endpoint.Port}";
        var prefix = endpoint.AbsolutePath.TrimEnd('/');
        return ($"{endpoint.Scheme}://{host}{prefix}{environment}/v2/", host);
    }

    internal static void ValidateEndpoint(Uri endpoint, string paramName)
    {
        ArgumentNullException.ThrowIfNull(endpoint, paramName);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The endpoint must be an absolute http or https URI.", paramName);
        }

        if (endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0 || endpoint.UserInfo.Length > 0)
        {
            throw new ArgumentException("The endpoint must not carry a query, fragment or user info.", paramName);
        }
    }

    private static void ValidateRegion(string region, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region, paramName);
        ValidateHeaderValue("x-amz-pay-region", region, paramName);
    }

    private static void ValidateIdempotencyKey(string key, string paramName)
    {
        if (key.Length is 0 or > MaxIdempotencyKeyLength)
        {
            throw new ArgumentException($"An idempotency key has 1 to {MaxIdempotencyKeyLength} characters.", paramName);
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new ArgumentException("An idempotency key may only contain A-Z, a-z, 0-9, '-' and '_'.", paramName);
            }
        }
    }

    private static void ValidateExtraHeaderName(string name, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, paramName);
        foreach (var reserved in ReservedHeaderNames)
        {
            if (string.Equals(name, reserved, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Header '{name}' is set by the client and cannot be an extra header.", paramName);
            }
        }
    }

    // Printable ASCII and tab: what HttpClient sends unchanged and every server reads back the same.
    private static void ValidateHeaderValue(string name, string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        foreach (var c in value)
        {
            if (c is not ((>= ' ' and <= '~') or '\t'))
            {
                throw new ArgumentException($"The value of header '{name}' must be printable ASCII.", paramName);
            }
        }
    }

    internal static HttpClient CreateOwnHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true);

    private static string ClientVersion()
    {
        var assembly = typeof(AmazonPayClient).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }

        return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
