using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Template;
using Tillpoint.Domain.Simulation;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Docs;
using Tillpoint.Server.Errors;
using Tillpoint.Server.Hosting;
using Tillpoint.Server.Idempotency;
using Tillpoint.Server.Signing;

namespace Tillpoint.Server.Api;

/// <summary>A serialized response: the status and the exact JSON bytes (also what an idempotent replay returns).</summary>
internal readonly record struct ApiResult(int StatusCode, byte[] Body)
{
    public static ApiResult Json<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo) =>
        new(statusCode, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    /// <summary>A command's answer: what it made or changed, as <paramref name="toDto"/> shows it, or its refusal.</summary>
    public static ApiResult Json<T, TDto>(int statusCode, Result<T> result, Func<T, TDto> toDto, JsonTypeInfo<TDto> typeInfo) =>
        result.IsSuccess ? Json(statusCode, toDto(result.Value), typeInfo) : result.Error;

    public static ApiResult Error(DomainError error) => new(ApiErrors.StatusOf(error.Code), ApiErrors.Body(error));

    /// <summary>A refusal as a handler returns it.</summary>
    public static Task<ApiResult> Refused(DomainError error) => Task.FromResult(Error(error));

    public static implicit operator ApiResult(DomainError error) => Error(error);
}

/// <summary>The services every API handler uses.</summary>
internal sealed class ApiServices(
    ITillpointStore store,
    SignatureAuthenticator authenticator,
    ServerOptions options,
    IIdGenerator ids,
    BusinessClocks clocks,
    AuthorizationTokens authorizationTokens,
    Throttling.ApiGate gate)
{
    public Throttling.ApiGate Gate => gate;

    public AuthorizationTokens AuthorizationTokens => authorizationTokens;

    public BusinessClocks Clocks => clocks;

    public ITillpointStore Store => store;

    public SignatureAuthenticator Authenticator => authenticator;

    public ServerOptions Options => options;

    public IIdGenerator Ids => ids;
}

