using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Template;
using Tillpoint.Domain;
using Tillpoint.Domain.Simulation;
using Tillpoint.Server.Docs;
using Tillpoint.Server.Errors;
using Tillpoint.Server.Hosting;
using Tillpoint.Server.Idempotency;
using Tillpoint.Server.Signing;
using Tillpoint.Storage;

namespace Tillpoint.Server.Api;

/// <summary>A serialized response: the status and the exact JSON bytes (also what an idempotent replay returns).</summary>
internal readonly record struct ApiResult(int StatusCode, byte[] Body)
{
    public static ApiResult Json<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo) =>
        new(statusCode, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    public static ApiResult Error(DomainError error) => new(ApiErrors.StatusOf(error.Code), ApiErrors.Body(error));

    public static implicit operator ApiResult(DomainError error) => Error(error);
}

/// <summary>The services every API handler uses.</summary>
internal sealed class ApiServices(
    ITillpointStore store, SignatureAuthenticator authenticator, ServerOptions options, IIdGenerator ids, BusinessClocks clocks)
{
    public BusinessClocks Clocks => clocks;

    public ITillpointStore Store => store;

    public SignatureAuthenticator Authenticator => authenticator;

    public ServerOptions Options => options;

    public IIdGenerator Ids => ids;
}

/// <summary>One authenticated API request, as a handler sees it.</summary>
internal sealed class ApiRequest(
    HttpContext context, ApiCaller caller, byte[] body, ApiServices services, SimulatedOutcome? simulation)
{
    public const string SimulationHeader = "x-amz-pay-simulation-code";

    public HttpContext Context => context;

    public ApiCaller Caller => caller;

    public ApiServices Services => services;

    public Owner Owner { get; } = new(caller.MerchantId, caller.Environment);

    /// <summary>The sandbox simulation the request asked for with <c>x-amz-pay-simulation-code</c>, if any.</summary>
    public SimulatedOutcome? Simulation => simulation;

    public Limits Limits => services.Options.Limits;

    /// <summary>The business time of this request in its environment, read once so every rule in it agrees.</summary>
    public DateTimeOffset Now { get; } = services.Clocks.Now(caller.Environment);

    public string Route(string name) => (string)context.GetRouteValue(name)!;

    /// <summary>Where buyers' browsers reach this server.</summary>
    public string PublicBaseUrl => services.Options.PublicUrl?.ToString().TrimEnd('/')
        ?? $"{context.Request.Scheme}://{context.Request.Host}";

    /// <summary>
    /// Parses the JSON body. Malformed JSON is InvalidRequestFormat, an unknown key UnrecognizedField, and a value
    /// of the wrong type InvalidParameterValue naming the field.
    /// </summary>
    public Result<T> ParseBody<T>(JsonTypeInfo<T> typeInfo)
        where T : class, new() => ApiJson.Parse(body, typeInfo);

    /// <summary>
    /// As <see cref="ParseBody"/>, but no body at all means an empty object: for the DELETE operations, whose
    /// fields are all optional and which some clients send without one.
    /// </summary>
    public Result<T> ParseOptionalBody<T>(JsonTypeInfo<T> typeInfo)
        where T : class, new() => body.Length == 0 ? new T() : ApiJson.Parse(body, typeInfo);

    /// <summary>
    /// The checks a write makes before it touches the store, in the API's order: the idempotency key header, then the
    /// body (parsed, then mapped to a command by <paramref name="map"/>).
    /// </summary>
    public Result<(TCommand Command, string? IdempotencyKey)> ReadCommand<TBody, TCommand>(
        JsonTypeInfo<TBody> typeInfo, Func<TBody, Result<TCommand>> map, bool idempotencyKeyRequired)
        where TBody : class, new()
    {
        var key = IdempotencyKeys.Read(context.Request, idempotencyKeyRequired);
        if (key.Error is not null)
        {
            return key.Error;
        }

        var parsed = ParseBody(typeInfo);
        var command = parsed.Error is null ? map(parsed.Value!) : parsed.Error;
        return command.Error is not null ? command.Error : (command.Value!, key.Value);
    }

    /// <summary>
    /// Runs a state-changing command in one durable transaction. With an idempotency key, a repeat of the same request
    /// replays the stored response and a changed request is refused; the check and the command share the transaction,
    /// so concurrent repeats have exactly one effect.
    /// </summary>
    public async Task<ApiResult> WriteAsync(string? idempotencyKey, Func<IWriteSession, ApiResult> command)
    {
        try
        {
            return await WriteOnceAsync(idempotencyKey, command);
        }
        catch (RefusedException refused)
        {
            return refused.Error;
        }
    }

    private async Task<ApiResult> WriteOnceAsync(string? idempotencyKey, Func<IWriteSession, ApiResult> command)
    {
        if (idempotencyKey is null)
        {
            return await services.Store.WriteAsync(command, context.RequestAborted);
        }

        var scope = new IdempotencyScope(
            caller.MerchantId, caller.Environment, context.Request.Method, NormalizedPath(context.Request.Path), idempotencyKey);
        var hash = IdempotencyKeys.RequestHash(body, context.Request.Headers[SimulationHeader].ToString());
        return await services.Store.WriteAsync(
            session =>
            {
                var stored = session.FindIdempotency(scope);
                if (stored is not null)
                {
                    if (stored.RequestHash.AsSpan().SequenceEqual(hash))
                    {
                        TillpointMetrics.IdempotentReplay();
                        return new ApiResult(stored.StatusCode, stored.ResponseBody);
                    }

                    return new DomainError(
                        ErrorCode.DuplicateIdempotencyKey,
                        "The IdempotencyKey that you have specified in this request was already used in a different request, and cannot be reused.");
                }

                var result = command(session);
                // Server failures are not remembered, so a retry can succeed; everything else is the answer for good.
                if (result.StatusCode < 500 && result.StatusCode != StatusCodes.Status429TooManyRequests)
                {
                    session.PutIdempotency(scope, new IdempotencyRecord(hash, result.StatusCode, result.Body));
                }

                return result;
            },
            CancellationToken.None);
    }

    /// <summary>
    /// The path without environment prefix or trailing slash, so /v2/x, /sandbox/v2/x and /sandbox/v2/x/ share keys
    /// (the environment is part of the scope already).
    /// </summary>
    private static string NormalizedPath(PathString path)
    {
        var value = path.Value ?? "/";
        var v2 = value.IndexOf("/v2/", StringComparison.Ordinal);
        return (v2 >= 0 ? value[(v2 + 3)..] : value).TrimEnd('/');
    }
}

