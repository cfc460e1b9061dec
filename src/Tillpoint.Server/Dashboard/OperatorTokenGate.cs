using System.Collections.Concurrent;
using System.Net;

namespace Tillpoint.Server.Dashboard;

/// <summary>What checking an operator token decided.</summary>
internal enum TokenVerdict
{
    /// <summary>The token is right: let the request through, whatever the client got wrong before.</summary>
    Granted,

    /// <summary>No token, or a wrong one: 401.</summary>
    Refused,

    /// <summary>A wrong token from a client still backing off: 429, with <c>Retry-After</c>.</summary>
    Throttled,
}

internal readonly record struct TokenCheck(TokenVerdict Verdict, TimeSpan RetryAfter)
{
    /// <summary>Whole seconds for <c>Retry-After</c>, at least 1.</summary>
    public string RetryAfterSeconds => Math.Max(1, (long)Math.Ceiling(RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The one gate of the operator token: the dashboard's sign-in, <c>/operator/…</c> and <c>/metrics</c>. A right token is
/// always let through, so nobody can lock the operator out by failing on purpose, from any address. Wrong tokens make
/// their client back off (<see cref="TokenBackoff"/>): a guesser gets 429s at a growing interval and fills no log with
/// 401s, while the token's 256 random bits (or 16 characters at least) are what keeps it from being found.
/// </summary>
internal sealed class OperatorTokenGate(OperatorToken token, TokenBackoff backoff, ServerOptions options)
{
    public TokenCheck Check(HttpContext context, string? given)
    {
        var client = ClientAddresses.Of(context, options.TrustedProxies);
        if (token.Matches(given))
        {
            backoff.Succeeded(client);
            return new TokenCheck(TokenVerdict.Granted, TimeSpan.Zero);
        }

        // A request with no token at all guesses nothing: it is refused without counting.
        if (string.IsNullOrEmpty(given))
        {
            return new TokenCheck(TokenVerdict.Refused, TimeSpan.Zero);
        }

        if (backoff.Wait(client) is var wait && wait > TimeSpan.Zero)
        {
            return new TokenCheck(TokenVerdict.Throttled, wait);
        }

        backoff.Failed(client);
        return new TokenCheck(TokenVerdict.Refused, TimeSpan.Zero);
    }
}

/// <summary>
/// Per-client backoff after wrong operator tokens: the first <see cref="FreeFailures"/> cost nothing; each one after
/// that doubles the wait before the next is even checked, from <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>.
/// A client quiet for <see cref="MaxDelay"/> after its wait starts afresh. Kept in memory per node, on the wall clock,
/// for at most <see cref="MaxClients"/> clients: past that, new clients share one entry, so spraying addresses buys
/// nothing but one backoff shared with every other sprayed address.
/// </summary>
internal sealed class TokenBackoff(ServerOptions options)
{
    public const int FreeFailures = 5;
    public const int MaxClients = 10_000;
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>A full table is searched for forgotten clients at most this often, so a flood costs no scan per request.</summary>
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    /// <summary>Where new clients are counted once the table is full.</summary>
    private static readonly IPAddress Overflow = IPAddress.IPv6None;

    private readonly ConcurrentDictionary<IPAddress, Entry> _clients = new();
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public int Count => _clients.Count;

    /// <summary>How long <paramref name="client"/> must wait before its next token is checked; zero when it may try.</summary>
    public TimeSpan Wait(IPAddress client)
    {
        var now = Now;
        return _clients.TryGetValue(Slot(client, now), out var entry) && entry.Until > now ? entry.Until - now : TimeSpan.Zero;
    }

    public void Failed(IPAddress client)
    {
        var now = Now;
        _clients.AddOrUpdate(
            Slot(client, now),
            _ => After(1, now),
            (_, entry) => After(Forgotten(entry, now) ? 1 : entry.Failures + 1, now));
    }

    public void Succeeded(IPAddress client) => _clients.TryRemove(Normalize(client), out _);

    private DateTimeOffset Now => options.SignatureClock.GetUtcNow();

    /// <summary>The failure that uses up the free ones starts the first wait; each one after it doubles the wait.</summary>
    private static Entry After(int failures, DateTimeOffset now) => failures < FreeFailures
        ? new Entry(failures, now)
        : new Entry(failures, now + TimeSpan.FromTicks(Math.Min(FirstDelay.Ticks << Math.Min(failures - FreeFailures, 20), MaxDelay.Ticks)));

    private static bool Forgotten(Entry entry, DateTimeOffset now) => now - entry.Until >= MaxDelay;

    /// <summary>The client's own entry, or the shared one when the table is full and has no room to make.</summary>
    private IPAddress Slot(IPAddress client, DateTimeOffset now)
    {
        var key = Normalize(client);
        if (_clients.Count < MaxClients || _clients.ContainsKey(key))
        {
            return key;
        }

        if (now - _lastPrune >= PruneInterval)
        {
            _lastPrune = now;
            foreach (var (address, entry) in _clients)
            {
                if (Forgotten(entry, now))
                {
                    _clients.TryRemove(address, out _);
                }
            }
        }

        return _clients.Count < MaxClients ? key : Overflow;
    }

    /// <summary>IPv4 as itself (also when mapped into IPv6); IPv6 by its /64, the block one subscriber usually holds.</summary>
    private static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    /// <summary><paramref name="Until"/>: when the client may try again (the last failure's time while still free).</summary>
    private readonly record struct Entry(int Failures, DateTimeOffset Until);
}

/// <summary>
/// Who a request comes from: the connection's address, unless that address is a proxy the operator trusts
/// (<c>--trusted-proxy</c>); then the nearest address in <c>X-Forwarded-For</c> that is not a trusted proxy. Without a
/// trusted proxy the header is ignored: anybody can send it.
/// </summary>
internal static class ClientAddresses
{
    /// <summary>More forwarded hops than this are not read: a real chain of proxies is short.</summary>
    private const int MaxHops = 16;

    public static IPAddress Of(HttpContext context, IReadOnlySet<IPAddress> trustedProxies)
    {
        var remote = Unmapped(context.Connection.RemoteIpAddress ?? IPAddress.None);
        if (trustedProxies.Count == 0 || !trustedProxies.Contains(remote))
        {
            return remote;
        }

        // Each proxy appends the address it was reached from, so the list is read from its end.
        var hops = string.Join(',', context.Request.Headers["X-Forwarded-For"].ToArray())
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = hops.Length - 1; i >= 0 && i >= hops.Length - MaxHops; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop))
            {
                // Not an address a trusted proxy writes: what is left of the list cannot be trusted.
                return remote;
            }

            hop = Unmapped(hop);
            if (!trustedProxies.Contains(hop))
            {
                return hop;
            }
        }

        return remote;
    }

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
