using System.Net;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// Where the dashboard may be used over plain HTTP: on a loopback listener only, where the operator token and the
/// session cookie never cross a network. Over any other listener it answers HTTPS requests alone, unless the operator
/// started <c>serve</c> with <c>--dashboard-over-http</c> (<see cref="ServerOptions.DashboardOverHttp"/>).
/// </summary>
internal static class DashboardTransport
{
    /// <summary>An endpoint filter for every dashboard route, the sign-in included.</summary>
    public static async ValueTask<object?> RequireHttpsBeyondLoopbackAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        return IsAllowed(context) ? await next(invocation) : Refused();
    }

    private static bool IsAllowed(HttpContext context) =>
        context.Request.IsHttps
        || IsLoopback(context.Connection.LocalIpAddress)
        || context.RequestServices.GetRequiredService<ServerOptions>().DashboardOverHttp;

    /// <summary>The address the request came in on; a listener on every address (0.0.0.0) sees loopback only from this machine.</summary>
    private static bool IsLoopback(IPAddress? local) =>
        local is not null && IPAddress.IsLoopback(local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local);

    private static IResult Refused() => Page(
        StatusCodes.Status403Forbidden,
        "Use HTTPS for the dashboard",
        Alert(
            "The dashboard is served over plain HTTP only on loopback addresses: elsewhere the operator token and the session cookie would cross the network readable.",
            "dashboard-https-required")
        + "<p>Open it at an <code>https://</code> address of this server (an HTTPS listener in <code>serve</code>'s <code>--urls</code>), "
        + "or start <code>tillpoint serve</code> with <code>--dashboard-over-http</code> if this network is one you trust.</p>",
        null,
        null);
}
