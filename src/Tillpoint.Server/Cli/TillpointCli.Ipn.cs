using System.CommandLine;
using System.Text.Json.Serialization;
using Tillpoint.Server.Ipn;

namespace Tillpoint.Server.Cli;

/// <summary>
/// <c>tillpoint ipn add|list|remove|deliveries|redeliver</c>: Instant Payment Notification endpoints and the delivery log
/// (docs/ipn.md). Scripts rely on these forms and <c>--json</c> shapes: change them only compatibly.
/// </summary>
internal static partial class TillpointCli
{
    private static Command IpnCommand(CliOutput io) => WithExamples(
        new Command("ipn", "Manage Instant Payment Notification endpoints and deliveries.")
        {
            IpnAdd(io), IpnList(io), IpnRemove(io), IpnDeliveries(io), IpnRedeliver(io),
        },
        "tillpoint ipn add --merchant A1B2C3D4E5F6G7 --environment sandbox --url http://127.0.0.1:5000/ipn --allow-host 127.0.0.1:5000",
        "tillpoint ipn deliveries --merchant A1B2C3D4E5F6G7 --state failed",
        "tillpoint ipn redeliver 0e7d2c1a-4b5f-4c3e-9a8b-1f2e3d4c5b6a");

    private static Option<ReleaseEnvironment> IpnEnvironmentOption() => new("--environment")
    {
        Description = "sandbox or live: notifications of objects in that environment go to the endpoint.",
        Required = true,
        HelpName = OptionValues.HelpName<ReleaseEnvironment>(),
        CustomParser = result => OptionValues.Name(result, ReleaseEnvironment.Sandbox),
    };

    private static Option<string> IpnUrlOption() => new("--url") { Description = "The endpoint's URL.", Required = true };

