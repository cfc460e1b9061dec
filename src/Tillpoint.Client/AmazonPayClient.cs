using System.Reflection;
using System.Text.Json.Serialization.Metadata;
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
public sealed partial class AmazonPayClient : IDisposable
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

    internal static HttpClient CreateOwnHttpClient() =>
        // The API redirects only Merchant Account Claim's caller (303), and that answer is what the caller wants to see.
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }, disposeHandler: true);

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