/// <summary>
/// One authenticated API request, as a handler sees it: its <c>x-amz-pay-idempotency-key</c> already checked by the
/// operation's rule (null when absent, or when the operation reads none).
/// </summary>
internal sealed class ApiRequest(
    HttpContext context, ApiCaller caller, byte[] body, ApiServices services, SimulatedOutcome? simulation, string? idempotencyKey)
{
    public HttpContext Context => context;

    public ApiCaller Caller => caller;

    public ApiServices Services => services;

    public Owner Owner { get; } = new(caller.MerchantId, caller.Environment);

    /// <summary>The sandbox simulation the request asked for with <c>x-amz-pay-simulation-code</c>, if any.</summary>
    public SimulatedOutcome? Simulation => simulation;

    public Limits Limits => services.Options.Limits;

    /// <summary>The business time of this request in its environment, read once so every rule in it agrees.</summary>
    public DateTimeOffset Now { get; } = services.Clocks.Now(caller.Environment);

    /// <summary>What the request's command runs with.</summary>
    public CommandContext Command => new(Owner, Now, Limits, simulation, services.Ids);

    public string Route(string name) => (string)context.GetRouteValue(name)!;

    /// <summary>Where buyers' browsers reach this server.</summary>
    public string PublicBaseUrl => services.Options.PublicBaseUrl(context.Request);

    /// <summary>
    /// Parses the JSON body. Malformed JSON is InvalidRequestFormat, an unknown key UnrecognizedField, and a value
    /// of the wrong type InvalidParameterValue naming the field. With <paramref name="optional"/>, no body at all means
    /// an empty object.
    /// </summary>
    public Result<T> ParseBody<T>(JsonTypeInfo<T> typeInfo, bool optional)
        where T : class, new() => optional && body.Length == 0 ? new T() : StrictJson.Parse(body, typeInfo);

    /// <summary>
    /// Runs a state-changing command in one durable transaction. With an idempotency key, a repeat of the same request
    /// replays the stored response and a changed request is refused; the check and the command share the transaction,
    /// so concurrent repeats have exactly one effect.
    /// </summary>
    public Task<ApiResult> WriteAsync(Func<IWriteSession, ApiResult> command)
    {
        if (idempotencyKey is null)
        {
            return services.Store.WriteAsync(command, context.RequestAborted);
        }

        var scope = new IdempotencyScope(
            caller.MerchantId, caller.Environment, context.Request.Method, NormalizedPath(context.Request.Path), idempotencyKey);
        var hash = IdempotencyKeys.RequestHash(body, context.Request.Headers[ApiOperation.SimulationHeader].ToString());
        return services.Store.WriteAsync(
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

    /// <summary>As <see cref="WriteAsync(Func{IWriteSession, ApiResult})"/> for a request mapped to a command; a request that did not map is refused as it is.</summary>
    public Task<ApiResult> WriteAsync<TCommand>(Result<TCommand> mapped, Func<IWriteSession, TCommand, ApiResult> command) =>
        mapped.IsSuccess ? WriteAsync(session => command(session, mapped.Value)) : ApiResult.Refused(mapped.Error);

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

/// <summary>Maps the application's API operations under /sandbox/v2, /live/v2 and /v2, and answers unknown routes in the API's format.</summary>
internal static class ApiRouting
{
    private static readonly (string Prefix, ReleaseEnvironment? Environment)[] Prefixes =
    [
        ("/sandbox/v2", ReleaseEnvironment.Sandbox),
        ("/live/v2", ReleaseEnvironment.Live),
        ("/v2", null),
    ];

    /// <summary>
    /// Maps every operation of the application's <see cref="ApiOperations"/> under each prefix, then the fallback:
    /// unknown API paths get 404 ResourceNotFound, known paths with the wrong method 405, always as JSON. The caller is
    /// authenticated first, so unsigned probes learn nothing about which operations exist.
    /// </summary>
    public static void MapMerchantApi(this WebApplication app)
    {
        var operations = app.Services.GetRequiredService<ApiOperations>().All;
        foreach (var operation in operations)
        {
            foreach (var (prefix, environment) in Prefixes)
            {
                var endpoint = app.MapMethods(
                    $"{prefix}/{operation.Template}", [operation.Method], context => HandleAsync(context, environment, operation));
                ApiReference.Describe(endpoint, operation, documented: prefix == ApiReference.DocumentedPrefix);
            }
        }

        // Built once, when the routes are mapped: the fallback only matches paths against it.
        var templates = operations
            .Select(o => o.Template)
            .Distinct()
            .Select(template => new TemplateMatcher(TemplateParser.Parse(template), new RouteValueDictionary()))
            .ToArray();
        var unknown = new ApiOperation(
            ApiOperation.UnknownName, string.Empty, "{**rest}", string.Empty, string.Empty, string.Empty, null, false, typeof(void), [],
            IdempotencyKeyUse.None, null, [], request => UnknownOperationAsync(request, templates));
        foreach (var (prefix, environment) in Prefixes)
        {
            app.Map($"{prefix}/{{**rest}}", context => HandleAsync(context, environment, unknown, fallback: true));
        }
    }

    private static Task<ApiResult> UnknownOperationAsync(ApiRequest request, TemplateMatcher[] templates)
    {
        var context = request.Context;
        var rest = "/" + ((string?)context.GetRouteValue("rest") ?? string.Empty).TrimEnd('/');
        var known = templates.Any(matcher => matcher.TryMatch(rest, new RouteValueDictionary()));
        return ApiResult.Refused(known
            ? new DomainError(ErrorCode.RequestNotSupported, $"The method {context.Request.Method} is not supported on this path.")
            : new DomainError(ErrorCode.ResourceNotFound, "The requested resource does not exist."));
    }

    /// <summary>
    /// Every operation's preamble, in the API's order: body size, signature, throttle and injected faults (spec §8.2's
    /// order: throttling after authentication), role, delegation, simulation code, idempotency key; then the operation's
    /// handler (which parses the body) and the answer's bytes.
    /// </summary>
    private static async Task HandleAsync(HttpContext context, ReleaseEnvironment? environment, ApiOperation operation, bool fallback = false)
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
            if (!caller.IsSuccess)
            {
                TillpointMetrics.SignatureFailure(caller.Error.Code.ToString());
                await ApiErrors.WriteAsync(context, caller.Error);
                return;
            }

            if (!fallback && await services.Gate.AnsweredAsync(context, operation.Name, caller.Value.MerchantId, caller.Value.Environment))
            {
                return;
            }

            var result = await RunAsync(context, operation, caller.Value, body, services, fallback);
            context.Response.StatusCode = result.StatusCode;
            if (result.StatusCode == StatusCodes.Status204NoContent)
            {
                // No Content has neither a body nor headers describing one; started here so it is counted as sent.
                await context.Response.StartAsync(context.RequestAborted);
                return;
            }

            context.Response.ContentType = "application/json";
            context.Response.ContentLength = result.Body.Length;
            await context.Response.Body.WriteAsync(result.Body, context.RequestAborted);
        }
        finally
        {
            // What the client got: an exception before the answer started becomes the request-id middleware's 500.
            TillpointMetrics.Request(operation.Name, context.Response.HasStarted ? context.Response.StatusCode : StatusCodes.Status500InternalServerError, started);
        }
    }

    /// <summary>The checks every operation makes after the signature, then its handler; no state machine of its own.</summary>
    private static async Task<ApiResult> RunAsync(
        HttpContext context, ApiOperation operation, ApiCaller signer, byte[] body, ApiServices services, bool fallback)
    {
        // First after the signature: who may call comes before what the request asks, so a caller without the role or
        // with a bad delegation learns nothing from its body, headers or idempotency key, and nothing is stored for it.
        if (operation.RequiredRole is { } role && !signer.Holds(role))
        {
            return new DomainError(
                ErrorCode.UnauthorizedAccess,
                $"The merchant '{signer.MerchantId}' is not authorized to call {operation.Name}: it needs the {MerchantGrants.Name(role)} role, which the operator grants.");
        }

        var acting = fallback || operation.ReadsAuthorizationToken ? signer : await services.AuthorizationTokens.ActingCallerAsync(context.Request, signer);
        if (!acting.IsSuccess)
        {
            return acting.Error;
        }

        var caller = acting.Value;

        // An unknown route is a 404 whatever the headers say.
        var simulation = fallback
            ? default
            : SandboxSimulations.Resolve(context.Request.Headers[ApiOperation.SimulationHeader].ToString(), operation.Simulation, caller.Environment);
        if (!simulation.IsSuccess)
        {
            return simulation.Error;
        }

        var key = operation.IdempotencyKey == IdempotencyKeyUse.None
            ? default
            : IdempotencyKeys.Read(context.Request, required: operation.IdempotencyKey == IdempotencyKeyUse.Required);
        if (!key.IsSuccess)
        {
            return key.Error;
        }

        return await operation.Handler(new ApiRequest(context, caller, body, services, simulation.Value, key.Value));
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
