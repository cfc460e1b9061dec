using System.CommandLine;
using System.Security.Cryptography;
using Tillpoint.Domain.Reports;
using Tillpoint.Server.Hosting;
using Tillpoint.Server.Throttling;

namespace Tillpoint.Server.Cli;

internal static partial class TillpointCli
{
    private static Command ServeCommand(CliOutput io)
    {
        var storage = new StoreArguments();
        var urls = new Option<string>("--urls")
        {
            Description = "Semicolon-separated listen URLs (HTTPS and HTTP).",
            DefaultValueFactory = _ => "https://127.0.0.1:8443;http://127.0.0.1:8080",
            CustomParser = ListenUrls,
        };
        var publicUrl = new Option<Uri?>("--public-url")
        {
            Description = "Address buyers' browsers use to reach the hosted pages. Default: the HTTP listener when every listener is on loopback, else the address of the merchant's API call.",
            HelpName = "url",
            CustomParser = OptionValues.Url,
        };
        var certificate = new Option<string?>("--certificate") { Description = "PFX file to serve HTTPS with (default: generated)." };
        var certificatePassword = new Option<string?>("--certificate-password") { Description = "Password of the PFX file." };
        var durability = new Option<SqliteDurability>("--durability")
        {
            Description = "SQLite only. Full: every acknowledged write survives power loss. Normal: faster, may lose the last writes on power loss.",
            DefaultValueFactory = _ => SqliteDurability.Full,
            HelpName = OptionValues.HelpName<SqliteDurability>(),
            CustomParser = result => OptionValues.Name(result, SqliteDurability.Full),
        };
        var maxClockSkew = new Option<int>("--max-clock-skew")
        {
            Description = "How many minutes old a request's x-amz-pay-date may be.",
            DefaultValueFactory = _ => 15,
            CustomParser = OptionValues.WholeNumber(1, 24 * 60, "minutes"),
        };
        var operatorToken = new Option<string?>("--operator-token")
        {
            Description = "Token for the operator endpoints (/operator/clock) and the dashboard; unset: one made on first run and kept. Default: $TILLPOINT_OPERATOR_TOKEN.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TILLPOINT_OPERATOR_TOKEN") is { Length: > 0 } token ? token : null,
        };
        operatorToken.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { Length: < 16 })
            {
                result.AddError("--operator-token must be at least 16 characters.");
            }
        });
        var metrics = new Option<MetricsAccess>("--metrics")
        {
            Description = "Who may read the Prometheus metrics at /metrics: Open (whoever reaches the server), Operator (Bearer operator token) or Off. Default: $TILLPOINT_METRICS, else Off.",
            HelpName = OptionValues.HelpName<MetricsAccess>(),
            DefaultValueFactory = result => OptionValues.NameFromEnvironment(result, "TILLPOINT_METRICS", MetricsAccess.Off),
            CustomParser = result => OptionValues.Name(result, MetricsAccess.Off),
        };
        var logFormat = new Option<string?>("--log-format")
        {
            Description = "How the log is written: text (one readable line per event) or json (one object per line). Default: $TILLPOINT_LOG_FORMAT, else text on a terminal and json when the output is redirected.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TILLPOINT_LOG_FORMAT") is { Length: > 0 } format ? format : null,
        };
        var dashboardOverHttp = new Option<bool>("--dashboard-over-http")
        {
            Description = "Also serve the dashboard over plain HTTP on listeners beyond loopback (the operator token then crosses the network readable). Default: HTTPS only, except on loopback.",
        };
        var trustedProxy = new Option<System.Net.IPAddress[]>("--trusted-proxy")
        {
            Description = "Address of a reverse proxy in front of Tillpoint (repeatable): its X-Forwarded-For names the client, for the backoff after wrong operator tokens. Without one the header is ignored. Default: $TILLPOINT_TRUSTED_PROXY (addresses separated by commas), else none.",
            HelpName = "address",
            DefaultValueFactory = TrustedProxiesFromEnvironment,
            CustomParser = TrustedProxies,
        };
        var sandboxReports = new Option<SandboxReportTypes>("--sandbox-reports")
        {
            Description = "Report types the sandbox offers: Every type that may be asked for (as the official SDKs' own tests expect) or Settlement, the sandbox settlement report alone (as Amazon documents). Default: $TILLPOINT_SANDBOX_REPORTS, else Every.",
            HelpName = OptionValues.HelpName<SandboxReportTypes>(),
            DefaultValueFactory = result => OptionValues.NameFromEnvironment(result, "TILLPOINT_SANDBOX_REPORTS", SandboxReportTypes.Every),
            CustomParser = result => OptionValues.Name(result, SandboxReportTypes.Every),
        };
        var disputeEffect = new Option<DisputeEffect>("--dispute-effect")
        {
            Description = "What a dispute does to what its charge may still refund: Hold (its amount is held while it is open and once the buyer won it) or None (refunds ignore disputes). Default: $TILLPOINT_DISPUTE_EFFECT, else Hold.",
            HelpName = OptionValues.HelpName<DisputeEffect>(),
            DefaultValueFactory = result => OptionValues.NameFromEnvironment(result, "TILLPOINT_DISPUTE_EFFECT", DisputeEffect.Hold),
            CustomParser = result => OptionValues.Name(result, DisputeEffect.Hold),
        };
        var throttling = new Option<ThrottlingMode>("--throttling")
        {
            Description = "Amazon: hold each merchant's requests to Amazon's per-operation quotas (burst and restore rate, sandbox and live), answering 429 TooManyRequests over them; Off: never. A merchant's own choice (merchants set-throttling) overrides it. Default: $TILLPOINT_THROTTLING, else Off.",
            HelpName = OptionValues.HelpName<ThrottlingMode>(),
            DefaultValueFactory = result => OptionValues.NameFromEnvironment(result, "TILLPOINT_THROTTLING", ThrottlingMode.Off),
            CustomParser = result => OptionValues.Name(result, ThrottlingMode.Off),
        };
        var seed = new Option<int?>("--seed")
        {
            Description = "Make generated ids, sandbox tokens and injected faults repeat from run to run (0 or more); keys and secrets stay random. Default: $TILLPOINT_SEED, else cryptographic randomness.",
            HelpName = "number",
            DefaultValueFactory = SeedFromEnvironment,
            CustomParser = result => OptionValues.WholeNumber(0, int.MaxValue)(result),
        };
        var command = new Command("serve", "Run the API server, the hosted checkout pages and background work.")
        {
            urls, publicUrl, certificate, certificatePassword, durability, maxClockSkew, operatorToken, trustedProxy, metrics, logFormat, dashboardOverHttp,
            sandboxReports, disputeEffect, throttling, seed,
        };
        storage.AddTo(command);
        var ipn = new IpnServeArguments();
        ipn.AddTo(command);
        WithExamples(
            command,
            "tillpoint serve --data-dir ./data",
            "tillpoint serve --urls \"https://0.0.0.0:8443\" --public-url https://pay.example.test:8443",
            "tillpoint serve --urls \"http://0.0.0.0:8080\" --dashboard-over-http",
            "tillpoint serve --store postgres --connection-string \"Host=db;Database=tillpoint;Username=tillpoint\"",
            "tillpoint serve --throttling amazon --seed 42");
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (ReadLogFormat(parse.GetValue(logFormat)) is not { } log)
            {
                return io.Fail("--log-format (or TILLPOINT_LOG_FORMAT) must be text or json.");
            }

            var (store, connectionString) = storage.ReadServer(parse);
            var listen = parse.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var options = new ServerOptions
            {
                DataDirectory = storage.DataDirectory(parse),
                Store = store,
                ConnectionString = connectionString,
                Urls = listen,
                PublicUrl = parse.GetValue(publicUrl) ?? ServerOptions.LoopbackPublicUrl(listen),
                CertificatePath = parse.GetValue(certificate) is { } certificatePath ? Path.GetFullPath(certificatePath) : null,
                CertificatePassword = parse.GetValue(certificatePassword),
                Durability = parse.GetValue(durability),
                SignatureMaxAge = TimeSpan.FromMinutes(parse.GetValue(maxClockSkew)),
                OperatorToken = parse.GetValue(operatorToken),
                TrustedProxies = (parse.GetValue(trustedProxy) ?? []).ToHashSet(),
                Ipn = ipn.Read(parse),
                MetricsAccess = parse.GetValue(metrics),
                LogFormat = log,
                DashboardOverHttp = parse.GetValue(dashboardOverHttp),
                Limits = Limits.Default with
                {
                    DisputesReduceRefundable = parse.GetValue(disputeEffect) == DisputeEffect.Hold,
                    SandboxReportTypes = parse.GetValue(sandboxReports),
                },
                Throttling = parse.GetValue(throttling),
                Random = parse.GetValue(seed) is { } chosen ? RandomSource.Seeded(chosen) : RandomSource.Cryptographic,
            };
            await using var app = TillpointApp.Build(options);
            try
            {
                await TillpointApp.StartAsync(app, cancellationToken);
            }
            catch (System.Data.Common.DbException e)
            {
                return io.Fail(ExitCodes.StoreUnavailable, $"tillpoint could not start: {e.Message}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                // A port in use, a certificate that cannot be read: nothing the store or the command line can fix.
                return io.Fail(ExitCodes.Failure, $"tillpoint could not start: {e.Message}");
            }

            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The listen addresses as the server binds them (TillpointKestrel.Listen): http or https, with an IP address,
    /// localhost, or * and + for every address.
    /// </summary>
    private static string ListenUrls(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        var urls = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var wrong = urls.Length == 0 ? text : urls.FirstOrDefault(url => !Listenable(url));
        if (wrong is not null)
        {
            result.AddError($"--urls must be http or https addresses with an IP address or localhost, separated by ';' (https://127.0.0.1:8443;http://127.0.0.1:8080), not '{wrong}'.");
        }

        return text;
    }

    /// <summary>IP addresses, one per <c>--trusted-proxy</c>: a proxy is known by the address it connects from, never by name.</summary>
    private static System.Net.IPAddress[] TrustedProxies(System.CommandLine.Parsing.ArgumentResult result) =>
        ProxyAddresses(result, "--trusted-proxy", result.Tokens.Select(token => token.Value));

    /// <summary>$TILLPOINT_TRUSTED_PROXY: the same addresses, separated by commas, for containers configured by environment.</summary>
    private static System.Net.IPAddress[] TrustedProxiesFromEnvironment(System.CommandLine.Parsing.ArgumentResult result) =>
        ProxyAddresses(
            result,
            "TILLPOINT_TRUSTED_PROXY",
            (Environment.GetEnvironmentVariable("TILLPOINT_TRUSTED_PROXY") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static System.Net.IPAddress[] ProxyAddresses(System.CommandLine.Parsing.ArgumentResult result, string source, IEnumerable<string> values)
    {
        var addresses = new List<System.Net.IPAddress>();
        foreach (var value in values)
        {
            if (!System.Net.IPAddress.TryParse(value, out var address))
            {
                result.AddError($"{source} must be an IP address, such as 127.0.0.1 or ::1, not '{value}'.");
                continue;
            }

            addresses.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
        }

        return [.. addresses];
    }

    private static bool Listenable(string url) =>
        OptionValues.HttpUrl(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal)) is { } uri
        && (uri.Host == "localhost" || System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out _));

    /// <summary>$TILLPOINT_SEED when set (a value that is not a whole number, 0 or more, fails the parse, naming it), else none.</summary>
    private static int? SeedFromEnvironment(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = Environment.GetEnvironmentVariable("TILLPOINT_SEED");
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (OptionValues.TryWholeNumber(text, 0, int.MaxValue, out var value))
        {
            return (int)value;
        }

        result.AddError(OptionValues.OutOfRange("TILLPOINT_SEED", 0, int.MaxValue, null, text));
        return null;
    }

    /// <summary>Text for a person at a terminal, JSON for whatever reads redirected output, unless told; null if unknown.</summary>
    private static LogFormat? ReadLogFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null => Console.IsOutputRedirected ? LogFormat.Json : LogFormat.Text,
        "text" => LogFormat.Text,
        "json" => LogFormat.Json,
        _ => null,
    };
}

/// <summary>What a dispute does to what its charge may still refund (<c>serve --dispute-effect</c>, docs/disputes.md).</summary>
internal enum DisputeEffect
{
    /// <summary>An open dispute, and one the buyer won, holds its amount: the charge's refunds never pass what is left.</summary>
    Hold,

    /// <summary>Refunds ignore disputes, and a dispute may be for up to the captured amount.</summary>
    None,
}
