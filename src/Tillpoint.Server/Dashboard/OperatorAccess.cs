using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Server.Hosting;
using Tillpoint.Storage;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// The operator token, shared by the dashboard's sign-in and the operator endpoints. A configured token
/// (<c>--operator-token</c>) wins; without one, a token is made on the first run and kept where every later run (and,
/// with PostgreSQL, every node) finds it: a file in the data folder readable by its owner only, or the settings table.
/// <c>tillpoint operator-token rotate</c> replaces the kept token and moves the generation stored in the settings: each
/// use compares the stored generation with the one the token was read under (one lookup by primary key), so a rotation
/// takes effect at once on a running server and on every node sharing the store, and ends every dashboard session.
/// </summary>
internal sealed class OperatorToken
{
    public const string FileName = "operator-token";
    public const string Setting = "operator-token";

    /// <summary>Moved by every rotation; a dashboard cookie is valid only under the generation it was issued in.</summary>
    public const string GenerationSetting = "operator-token.generation";

    private readonly ITillpointStore _store;

    /// <summary>Reads the kept token again after a rotation; null for a configured token, which only a restart changes.</summary>
    private readonly Func<string>? _reread;

    private volatile Snapshot _current;

    private OperatorToken(ITillpointStore store, Snapshot current, Func<string>? reread, string whereKept, bool generated)
    {
        _store = store;
        _current = current;
        _reread = reread;
        WhereKept = whereKept;
        Generated = generated;
    }

    /// <summary>The token now, read again when it was rotated since it was last read.</summary>
    public string Value => Current().Value;

    /// <summary>
    /// A short hash of the token and the rotation generation it was read under, both from one look at the store: a
    /// dashboard cookie carries it, so a cookie made under another token, or before a rotation, is not accepted.
    /// </summary>
    public string Fingerprint()
    {
        var current = Current();
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes((current.Generation ?? "0") + "|" + current.Value)).AsSpan(0, 8));
    }

    /// <summary>The token of <c>Authorization: Bearer &lt;token&gt;</c>, or null when the request carries none.</summary>
    public static string? Bearer(HttpContext context)
    {
        const string Scheme = "Bearer ";
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header[Scheme.Length..].Trim() is { Length: > 0 } given ? given : null;
    }

    /// <summary>How to find the token again, for people: the option, the file, or the SQL that reads it.</summary>
    public string WhereKept { get; }

    /// <summary>True when this start made the token (the only time it is printed).</summary>
    public bool Generated { get; }

    public static OperatorToken Resolve(ServerOptions options, ITillpointStore store)
    {
        var generation = store.Read(reader => reader.GetSetting(GenerationSetting));
        if (options.OperatorToken is { } configured)
        {
            return new OperatorToken(store, new Snapshot(configured, generation), null, "the --operator-token option (or TILLPOINT_OPERATOR_TOKEN)", generated: false);
        }

        return options.Store switch
        {
            StoreKind.Sqlite => FromFile(store, generation, Path.Combine(options.DataDirectory, FileName)),
            StoreKind.Postgres => FromSettings(store, generation),
        };
    }

    /// <summary>
    /// True when <paramref name="given"/> is the token, compared in constant time. An empty token (an emptied token
    /// file) matches nothing, so it locks the door rather than opening it.
    /// </summary>
    public bool Matches(string? given)
    {
        var value = Value;
        return !string.IsNullOrEmpty(given) && value.Length > 0
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(value));
    }

    /// <summary>
    /// Replaces the kept token with a new one and moves the generation, which ends every dashboard session on every node
    /// sharing the store; returns where the new token is kept. A file is replaced whole (written owner-only beside it,
    /// then renamed over it), so a server never reads half a token.
    /// </summary>
    public static async Task<string> RotateAsync(StoreKind kind, string dataDirectory, ITillpointStore store, CancellationToken cancellationToken)
    {
        var token = NewToken();
        var path = Path.Combine(dataDirectory, FileName);
        if (kind == StoreKind.Sqlite)
        {
            OwnerOnly.CreateFolder(dataDirectory);
            await OwnerOnly.ReplaceAsync(path, Encoding.UTF8.GetBytes(token + "\n"), cancellationToken);
        }

        var generation = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
        await store.WriteAsync(
            session =>
            {
                if (kind == StoreKind.Postgres)
                {
                    session.PutSetting(Setting, token);
                }

                session.PutSetting(GenerationSetting, generation);
                return 0;
            },
            cancellationToken);
        return kind switch
        {
            StoreKind.Sqlite => path,
            StoreKind.Postgres => SettingsQuery,
        };
    }

    private const string SettingsQuery = $"SELECT value FROM settings WHERE key = '{Setting}'";

    private Snapshot Current()
    {
        var current = _current;
        var generation = _store.Read(reader => reader.GetSetting(GenerationSetting));
        if (generation == current.Generation)
        {
            return current;
        }

        var fresh = new Snapshot(_reread?.Invoke() ?? current.Value, generation);
        _current = fresh;
        return fresh;
    }

    private static OperatorToken FromFile(ITillpointStore store, string? generation, string path)
    {
        var where = $"the file {path}";
        // A token file removed after a rotation locks the door (an empty token matches nothing) instead of failing requests.
        string Reread() => File.Exists(path) ? File.ReadAllText(path).Trim() : string.Empty;
        if (File.Exists(path))
        {
            return new OperatorToken(store, new Snapshot(Reread(), generation), Reread, where, generated: false);
        }

        var token = NewToken();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Created owner-only from the start, so the token is never readable by others, not even for a moment.
        using (var file = OwnerOnly.CreateNew(path))
        {
            file.Write(Encoding.UTF8.GetBytes(token + "\n"));
        }

        return new OperatorToken(store, new Snapshot(token, generation), Reread, where, generated: true);
    }

    private static OperatorToken FromSettings(ITillpointStore store, string? generation)
    {
        var generated = false;
        var token = store.WriteAsync(session =>
        {
            if (session.GetSetting(Setting) is { } stored)
            {
                return stored;
            }

            generated = true;
            var made = NewToken();
            session.PutSetting(Setting, made);
            return made;
        }).GetAwaiter().GetResult();
        string Reread() => store.Read(reader => reader.GetSetting(Setting)) ?? string.Empty;
        return new OperatorToken(store, new Snapshot(token, generation), Reread, $"the settings table: {SettingsQuery}", generated);
    }

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private sealed record Snapshot(string Value, string? Generation);
}

