using System.Diagnostics;

namespace Tillpoint.Server.Hosting;

/// <summary>The request id every answer carries, the request's log line, and the JSON 500 for what nobody caught.</summary>
internal static class RequestIds
{
    public const string Header = "x-amz-pay-request-id";

    /// <summary>
    /// Every response carries a request id (the Java SDK fails without one), and so does the request's log line; an
    /// unexpected failure becomes a JSON 500 instead of an empty body.
    /// </summary>
    public static async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var requestId = Guid.NewGuid().ToString("N");
        context.Response.Headers[Header] = requestId;
        var logger = context.RequestServices.GetRequiredService<ILogger<RequestLog>>();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
            var status = context.Response.StatusCode;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            // Refusals are what a developer looks for; successes are logged only when asked for (Debug).
            if (status >= 400)
            {
                RequestLog.Refused(logger, context.Request.Method, context.Request.Path, status, elapsed, requestId);
            }
            else
            {
                RequestLog.Served(logger, context.Request.Method, context.Request.Path, status, elapsed, requestId);
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // The client's framing, not a fault here: a body cut short, broken chunks, over Kestrel's size limit, too slow.
            RequestLog.Refused(
                logger, context.Request.Method, context.Request.Path, e.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, requestId);
            context.Response.Clear();
            context.Response.Headers[Header] = requestId;
            var body = Errors.ApiErrors.Body(new DomainError(ErrorCode.InvalidRequest, e.Message));
            context.Response.StatusCode = e.StatusCode;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            RequestLog.Failed(logger, e, context.Request.Method, context.Request.Path, requestId);
            context.Response.Clear();
            context.Response.Headers[Header] = requestId;
            await Errors.ApiErrors.WriteAsync(
                context, new DomainError(ErrorCode.InternalServerError, $"An unexpected error occurred; request id {requestId}."));
        }
    }
}

/// <summary>
/// One line per request carrying its request id as a field (a logging scope per request would cost every request an
/// allocation, logged or not).
/// </summary>
internal sealed partial class RequestLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms ({RequestId})")]
    public static partial void Served(ILogger logger, string method, PathString path, int statusCode, double elapsedMs, string requestId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Path} refused with {StatusCode} in {ElapsedMs:0.0} ms ({RequestId})")]
    public static partial void Refused(ILogger logger, string method, PathString path, int statusCode, double elapsedMs, string requestId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "{Method} {Path} failed unexpectedly ({RequestId})")]
    public static partial void Failed(ILogger logger, Exception exception, string method, PathString path, string requestId);
}
