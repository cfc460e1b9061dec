using System.Net;

namespace Tillpoint.Server.Ipn;

/// <summary>
/// Which URLs notifications may be sent to: HTTPS anywhere; plain HTTP only to a loopback address (a receiver on the
/// same machine, as in tests) or to a host the operator allowed. Checked when an endpoint is added and again before
/// every POST, so narrowing the allowed hosts stops deliveries already queued.
/// </summary>
internal static class IpnTargets
{
    /// <summary>Comma-separated hosts, read by <c>tillpoint serve</c> and by <c>tillpoint ipn add</c>.</summary>
    public const string AllowedHostsVariable = "TILLPOINT_IPN_ALLOW_HOSTS";

    /// <summary>Longer URLs are refused: they are stored and listed, and no receiver needs more.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>Why <paramref name="url"/> may not be a target, or null when it may.</summary>
    public static string? Refusal(string url, IReadOnlySet<string> allowedHosts)
    {
        if (url.Length > MaxUrlLength)
        {
            return $"the URL is longer than {MaxUrlLength} characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"'{url}' is not an absolute URL.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return $"'{url}' is neither https nor http.";
        }

        // Credentials in a URL would be shown by every listing and log line.
        if (uri.UserInfo.Length > 0)
        {
            return "the URL carries a user name or password; put credentials in the path or a query token instead.";
        }

        if (uri.Scheme == Uri.UriSchemeHttps || IsLoopback(uri) || allowedHosts.Contains(uri.IdnHost))
        {
            return null;
        }

        return $"plain HTTP is allowed only to a loopback address (127.0.0.1, ::1, localhost) or to a host the server allows "
            + $"(--ipn-allow-host or {AllowedHostsVariable}); use https for '{uri.Host}'.";
    }

    /// <summary>The hosts in <see cref="AllowedHostsVariable"/> plus <paramref name="given"/>.</summary>
    public static IReadOnlySet<string> AllowedHosts(IEnumerable<string>? given = null)
    {
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var host in (Environment.GetEnvironmentVariable(AllowedHostsVariable) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            hosts.Add(host);
        }

        foreach (var host in given ?? [])
        {
            hosts.Add(host.Trim());
        }

        return hosts;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