/// <summary>
/// The dashboard's sign-in: a cookie holding the time it was issued, a fingerprint of the token and a random session
/// id, encrypted and authenticated with Data Protection. Changing the token signs everybody out; the cookie lasts 12
/// hours. A token rotation signs everybody out too: the fingerprint covers the rotation generation. Signing out records the session id in the store's settings, so a copy of the cookie stops working on every
/// node sharing the store, and after a restart, rather than only in the browser that signed out.
/// </summary>
internal sealed class DashboardSessions(IDataProtectionProvider protection, OperatorToken token, ServerOptions options, ITillpointStore store)
{
    public const string CookieName = "tillpoint_dashboard";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>Settings under this prefix name signed-out sessions; each value is when its cookie would have expired anyway.</summary>
    public const string SignedOutPrefix = "dashboard.signed-out.";

    /// <summary>A cookie dated this far in the future (a node's clock slightly ahead) is still accepted.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private const string Purpose = "Tillpoint.Dashboard.Session.v1";
    private const int SessionIdBytes = 16;

    /// <summary>
    /// Whether the request carries a live cookie whose session was not signed out. The sign-out check is one lookup by
    /// primary key, not cached: a cache would let a signed-out cookie work on other nodes until it expired.
    /// </summary>
    public bool IsSignedIn(HttpContext context) =>
        ReadSession(context) is { } sessionId && store.Read(reader => reader.GetSetting(SignedOutPrefix + sessionId)) is null;

    public void SignIn(HttpContext context)
    {
        var issued = options.SignatureClock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var sessionId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SessionIdBytes));
        var value = Base64Url.EncodeToString(
            protection.CreateProtector(Purpose).Protect(Encoding.UTF8.GetBytes($"{issued}|{token.Fingerprint()}|{sessionId}")));
        context.Response.Cookies.Append(CookieName, value, CookieOptions(context, Lifetime));
    }

    /// <summary>
    /// Ends the request's session for good, wherever its cookie is replayed, and deletes the cookie. Records of sessions
    /// whose cookies have expired meanwhile are dropped in the same write, so the records never outnumber the sign-outs
    /// of the last 12 hours.
    /// </summary>
    public async Task SignOutAsync(HttpContext context)
    {
        if (ReadSession(context) is { } sessionId)
        {
            var now = options.SignatureClock.GetUtcNow();
            // Kept until the latest moment a cookie of this session could still be accepted.
            var until = (now + Lifetime + ClockSkew).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            // Not cancelled with the request: a browser that closes mid-sign-out must not leave its session alive.
            await store.WriteAsync(session =>
            {
                foreach (var (key, value) in session.GetSettings(SignedOutPrefix))
                {
                    if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var untilMs)
                        && DateTimeOffset.FromUnixTimeMilliseconds(untilMs) <= now)
                    {
                        session.DeleteSetting(key);
                    }
                }

                session.PutSetting(SignedOutPrefix + sessionId, until);
                return 0;
            });
        }

        context.Response.Cookies.Delete(CookieName, CookieOptions(context, TimeSpan.Zero));
    }

    /// <summary>The session id of a well-formed, authentic, unexpired cookie made under the current token, or null.</summary>
    private string? ReadSession(HttpContext context)
    {
        var cookie = context.Request.Cookies[CookieName];
        if (string.IsNullOrEmpty(cookie) || cookie.Length > 1024 || !Base64Url.IsValid(cookie, out var length))
        {
            return null;
        }

        var bytes = new byte[length];
        Base64Url.DecodeFromChars(cookie, bytes);
        string plain;
        try
        {
            plain = Encoding.UTF8.GetString(protection.CreateProtector(Purpose).Unprotect(bytes));
        }
        catch (CryptographicException)
        {
            return null;
        }

        // Cookies made before sessions had ids have two parts; they are refused, since they could not be signed out.
        var parts = plain.Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var issuedMs) || parts[1] != token.Fingerprint())
        {
            return null;
        }

        var age = options.SignatureClock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(issuedMs);
        return age >= -ClockSkew && age < Lifetime ? parts[2] : null;
    }

    private static CookieOptions CookieOptions(HttpContext context, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/dashboard",
        MaxAge = lifetime,
        IsEssential = true,
    };
}

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
