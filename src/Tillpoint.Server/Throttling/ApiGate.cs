using Tillpoint.Server.Errors;
using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Throttling;

/// <summary>
/// What an authenticated request meets before its operation: Amazon's throttle, then the operator's injected faults.
/// A request either refuses here, having changed nothing and stored nothing under its idempotency key, or goes on.
/// </summary>
internal sealed partial class ApiGate(RequestThrottle throttle, InjectedFaults faults, TimeProvider clock, ILogger<ApiGate> logger)
{
    /// <summary>
    /// True when the request was answered here (429, an injected 5xx, or a dropped connection); after an injected latency
    /// the request goes on.
    /// </summary>
    public async Task<bool> AnsweredAsync(HttpContext context, string operation, string merchantId, ReleaseEnvironment environment)
    {
        if (!throttle.TryAdmit(merchantId, environment, operation, out var retryAfter))
        {
            TillpointMetrics.Throttled(operation);
            // Amazon documents no Retry-After (no official SDK reads one); whole seconds, at least one, tell a client
            // without backoff of its own when a token is back.
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await ApiErrors.WriteAsync(context, new DomainError(ErrorCode.TooManyRequests, "The request was throttled."));
            return true;
        }

        if (faults.Draw(merchantId, environment, operation) is not { } fault)
        {
            return false;
        }

        TillpointMetrics.FaultInjected(operation, fault.Kind);
        Injected(logger, fault.Kind, operation, merchantId, context.Response.Headers[RequestIds.Header].ToString());
        switch (fault.Kind)
        {
            case FaultKind.InternalServerError:
                await ApiErrors.WriteAsync(context, new DomainError(ErrorCode.InternalServerError, "An internal server error occurred. Please try again later."));
                return true;
            case FaultKind.ServiceUnavailable:
                await ApiErrors.WriteAsync(context, new DomainError(ErrorCode.ServiceUnavailable, "The service is temporarily unavailable. Please try again later."));
                return true;
            case FaultKind.Latency:
                await Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMs ?? 0), clock, context.RequestAborted);
                return false;
            case FaultKind.DropConnection:
                context.Abort();
                return true;
        }

        throw new InvalidOperationException($"Unknown fault kind {fault.Kind}.");
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Injected fault {Kind} into {Operation} for merchant {MerchantId} ({RequestId})")]
    private static partial void Injected(ILogger logger, FaultKind kind, string operation, string merchantId, string requestId);
}

internal static class ThrottlingServices
{
    /// <summary>The throttle, the fault rules and the gate that applies both to every authenticated API request.</summary>
    public static IServiceCollection AddApiGate(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton<RequestThrottle>();
        services.AddSingleton<InjectedFaults>();
        services.AddSingleton(provider => new ApiGate(
            provider.GetRequiredService<RequestThrottle>(),
            provider.GetRequiredService<InjectedFaults>(),
            options.SignatureClock,
            provider.GetRequiredService<ILogger<ApiGate>>()));
        return services;
    }
}
