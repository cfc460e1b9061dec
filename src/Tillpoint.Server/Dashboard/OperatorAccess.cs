using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Storage;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// The operator token, shared by the dashboard's sign-in and the operator endpoints. A configured token
/// (<c>--operator-token</c>) wins; without one, a token is made on the first run and kept where every later run (and,
/// with PostgreSQL, every node) finds it: a file in the data folder readable by its owner only, or the settings table.
/// </summary>
internal sealed class OperatorToken
{
    public const string FileName = "operator-token";
    public const string Setting = "operator-token";

    private OperatorToken(string value, string whereKept, bool generated)
    {
        Value = value;
        WhereKept = whereKept;
        Generated = generated;
    }

    public string Value { get; }

    /// <summary>Whether the request carries <c>Authorization: Bearer &lt;this token&gt;</c>.</summary>
    public bool MatchesBearer(HttpContext context)
    {
        const string Scheme = "Bearer ";
        var header = context.Request.Headers.Authorization.ToString();
        var given = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : string.Empty;
        return Matches(given);
    }

    /// <summary>How to find the token again, for people: the option, the file, or the SQL that reads it.</summary>
    public string WhereKept { get; }

    /// <summary>True when this start made the token (the only time it is printed).</summary>
    public bool Generated { get; }

    public static OperatorToken Resolve(ServerOptions options, ITillpointStore store)
    {
        if (options.OperatorToken is { } configured)
        {
            return new OperatorToken(configured, "the --operator-token option (or TILLPOINT_OPERATOR_TOKEN)", generated: false);
        }

        return options.Store switch
        {
            StoreKind.Sqlite => FromFile(Path.Combine(options.DataDirectory, FileName)),
            StoreKind.Postgres => FromSettings(store),
        };
    }

    /// <summary>
    /// True when <paramref name="given"/> is the token, compared in constant time. An empty token (an emptied token
    /// file) matches nothing, so it locks the door rather than opening it.
    /// </summary>
    public bool Matches(string? given) =>
        !string.IsNullOrEmpty(given) && Value.Length > 0
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(Value));

    private static OperatorToken FromFile(string path)
    {
        var where = $"the file {path}";
        if (File.Exists(path))
        {
            return new OperatorToken(File.ReadAllText(path).Trim(), where, generated: false);
        }

        var token = NewToken();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Created owner-only from the start, so the token is never readable by others, not even for a moment.
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(path, create))
        {
            file.Write(Encoding.UTF8.GetBytes(token + "\n"));
        }

        return new OperatorToken(token, where, generated: true);
    }

    private static OperatorToken FromSettings(ITillpointStore store)
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
        return new OperatorToken(token, $"the settings table: SELECT value FROM settings WHERE key = '{Setting}'", generated);
    }

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}

/// <summary>
/// The dashboard's sign-in: a cookie holding the time it was issued, a fingerprint of the token and a random session
/// id, encrypted and authenticated with Data Protection. Changing the token signs everybody out; the cookie lasts 12
/// hours. Signing out records the session id in the store's settings, so a copy of the cookie stops working on every
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
            protection.CreateProtector(Purpose).Protect(Encoding.UTF8.GetBytes($"{issued}|{Fingerprint()}|{sessionId}")));
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
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var issuedMs) || parts[1] != Fingerprint())
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

    /// <summary>A short hash of the token, so a cookie made under another token is not accepted.</summary>
    private string Fingerprint() => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token.Value)).AsSpan(0, 8));
}

/// <summary>
/// Slows down guessing: after <see cref="MaxFailures"/> wrong tokens from one address within <see cref="Window"/>, that
/// address may not try again until the window ends. Kept in memory per node; the table is bounded.
/// </summary>
internal sealed class SignInThrottle(ServerOptions options)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const int MaxAddresses = 10_000;

    private readonly ConcurrentDictionary<IPAddress, (int Failures, DateTimeOffset Since)> _failures = new();

    public bool IsBlocked(IPAddress? address) =>
        _failures.TryGetValue(Key(address), out var entry) && entry.Failures >= MaxFailures && Now - entry.Since < Window;

    public void Failed(IPAddress? address)
    {
        if (_failures.Count >= MaxAddresses)
        {
            // Rather forget every address than grow without bound under a spray of sources.
            _failures.Clear();
        }

        var now = Now;
        _failures.AddOrUpdate(
            Key(address),
            _ => (1, now),
            (_, entry) => now - entry.Since >= Window ? (1, now) : (entry.Failures + 1, entry.Since));
    }

    public void Succeeded(IPAddress? address) => _failures.TryRemove(Key(address), out _);

    private DateTimeOffset Now => options.SignatureClock.GetUtcNow();

    private static IPAddress Key(IPAddress? address) => address ?? IPAddress.None;
}
