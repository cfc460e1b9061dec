using Tillpoint.Server.Dashboard;
using Tillpoint.Server.Errors;

namespace Tillpoint.Server.Operator;

/// <summary>
/// <c>Authorization: Bearer &lt;operator token&gt;</c>, for the operator endpoints and <c>/metrics</c>: checked through the
/// same gate as the dashboard's sign-in, so wrong tokens make their client back off wherever they are tried.
/// </summary>
internal static class OperatorBearer
{
    /// <summary>True when the request may go on; otherwise the refusal (401, or 429 with <c>Retry-After</c>) is written.</summary>
    public static async Task<bool> AuthorizeAsync(HttpContext context, string refusal)
    {
        var check = context.RequestServices.GetRequiredService<OperatorTokenGate>().Check(context, OperatorToken.Bearer(context));
        switch (check.Verdict)
        {
            case TokenVerdict.Granted:
                return true;
            case TokenVerdict.Refused:
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ApiErrors.WriteAsync(context, new DomainError(ErrorCode.UnauthorizedAccess, refusal));
                return false;
            case TokenVerdict.Throttled:
                context.Response.Headers.RetryAfter = check.RetryAfterSeconds;
                await ApiErrors.WriteAsync(context, new DomainError(
                    ErrorCode.TooManyRequests, $"Too many wrong operator tokens from your address; try again in {check.RetryAfterSeconds} seconds."));
                return false;
        }

        throw new InvalidOperationException($"Unknown verdict {check.Verdict}.");
    }
}