    private static Command IpnAdd(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var environment = IpnEnvironmentOption();
        var url = IpnUrlOption();
        var allowHost = new Option<string[]>("--allow-host")
        {
            Description = $"Also accept a receiver on this machine or the private network, or plain HTTP, at host[:port] (repeatable); the server must allow it too (--ipn-allow-host). Default: ${IpnTargets.AllowedHostsVariable}.",
            HelpName = "host[:port]",
        };
        allowHost.Validators.Add(IpnServeArguments.ValidateHosts);
        var json = JsonOption();
        var command = new Command(
            "add", "Send the merchant's notifications in an environment to a URL: https to a public address, or a receiver allowed with --allow-host (loopback, private network, plain http).")
        {
            merchant, environment, url, allowHost, json,
        };
        storage.AddTo(command);
        WithExamples(
            command,
            "tillpoint ipn add --merchant A1B2C3D4E5F6G7 --environment sandbox --url http://127.0.0.1:5000/ipn --allow-host 127.0.0.1:5000",
            "tillpoint ipn add --merchant A1B2C3D4E5F6G7 --environment live --url https://shop.example.test/ipn --json");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var env = parse.GetValue(environment);
            var allowed = IpnTargets.AllowedHosts(parse.GetValue(allowHost));
            if (IpnTargets.Refusal(parse.GetValue(url)!, allowed) is { } refusal)
            {
                return io.Fail($"the URL is not allowed: {refusal}");
            }

            return await WithStoreAsync(storage.Read(parse), io, async store =>
            {
                var added = await Administration(store, io, allowed).AddEndpointAsync(parse.GetValue(merchant)!, env, parse.GetValue(url)!, cancellationToken);
                if (!added.IsSuccess)
                {
                    // The URL was checked above: what is left is an unknown merchant or an endpoint it already has.
                    return io.Fail(added.Error!.Code == ErrorCode.ResourceNotFound ? ExitCodes.NotFound : ExitCodes.Conflict, added.Error.Message);
                }

                var endpoint = added.Value;
                io.Print(parse.GetValue(json), EndpointJson(endpoint), IpnCliJsonContext.Default.IpnEndpointJson, $"Added {endpoint.Url} ({Lower(endpoint.Environment)})");
                return 0;
            });
        });
        return command;
    }

    private static Command IpnList(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var environment = EnvironmentOption("sandbox or live; both when unset.");
        var json = JsonOption();
        var command = new Command("list", "List a merchant's notification endpoints.") { merchant, environment, json };
        storage.AddTo(command);
        WithExamples(command, "tillpoint ipn list --merchant A1B2C3D4E5F6G7", "tillpoint ipn list --merchant A1B2C3D4E5F6G7 --environment sandbox --json");
        command.SetAction(parse =>
        {
            var merchantId = parse.GetValue(merchant)!;
            return WithMerchantStore(storage.Read(parse), merchantId, io, store =>
            {
                var endpoints = Administration(store, io, IpnTargets.AllowedHosts()).ListEndpoints(merchantId, parse.GetValue(environment));
                io.Print(
                    parse.GetValue(json),
                    [.. endpoints.Select(EndpointJson)],
                    IpnCliJsonContext.Default.ListIpnEndpointJson,
                    Table(["ENVIRONMENT", "URL", "ADDED"], endpoints.Select(e => new[] { Lower(e.Environment), e.Url, Stamp(e.CreatedAt) })));
                return 0;
            });
        });
        return command;
    }

    private static Command IpnRemove(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var environment = IpnEnvironmentOption();
        var url = IpnUrlOption();
        var json = JsonOption();
        var command = new Command("remove", "Stop sending to an endpoint. Its pending deliveries wait, and resume if the URL is added again.")
        {
            merchant, environment, url, json,
        };
        storage.AddTo(command);
        WithExamples(command, "tillpoint ipn remove --merchant A1B2C3D4E5F6G7 --environment sandbox --url http://127.0.0.1:5000/ipn");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var env = parse.GetValue(environment);
            return await WithStoreAsync(storage.Read(parse), io, async store =>
            {
                var merchantId = parse.GetValue(merchant)!;
                var target = parse.GetValue(url)!;
                if (!await Administration(store, io, IpnTargets.AllowedHosts()).RemoveEndpointAsync(merchantId, env, target, cancellationToken))
                {
                    return io.Fail(ExitCodes.NotFound, $"Merchant '{merchantId}' has no endpoint {target} in {Lower(env)}.");
                }

                io.Print(
                    parse.GetValue(json),
                    new IpnEndpointJson(merchantId, Lower(env), target, null),
                    IpnCliJsonContext.Default.IpnEndpointJson,
                    $"Removed {target} ({Lower(env)})");
                return 0;
            });
        });
        return command;
    }

    private static Command IpnDeliveries(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = new Option<string?>("--merchant") { Description = "Only this merchant's deliveries." };
        var environment = EnvironmentOption("sandbox or live; both when unset.");
        var state = new Option<IpnDeliveryState?>("--state")
        {
            Description = "pending, delivered or failed.",
            HelpName = OptionValues.HelpName<IpnDeliveryState>(),
            CustomParser = result => OptionValues.Name(result, IpnDeliveryState.Pending),
        };
        var notification = new Option<string?>("--notification") { Description = "Only the deliveries of this NotificationId." };
        var delivery = new Option<string?>("--delivery") { Description = "Show this delivery and every attempt made for it." };
        var limit = new Option<int>("--limit")
        {
            Description = $"At most this many deliveries, newest first (1 to {IpnAdministration.MaxPageSize}).",
            DefaultValueFactory = _ => IpnAdministration.DefaultPageSize,
            CustomParser = OptionValues.WholeNumber(1, IpnAdministration.MaxPageSize),
        };
        var before = new Option<long?>("--before")
        {
            Description = "Page on: only deliveries with a sequence below this one (the last SEQ shown).",
            HelpName = "seq",
            CustomParser = OptionValues.Sequence,
        };
        var json = JsonOption();
        var command = new Command("deliveries", "List notification deliveries, or one delivery's attempts.")
        {
            merchant, environment, state, notification, delivery, limit, before, json,
        };
        storage.AddTo(command);
        WithExamples(
            command,
            "tillpoint ipn deliveries --merchant A1B2C3D4E5F6G7 --state failed",
            "tillpoint ipn deliveries --environment sandbox --limit 20 --json");
        command.SetAction(parse => WithStore(storage.Read(parse), io, store =>
        {
            var administration = Administration(store, io, IpnTargets.AllowedHosts());
            if (parse.GetValue(delivery) is { } deliveryId)
            {
                if (administration.GetDelivery(deliveryId) is not { } found)
                {
                    return io.Fail(ExitCodes.NotFound, $"No delivery with id '{deliveryId}'.");
                }

                var attempts = administration.ListAttempts(deliveryId);
                io.Print(
                    parse.GetValue(json),
                    new IpnDeliveryDetailJson(DeliveryJson(found), [.. attempts.Select(AttemptJson)]),
                    IpnCliJsonContext.Default.IpnDeliveryDetailJson,
                    $"Delivery {found.DeliveryId} of {found.NotificationId} to {found.Url}: {found.State} ({found.Attempts} attempts in series {found.Series})\n"
                    + Table(
                        ["SERIES", "ATTEMPT", "AT", "OUTCOME", "STATUS", "MS", "DETAIL"],
                        attempts.Select(a => new[]
                        {
                            Number(a.Series), Number(a.Attempt), Stamp(a.AttemptedAt), a.Outcome.ToString(), a.StatusCode is { } s ? Number(s) : "-",
                            Number(a.LatencyMs), OneLine(a.Detail),
                        })));
                return 0;
            }

            var deliveries = administration.ListDeliveries(new IpnDeliveryQuery(
                parse.GetValue(merchant), parse.GetValue(environment), parse.GetValue(state), parse.GetValue(notification), parse.GetValue(before),
                parse.GetValue(limit)));
            io.Print(
                parse.GetValue(json),
                [.. deliveries.Select(DeliveryJson)],
                IpnCliJsonContext.Default.ListIpnDeliveryJson,
                Table(
                    ["SEQ", "DELIVERY ID", "NOTIFICATION ID", "OBJECT", "URL", "STATE", "ATTEMPTS", "LAST RESULT"],
                    deliveries.Select(d => new[]
                    {
                        Number(d.Sequence), d.DeliveryId, d.NotificationId, $"{IpnDispatcher.WireObjectType(d.ObjectType)} {d.ObjectId}", d.Url,
                        d.State.ToString(), Number(d.Attempts), d.LastResult ?? "-",
                    })));
            return 0;
        }));
        return command;
    }

    private static Command IpnRedeliver(CliOutput io)
    {
        var storage = new StoreArguments();
        var id = new Argument<string>("id") { Description = "A delivery id (that delivery) or a NotificationId (every delivery of it)." };
        var json = JsonOption();
        var command = new Command("redeliver", "Send a notification again, with a new series of attempts; its NotificationId stays the same.") { id, json };
        storage.AddTo(command);
        WithExamples(command, "tillpoint ipn redeliver 0e7d2c1a-4b5f-4c3e-9a8b-1f2e3d4c5b6a --json   # {\"id\":\"0e7d…\",\"reset\":1}");
        command.SetAction((parse, cancellationToken) => WithStoreAsync(storage.Read(parse), io, async store =>
        {
            var target = parse.GetValue(id)!;
            var reset = await Administration(store, io, IpnTargets.AllowedHosts()).RedeliverAsync(target, cancellationToken);
            if (!reset.IsSuccess)
            {
                return io.Fail(ExitCodes.NotFound, reset.Error!.Message);
            }

            io.Print(
                parse.GetValue(json),
                new IpnRedeliverJson(target, reset.Value),
                IpnCliJsonContext.Default.IpnRedeliverJson,
                $"{reset.Value} {(reset.Value == 1 ? "delivery" : "deliveries")} pending again");
            return 0;
        }));
        return command;
    }

    private static IpnAdministration Administration(ITillpointStore store, CliOutput io, IReadOnlySet<string> allowedHosts) =>
        new(store, io.Clock, allowedHosts);

    private static string Lower(ReleaseEnvironment environment) => environment.ToString().ToLowerInvariant();

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string OneLine(string? text) => text is null ? "-" : text.ReplaceLineEndings(" ");

    private static IpnEndpointJson EndpointJson(IpnEndpoint endpoint) =>
        new(endpoint.MerchantId, Lower(endpoint.Environment), endpoint.Url, Stamp(endpoint.CreatedAt));

    private static IpnDeliveryJson DeliveryJson(IpnDelivery d) => new(
        d.Sequence, d.DeliveryId, d.NotificationId, d.MerchantId, Lower(d.Environment), IpnDispatcher.WireObjectType(d.ObjectType), d.ObjectId,
        d.ChargePermissionId, d.Url, d.State.ToString(), d.Series, d.Attempts, Stamp(d.NextAttemptAt), Stamp(d.CreatedAt),
        d.LastAttemptAt is { } last ? Stamp(last) : null, d.LastResult);

    private static IpnAttemptJson AttemptJson(IpnAttempt a) =>
        new(a.Series, a.Attempt, Stamp(a.AttemptedAt), a.Outcome.ToString(), a.StatusCode, a.LatencyMs, a.Detail);
}

