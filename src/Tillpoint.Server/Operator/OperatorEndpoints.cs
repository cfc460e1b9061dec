using System.Text.Json.Serialization.Metadata;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Errors;
using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Operator;

/// <summary>
/// Tillpoint's own operator endpoints (not part of Amazon's API): the sandbox clock and the headless buyer. Authenticated
/// with the operator token as <c>Authorization: Bearer …</c>, never with a merchant key; answers in the API's error format.
/// </summary>
internal static class OperatorEndpoints
{
    /// <summary>Ten years: far past every lifetime the rules know (13 months).</summary>
    internal const long MaxAdvanceSeconds = 10L * 366 * 24 * 3600;

    /// <summary>The sandbox never runs more than a century ahead, so its dates stay far from overflowing.</summary>
    private static readonly TimeSpan MaxOffset = TimeSpan.FromDays(100 * 366);

    public static void MapOperator(this WebApplication app)
    {
        app.MapGet("/operator/clock", GetClockAsync);
        app.MapPost("/operator/clock/advance", AdvanceClockAsync);
        app.MapHeadlessBuyer();
        app.MapOperatorFaults();
        app.MapOperatorChargePermissions();
        app.Map("/operator/{**rest}", NotFoundAsync);
    }

    private static async Task GetClockAsync(HttpContext context)
    {
        if (await AuthorizedAsync(context))
        {
            await WriteAsync(context, context.RequestServices.GetRequiredService<BusinessClocks>());
        }
    }

    private static async Task AdvanceClockAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var body = await ReadBodyAsync(context, ApiRequestJsonContext.Default.AdvanceClockRequest, optional: false);
        var error = !body.IsSuccess ? body.Error : body.Value.Seconds switch
        {
            null => DomainError.Missing("seconds"),
            <= 0 or > MaxAdvanceSeconds => DomainError.InvalidValue(
                "seconds", $"the clock only moves forward, by 1 to {MaxAdvanceSeconds.ToString(CultureInfo.InvariantCulture)} seconds."),
            _ => null,
        };
        if (error is not null)
        {
            await ApiErrors.WriteAsync(context, error);
            return;
        }

        var clocks = context.RequestServices.GetRequiredService<BusinessClocks>();
        var advanced = await AdvanceSandboxAsync(context.RequestServices, TimeSpan.FromSeconds(body.Value?.Seconds ?? 0));
        if (advanced is null)
        {
            await ApiErrors.WriteAsync(context, DomainError.InvalidValue("seconds", MaxOffsetMessage));
            return;
        }

        await WriteAsync(context, clocks);
    }

    /// <summary>
    /// Reads a JSON body as the API does (at most the API's body size; malformed JSON, unknown members and wrong types
    /// refused with their reason codes). With <paramref name="optional"/>, no body at all is an empty object.
    /// </summary>
    internal static async Task<Result<T>> ReadBodyAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, bool optional)
        where T : class, new()
    {
        var options = context.RequestServices.GetRequiredService<ServerOptions>();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > options.MaxRequestBodyBytes)
        {
            return new DomainError(ErrorCode.InvalidRequest, "The request body is too large.");
        }

        return optional && buffer.Length == 0 ? new T() : StrictJson.Parse(buffer.ToArray(), typeInfo);
    }

    internal static string MaxOffsetMessage => $"the sandbox clock may run at most {MaxOffset.TotalDays:0} days ahead of the real clock.";

    /// <summary>
    /// Moves the sandbox clock forward and processes what fell due; null, changing nothing, past the maximum offset.
    /// Shared by the endpoint and the dashboard.
    /// </summary>
    internal static async Task<TimeSpan?> AdvanceSandboxAsync(IServiceProvider services, TimeSpan by)
    {
        var advanced = await services.GetRequiredService<BusinessClocks>().AdvanceSandboxAsync(by, MaxOffset, CancellationToken.None);
        if (advanced is not null)
        {
            // Everything that fell due is processed (and so persisted) before the answer, so a script's next step sees
            // it, including what other nodes' sweepers were processing at that moment.
            await services.GetRequiredService<DueWorkSweeper>().SweepAsync(ReleaseEnvironment.Sandbox, CancellationToken.None, waitForOthers: true);
        }

        return advanced;
    }

    private static async Task NotFoundAsync(HttpContext context)
    {
        if (await AuthorizedAsync(context))
        {
            await ApiErrors.WriteAsync(context, new DomainError(ErrorCode.ResourceNotFound, "The requested resource does not exist."));
        }
    }

    /// <summary>The bearer token must equal the operator token (compared in constant time).</summary>
    internal static Task<bool> AuthorizedAsync(HttpContext context) =>
        OperatorBearer.AuthorizeAsync(context, "A valid operator token is required as 'Authorization: Bearer <token>'.");

    private static Task WriteAsync(HttpContext context, BusinessClocks clocks)
    {
        var clock = new OperatorClockDto
        {
            Now = clocks.Now(ReleaseEnvironment.Sandbox).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            OffsetSeconds = (long)clocks.SandboxOffset.TotalSeconds,
        };
        return context.Response.WriteAsJsonAsync(clock, ApiJsonContext.Default.OperatorClockDto);
    }
}
