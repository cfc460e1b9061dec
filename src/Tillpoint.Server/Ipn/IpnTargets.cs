using System.Net;
using System.Net.Sockets;

namespace Tillpoint.Server.Ipn;

/// <summary>
/// Which URLs notifications may be sent to. HTTPS to public addresses; nothing on this machine or the private network
/// (loopback, private, link-local, unspecified: <see cref="Restricted"/>), where a target would make the server a
/// request tool for whoever may register one, unless the operator allows that receiver with <c>--ipn-allow-host
/// host[:port]</c>; plain HTTP only to an allowed receiver. Checked when an endpoint is added (a literal address is
/// refused there), before every POST, and on every address the target's name resolves to, at connect time
/// (<see cref="ConnectAsync"/>): a name that resolves elsewhere later (DNS rebinding) is caught where it is used.
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

        if (IsAllowed(uri.Host, uri.Port, allowedHosts))
        {
            return null;
        }

        var restricted = IPAddress.TryParse(Bare(uri.Host), out var address) ? Restricted(address)
            : IsLocalhostName(uri.Host) ? "loopback"
            : null;
        if (restricted is not null)
        {
            return $"{uri.Host} is a {restricted} address, which notifications are not sent to unless the server allows "
                + $"this receiver: --ipn-allow-host {HostAndPort(uri.Host, uri.Port)} (and --allow-host or {AllowedHostsVariable} for ipn add).";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        return $"plain HTTP is allowed only to a receiver the server allows (--ipn-allow-host {HostAndPort(uri.Host, uri.Port)} or "
            + $"{AllowedHostsVariable}); use https for '{uri.Host}'.";
    }

    /// <summary>
    /// What kind of address no notification goes to unless allowed: loopback, private, link-local or unspecified
    /// (IPv4-mapped IPv6 judged as the IPv4 address); null for any other.
    /// </summary>
    public static string? Restricted(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return "loopback";
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            return bytes switch
            {
                [0, ..] => "unspecified",
                [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] => "private",
                [169, 254, ..] => "link-local",
                _ => null,
            };
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        var first = address.GetAddressBytes();
        return first switch
        {
            [0xfe, >= 0x80 and <= 0xbf, ..] => "link-local",
            [0xfc or 0xfd, ..] => "private",
            _ => null,
        };
    }

    /// <summary>
    /// Whether the operator allowed the receiver at <paramref name="host"/> and <paramref name="port"/>: an allowed entry
    /// <c>host</c> allows every port of that host, <c>host:port</c> that port only.
    /// </summary>
    public static bool IsAllowed(string host, int port, IReadOnlySet<string> allowedHosts)
    {
        var wanted = Canonical(host);
        foreach (var entry in allowedHosts)
        {
            if (ParseEntry(entry) is { } allowed && allowed.Host == wanted && (allowed.Port is null || allowed.Port == port))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Why <paramref name="entry"/> cannot be an allowed host, or null when it can.</summary>
    public static string? EntryError(string entry) =>
        ParseEntry(entry) is null ? $"'{entry}' is not a host or host:port (example.test, 127.0.0.1:5000, [::1]:5000)." : null;

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

    /// <summary>
    /// The IPN client's connect step: resolves the target's name, drops every restricted address unless the receiver is
    /// allowed, and connects to what is left, so the address checked is the address used.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint target, IReadOnlySet<string> allowedHosts, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(Bare(target.Host), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(target.Host, cancellationToken);
        var usable = IsAllowed(target.Host, target.Port, allowedHosts) ? addresses : [.. addresses.Where(a => Restricted(a) is null)];
        if (usable.Length == 0)
        {
            var kinds = string.Join(", ", addresses.Select(Restricted).Distinct());
            throw new IpnTargetRefusedException(
                $"{target.Host} resolves only to addresses notifications are not sent to ({kinds}); allow this receiver with --ipn-allow-host {HostAndPort(target.Host, target.Port)}.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable, target.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static (string Host, int? Port)? ParseEntry(string entry)
    {
        entry = entry.Trim();
        if (entry.Length == 0)
        {
            return null;
        }

        // A bare IPv6 address ("::1") is a host, never a host and a port; "[::1]:5000" is read as a URL's authority.
        if (IPAddress.TryParse(entry, out var address) && !entry.StartsWith('[')
            && (address.AddressFamily == AddressFamily.InterNetworkV6 || !entry.Contains(':', StringComparison.Ordinal)))
        {
            return (Canonical(entry), null);
        }

        if (entry.IndexOfAny(['/', '?', '#', '@', '\\']) >= 0 || !Uri.TryCreate("http://" + entry, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var hasPort = entry.LastIndexOf(':') > entry.LastIndexOf(']');
        return (Canonical(uri.Host), hasPort ? uri.Port : null);
    }

    /// <summary>A host as compared: lower case, an IP address in its canonical form without brackets.</summary>
    private static string Canonical(string host) =>
        IPAddress.TryParse(Bare(host), out var address) ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : host.ToLowerInvariant();

    private static string Bare(string host) => host.Trim('[', ']');

    private static bool IsLocalhostName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private static string HostAndPort(string host, int port) =>
        IPAddress.TryParse(Bare(host), out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Bare(host)}]:{port}" : $"{host}:{port}";
}

/// <summary>The target resolved only to addresses notifications are not sent to: the attempt is Refused, not retried.</summary>
internal sealed class IpnTargetRefusedException(string message) : Exception(message);