internal sealed record IpnEndpointJson(string MerchantId, string Environment, string Url, string? CreatedAt);

internal sealed record IpnDeliveryJson(
    long Sequence,
    string DeliveryId,
    string NotificationId,
    string MerchantId,
    string Environment,
    string ObjectType,
    string ObjectId,
    string ChargePermissionId,
    string Url,
    string State,
    int Series,
    int Attempts,
    string NextAttemptAt,
    string CreatedAt,
    string? LastAttemptAt,
    string? LastResult);

internal sealed record IpnAttemptJson(int Series, int Attempt, string AttemptedAt, string Outcome, int? StatusCode, long LatencyMs, string? Detail);

internal sealed record IpnDeliveryDetailJson(IpnDeliveryJson Delivery, List<IpnAttemptJson> Attempts);

internal sealed record IpnRedeliverJson(string Id, int Reset);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IpnEndpointJson))]
[JsonSerializable(typeof(List<IpnEndpointJson>))]
[JsonSerializable(typeof(List<IpnDeliveryJson>))]
[JsonSerializable(typeof(IpnDeliveryDetailJson))]
[JsonSerializable(typeof(IpnRedeliverJson))]
internal sealed partial class IpnCliJsonContext : JsonSerializerContext;

/// <summary>
/// The notification options of <c>tillpoint serve</c>, each with an environment variable:
/// <c>--ipn-allow-host</c> (<c>TILLPOINT_IPN_ALLOW_HOSTS</c>, comma-separated), <c>--ipn-max-attempts</c>
/// (<c>TILLPOINT_IPN_MAX_ATTEMPTS</c>), <c>--ipn-timeout-seconds</c> (<c>TILLPOINT_IPN_TIMEOUT_SECONDS</c>) and
/// <c>--ipn-first-retry-seconds</c> (<c>TILLPOINT_IPN_FIRST_RETRY_SECONDS</c>).
/// </summary>
internal sealed class IpnServeArguments
{
    private readonly Option<string[]> _allowHost = new("--ipn-allow-host")
    {
        Description = $"Also deliver notifications to this receiver, host[:port] (repeatable): needed for one on this machine or the private network (loopback, private, link-local addresses, checked after DNS resolution) and for plain HTTP. Default: ${IpnTargets.AllowedHostsVariable}.",
        HelpName = "host[:port]",
    };

