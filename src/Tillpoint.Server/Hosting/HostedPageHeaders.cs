namespace Tillpoint.Server.Hosting;

/// <summary>The hosted pages and the dashboard load nothing from elsewhere and must not be framed.</summary>
internal static class HostedPageHeaders
{
    public static Task SetAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/checkout") || context.Request.Path.StartsWithSegments("/signin")
            || context.Request.Path.StartsWithSegments("/dashboard"))
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https: http:; frame-ancestors 'none'; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // What anti-forgery sets anyway; set first, it does not log a warning for every page it overrides.
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
        }

        return next(context);
    }
}