/// <summary>
/// Thrown inside a write to refuse the request after some of its writes were made: the store rolls them all back and
/// the caller answers with <see cref="Error"/>.
/// </summary>
internal sealed class RefusedException(DomainError error) : Exception(error.Message)
{
    public DomainError Error => error;
}

internal static class ApiJson
{
    public static Result<T> Parse<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo)
        where T : class, new()
    {
        if (body.IsEmpty)
        {
            return new DomainError(ErrorCode.InvalidRequestFormat, "The request body is empty; a JSON object is required.");
        }

        if (!IsJsonObject(body))
        {
            return new DomainError(ErrorCode.InvalidRequestFormat, "The request body is not a valid JSON object.");
        }

        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) ?? new T();
        }
        catch (JsonException e)
        {
            var field = FieldName(e.Path);
            return e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? new DomainError(ErrorCode.UnrecognizedField, $"The field '{UnmappedName(e.Message) ?? field}' is invalid for this API.")
                : DomainError.InvalidValue(field, "it has the wrong type.");
        }
    }

    private static bool IsJsonObject(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>"$.captureAmount.amount" becomes "captureAmount.amount".</summary>
    private static string FieldName(string? path) => path is null or "$" ? "body" : path.TrimStart('$', '.');

    private static string? UnmappedName(string message)
    {
        // System.Text.Json: "The JSON property 'x' could not be mapped to any .NET member contained in type '…'."
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }
}

/// <summary>Maps API operations under /sandbox/v2, /live/v2 and /v2, and answers unknown routes in the API's format.</summary>
internal static class ApiRouting
{
    private static readonly List<(string Method, TemplateMatcher Matcher)> Operations = [];

