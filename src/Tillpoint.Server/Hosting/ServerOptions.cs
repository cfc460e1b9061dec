namespace Tillpoint.Server;

/// <summary>Everything <c>tillpoint serve</c> can be told. Defaults suit a developer's machine.</summary>
public sealed record ServerOptions
{
    /// <summary>The HTTPS certificate, and with SQLite the database and the data-protection keys.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>SQLite in the data folder (one node), or PostgreSQL at <see cref="ConnectionString"/> (any number of nodes).</summary>
    public StoreKind Store { get; init; } = StoreKind.Sqlite;

    /// <summary>The PostgreSQL connection string, <c>Host=…;Database=…</c>, when <see cref="Store"/> is PostgreSQL.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>ASP.NET's usual <c>--urls</c>: HTTPS (the official SDKs speak nothing else) and HTTP, loopback by default.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["https://127.0.0.1:8443", "http://127.0.0.1:8080"];

    /// <summary>
    /// The address buyers' browsers reach the hosted pages at. When unset, the address the merchant's API call used;
    /// <c>tillpoint serve</c> sets it to <see cref="LoopbackPublicUrl"/> when it is not given.
    /// </summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>Where buyers' browsers reach this server, without a trailing slash: <see cref="PublicUrl"/>, else the address <paramref name="request"/> used.</summary>
    public string PublicBaseUrl(HttpRequest request) => PublicUrl?.ToString().TrimEnd('/') ?? $"{request.Scheme}://{request.Host}";

    /// <summary>
    /// The public URL <c>tillpoint serve</c> takes when none is given: the plain-HTTP listener, when every listener is on
    /// loopback. Buyers' browsers are then on this machine, where <c>http://127.0.0.1</c> is a secure context and needs no
    /// certificate, while the generated HTTPS certificate would stop them with a warning; the SDKs keep calling over
    /// HTTPS. A server that listens anywhere else is a deployment: its pages follow the merchant's call, or
    /// <c>--public-url</c>.
    /// </summary>
    /// <returns><see langword="null"/> when a listener is not on loopback or none is plain HTTP.</returns>
    public static Uri? LoopbackPublicUrl(IEnumerable<string> urls)
    {
        Uri? http = null;
        foreach (var url in urls)
        {
            // Kestrel's wildcards (*, +, 0.0.0.0) and host names listen beyond loopback; "localhost" is loopback only.
            var host = url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal);
            if (!Uri.TryCreate(host, UriKind.Absolute, out var uri) || !uri.IsLoopback)
            {
                return null;
            }

            http ??= uri.Scheme == Uri.UriSchemeHttp ? new Uri(uri.GetLeftPart(UriPartial.Authority)) : null;
        }

        return http;
    }

    /// <summary>
    /// The business clock: expiries and pending transitions. Live objects follow it; Sandbox objects follow it plus
    /// the offset the operator has advanced the sandbox clock by.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The wall clock that signed requests' <c>x-amz-pay-date</c> is checked against. Separate from
    /// <see cref="Clock"/>, because moving the sandbox clock must not make every client's signature stale.
    /// </summary>
    public TimeProvider SignatureClock { get; init; } = TimeProvider.System;

    public TimeSpan SignatureMaxAge { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How far in the future a client's clock may run (small skews are common).</summary>
    public TimeSpan FutureDateTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a revoked key may keep working on a node that had cached it (on every node: each re-reads it).</summary>
    public TimeSpan KeyCacheTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How stale this node's copy of the sandbox clock offset may get: another node sharing the database may advance
    /// the sandbox clock, and this node sees it at most this much later.
    /// </summary>
    public TimeSpan ClockOffsetRefresh { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a sign-in's <c>buyerToken</c> works with Get Buyer, on the business clock.</summary>
    public TimeSpan BuyerTokenLifetime { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// Hosts accepted in <c>x-amz-pay-host</c> besides the one the request was sent to: loopback names, and Amazon's
    /// own hosts for clients (like the .NET SDK) that cannot be pointed elsewhere except by DNS.
    /// </summary>
    public IReadOnlySet<string> AllowedPayHosts { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "localhost", "127.0.0.1", "::1", "pay-api.amazon.com", "pay-api.amazon.eu", "pay-api.amazon.jp",
    };

    public Limits Limits { get; init; } = Limits.Default;

    /// <summary>SQLite only; PostgreSQL's durability is the server's own (<c>synchronous_commit</c>).</summary>
    public SqliteDurability Durability { get; init; } = SqliteDurability.Full;

    /// <summary>What the store is opened with.</summary>
    public StoreOptions StoreOptions => new()
    {
        Kind = Store,
        DataDirectory = DataDirectory,
        ConnectionString = ConnectionString,
        Durability = Durability,
    };

    /// <summary>A PFX to serve HTTPS with; when unset one is generated on first run and kept in the data folder.</summary>
    public string? CertificatePath { get; init; }

    public string? CertificatePassword { get; init; }

    /// <summary>API request bodies are small; anything larger is refused before it is read into memory.</summary>
    public int MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Who may read the Prometheus metrics at <c>/metrics</c>; see <see cref="Hosting.MetricsAccess"/>. Off unless asked
    /// for: exporting costs signed requests measurable CPU (see docs/observability.md).
    /// </summary>
    public Hosting.MetricsAccess MetricsAccess { get; init; } = Hosting.MetricsAccess.Off;

    /// <summary>
    /// The token of the operator endpoints (<c>/operator/…</c>) and the dashboard; when unset, one is made on the first
    /// run and kept (see <c>Dashboard/OperatorAccess.cs</c>).
    /// </summary>
    public string? OperatorToken { get; init; }

    /// <summary>
    /// Serve the dashboard over plain HTTP on listeners beyond loopback too (<c>serve --dashboard-over-http</c>). Off:
    /// such a request is refused with 403, since the operator token and the session cookie would cross the network readable.
    /// </summary>
    public bool DashboardOverHttp { get; init; }

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> names the client (<c>--trusted-proxy</c>): the operator token's backoff is
    /// per client, and without a trusted proxy only the connection's own address counts.
    /// </summary>
    public IReadOnlySet<System.Net.IPAddress> TrustedProxies { get; init; } = new HashSet<System.Net.IPAddress>();

    /// <summary>How the log is written; <c>serve</c> picks text on a terminal and JSON otherwise unless told.</summary>
    public Hosting.LogFormat LogFormat { get; init; } = Hosting.LogFormat.Json;

    /// <summary>How often due work (expiries, pending outcomes) is looked for when nothing else wakes the sweeper.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How much business time a report takes from its request to Completed (docs/reports.md).</summary>
    public TimeSpan ReportProcessingTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Instant Payment Notifications: retries, timeouts and allowed targets (docs/ipn.md).</summary>
    public IpnOptions Ipn { get; init; } = new();

    /// <summary>
    /// Whether merchants' requests are held to Amazon's per-operation quotas (<c>serve --throttling</c>); a merchant's own
    /// choice (<c>tillpoint merchants set-throttling</c>) overrides it.
    /// </summary>
    public Throttling.ThrottlingMode Throttling { get; init; } = Server.Throttling.ThrottlingMode.Off;

    /// <summary>
    /// Where generated ids, sandbox tokens and injected faults get their randomness: cryptographic, or seeded
    /// (<c>serve --seed</c>) so a run repeats. Key material and the server's own secrets never come from it, and Live
    /// secrets stay cryptographic (docs/security.md).
    /// </summary>
    public RandomSource Random { get; init; } = RandomSource.Cryptographic;
}
