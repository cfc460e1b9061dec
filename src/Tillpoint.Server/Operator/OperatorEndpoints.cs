using Tillpoint.Protocol.Json;
using Tillpoint.Server.Errors;
using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Operator;

/// <summary>
/// Tillpoint's own operator endpoints (not part of Amazon's API): the sandbox clock. Authenticated with the operator
/// token as <c>Authorization: Bearer …</c>, never with a merchant key; answers in the API's error format.
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

        var options = context.RequestServices.GetRequiredService<ServerOptions>();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > options.MaxRequestBodyBytes)
        {
            await ApiErrors.WriteAsync(context, new DomainError(ErrorCode.InvalidRequest, "The request body is too large."));
            return;
        }

        var body = StrictJson.Parse(buffer.ToArray(), ApiRequestJsonContext.Default.AdvanceClockRequest);
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
    private static Task<bool> AuthorizedAsync(HttpContext context) =>
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