    /// <summary>
    /// Maps one operation. <paramref name="simulation"/> names the operation in the sandbox simulation table when it
    /// accepts <c>x-amz-pay-simulation-code</c>; any other operation refuses the header.
    /// </summary>
    public static void MapApi(
        this WebApplication app,
        string method,
        string template,
        Func<ApiRequest, Task<ApiResult>> handler,
        SimulatedOperation? simulation = null)
    {
        var operation = ApiOperations.Get(method, template) with { AcceptsSimulation = simulation is not null };
        foreach (var (prefix, environment) in Prefixes)
        {
            var endpoint = app.MapMethods(
                $"{prefix}/{template}", [method], context => HandleAsync(context, environment, handler, simulation, operation.Name, fallback: false));
            ApiReference.Describe(endpoint, operation, documented: prefix == ApiReference.DocumentedPrefix);
        }

        Operations.Add((method, new TemplateMatcher(TemplateParser.Parse(template), new RouteValueDictionary())));
    }

    /// <summary>
    /// Unknown API paths get 404 ResourceNotFound, known paths with the wrong method 405, always as JSON. The caller is
    /// authenticated first, so unsigned probes learn nothing about which operations exist.
    /// </summary>
    public static void MapApiFallback(this WebApplication app)
    {
        foreach (var (prefix, environment) in Prefixes)
        {
            app.Map($"{prefix}/{{**rest}}", context => HandleAsync(context, environment, UnknownOperationAsync, null, ApiOperation.UnknownName, fallback: true));
        }
    }

    private static Task<ApiResult> UnknownOperationAsync(ApiRequest request)
    {
        var context = request.Context;
        var rest = "/" + ((string?)context.GetRouteValue("rest") ?? string.Empty).TrimEnd('/');
        var known = Operations.Any(o => o.Matcher.TryMatch(rest, new RouteValueDictionary()));
        return Task.FromResult(ApiResult.Error(known
            ? new DomainError(ErrorCode.RequestNotSupported, $"The method {context.Request.Method} is not supported on this path.")
            : new DomainError(ErrorCode.ResourceNotFound, "The requested resource does not exist.")));
    }

    private static readonly (string Prefix, ReleaseEnvironment? Environment)[] Prefixes =
    [
        ("/sandbox/v2", ReleaseEnvironment.Sandbox),
        ("/live/v2", ReleaseEnvironment.Live),
        ("/v2", null),
    ];

    private static async Task HandleAsync(
        HttpContext context, ReleaseEnvironment? environment, Func<ApiRequest, Task<ApiResult>> handler,
        SimulatedOperation? operation,
        string operationName,
        bool fallback)
    {
        var services = context.RequestServices.GetRequiredService<ApiServices>();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var body = await ReadBodyAsync(context.Request, services.Options.MaxRequestBodyBytes);
            if (body is null)
            {
                await ApiErrors.WriteAsync(
                    context,
                    new DomainError(ErrorCode.InvalidRequest, $"The request body is larger than {services.Options.MaxRequestBodyBytes} bytes."));
                return;
            }

            var caller = services.Authenticator.Authenticate(context.Request, environment, body);
            if (caller.Error is not null)
            {
                TillpointMetrics.SignatureFailure(caller.Error.Code.ToString());
                await ApiErrors.WriteAsync(context, caller.Error);
                return;
            }

            // An unknown route is a 404 whatever the headers say.
            var simulation = fallback
                ? default
                : SandboxSimulations.Resolve(context.Request.Headers[ApiRequest.SimulationHeader].ToString(), operation, caller.Value!.Environment);
            var result = simulation.Error is { } refused
                ? ApiResult.Error(refused)
                : await handler(new ApiRequest(context, caller.Value!, body, services, simulation.Value));
            context.Response.StatusCode = result.StatusCode;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = result.Body.Length;
            await context.Response.Body.WriteAsync(result.Body, context.RequestAborted);
        }
        finally
        {
            // What the client got: an exception before the answer started becomes the request-id middleware's 500.
            TillpointMetrics.Request(operationName, context.Response.HasStarted ? context.Response.StatusCode : StatusCodes.Status500InternalServerError, started);
        }
    }

    /// <summary>The raw body, which the signature covers byte for byte; null when it is over the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        switch (request.ContentLength)
        {
            case > 0 when request.ContentLength > maxBytes:
                return null;
            case 0:
                return [];
            case { } length:
                // The usual case: a declared length is read straight into an array of that size.
                var exact = new byte[length];
                await request.Body.ReadExactlyAsync(exact, cancellationToken);
                return exact;
            case null when request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false:
                // The server knows from the framing (no Content-Length, no chunking, no HTTP/2 data) there is none.
                return [];
            case null:
                return await ReadChunkedAsync(request.Body, maxBytes, cancellationToken);
        }
    }

    private static async Task<byte[]?> ReadChunkedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