    public IpnServeArguments() => _allowHost.Validators.Add(ValidateHosts);

    /// <summary>Each allowed host must be a host or host:port; a typo would otherwise allow nothing, silently.</summary>
    public static void ValidateHosts(System.CommandLine.Parsing.OptionResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (IpnTargets.EntryError(token.Value) is { } error)
            {
                result.AddError($"{result.Option.Name}: {error}");
            }
        }
    }

    private readonly Option<int> _maxAttempts = Bounded("--ipn-max-attempts", "TILLPOINT_IPN_MAX_ATTEMPTS", new IpnOptions().MaxAttempts, 1, 100,
        "Attempts per notification and endpoint before the delivery is Failed.");

    private readonly Option<int> _timeoutSeconds = Bounded("--ipn-timeout-seconds", "TILLPOINT_IPN_TIMEOUT_SECONDS", (int)new IpnOptions().Timeout.TotalSeconds, 1, 120,
        "How long a receiver may take to answer one notification.");

    private readonly Option<int> _firstRetrySeconds = Bounded("--ipn-first-retry-seconds", "TILLPOINT_IPN_FIRST_RETRY_SECONDS", (int)new IpnOptions().FirstRetryDelay.TotalSeconds, 1, 3600,
        "The wait before the first retry; it doubles after each failure, up to an hour, with ±20 % jitter.");

    private readonly Option<Uri?> _certificateUrl = new("--ipn-certificate-url")
    {
        HelpName = "url",
        CustomParser = OptionValues.Url,
        Description = "The SigningCertURL notifications carry, for receivers that fetch certificates only from hosts they trust. "
            + "Default: $TILLPOINT_IPN_CERTIFICATE_URL, else /ipn/signing-certificate.pem under the public URL.",
        DefaultValueFactory = result =>
        {
            var text = Environment.GetEnvironmentVariable("TILLPOINT_IPN_CERTIFICATE_URL");
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (OptionValues.HttpUrl(text) is not { } url)
            {
                result.AddError($"TILLPOINT_IPN_CERTIFICATE_URL must be an absolute http or https URL, not '{text}'.");
                return null;
            }

            return url;
        },
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_certificateUrl);
        command.Options.Add(_allowHost);
        command.Options.Add(_maxAttempts);
        command.Options.Add(_timeoutSeconds);
        command.Options.Add(_firstRetrySeconds);
    }

    public IpnOptions Read(ParseResult parse) => new()
    {
        AllowedHosts = IpnTargets.AllowedHosts(parse.GetValue(_allowHost)),
        MaxAttempts = parse.GetValue(_maxAttempts),
        Timeout = TimeSpan.FromSeconds(parse.GetValue(_timeoutSeconds)),
        FirstRetryDelay = TimeSpan.FromSeconds(parse.GetValue(_firstRetrySeconds)),
        CertificateUrl = parse.GetValue(_certificateUrl),
    };

    private static Option<int> Bounded(string name, string variable, int fallback, int min, int max, string description)
    {
        var option = new Option<int>(name)
        {
            Description = $"{description} {min} to {max}; default ${variable}, else {fallback}.",
            DefaultValueFactory = result =>
            {
                var text = Environment.GetEnvironmentVariable(variable);
                if (string.IsNullOrWhiteSpace(text))
                {
                    return fallback;
                }

                if (!OptionValues.TryWholeNumber(text, min, max, out var value))
                {
                    result.AddError(OptionValues.OutOfRange(variable, min, max, null, text));
                    return fallback;
                }

                return (int)value;
            },
            CustomParser = OptionValues.WholeNumber(min, max),
        };
        return option;
    }
}
