using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Server.Hosting;

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
