using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tillpoint.Server.Operator;
using Tillpoint.Server.Throttling;

namespace Tillpoint.Server.Cli;

/// <summary>A merchant's throttling after <c>merchants set-throttling</c>: amazon, off, or default (the server's mode).</summary>
internal sealed record MerchantThrottlingJson(string MerchantId, string Throttling);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MerchantThrottlingJson))]
internal sealed partial class ThrottlingCliJsonContext : JsonSerializerContext;

internal static partial class TillpointCli
{
    /// <summary>
    /// <c>merchants set-throttling</c>: whether a merchant's requests are held to Amazon's quotas whatever
    /// <c>serve --throttling</c> says; running servers follow within a second.
    /// </summary>
    private static Command MerchantsSetThrottling(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var json = JsonOption();
        var choice = new Argument<MerchantThrottling>("throttling")
        {
            Description = "amazon: Amazon's per-operation quotas, 429 TooManyRequests over them; off: never throttled; default: as serve --throttling says.",
            HelpName = OptionValues.HelpName<MerchantThrottling>(),
            CustomParser = result => OptionValues.Name(result, MerchantThrottling.Default),
        };
        var command = new Command("set-throttling", "Choose whether a merchant's requests are held to Amazon's request quotas, whatever the server's --throttling.")
        {
            merchant, choice, json,
        };
        storage.AddTo(command);
        WithExamples(command, "tillpoint merchants set-throttling --merchant A1B2C3D4E5F6G7 amazon");
        command.SetAction((parse, cancellationToken) => WithStoreAsync(storage.Read(parse), io, async store =>
        {
            var merchantId = parse.GetValue(merchant)!;
            var chosen = parse.GetValue(choice);
            if (!await ThrottlingSettings.SetAsync(store, merchantId, chosen, cancellationToken))
            {
                return io.Fail(ExitCodes.NotFound, NoMerchant(merchantId));
            }

            var name = ThrottlingSettings.Name(chosen);
            io.Print(
                parse.GetValue(json),
                new MerchantThrottlingJson(merchantId, name),
                ThrottlingCliJsonContext.Default.MerchantThrottlingJson,
                $"Throttling of {merchantId}: {name}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary><c>faults set|list|clear</c>: the fault rules of a running server, through its operator endpoint.</summary>
    private static Command FaultsCommand(CliOutput io)
    {
        var command = new Command("faults", "Inject Amazon's 5xx errors, latency or dropped connections into a running server's sandbox requests.")
        {
            FaultsSet(io), FaultsList(io), FaultsClear(io),
        };
        WithExamples(
            command,
            "tillpoint faults set --server http://127.0.0.1:8080 --rate 0.3 --kind internalservererror --operation CreateCharge",
            "tillpoint faults list --server http://127.0.0.1:8080 --json",
            "tillpoint faults clear --server http://127.0.0.1:8080");
        return command;
    }

    private static Command FaultsSet(CliOutput io)
    {
        var server = new OperatorServerArguments();
        var json = JsonOption();
        var merchant = new Option<string?>("--merchant") { Description = "The merchant whose requests fail. Default: every merchant." };
        var operation = new Option<string?>("--operation") { Description = "The operation, by its name in the API reference (CreateCharge, GetCheckoutSession…). Default: every operation." };
        var rate = new Option<double>("--rate")
        {
            Description = "The fraction of the requests that fail, from 0 to 1.",
            Required = true,
            HelpName = "fraction",
            CustomParser = Fraction,
        };
        var kind = new Option<FaultKind>("--kind")
        {
            Description = "internalservererror (500) or serviceunavailable (503) in the API's error format, latency (the answer waits --latency-ms), or dropconnection (no answer).",
            Required = true,
            HelpName = OptionValues.HelpName<FaultKind>(),
            CustomParser = result => OptionValues.Name(result, FaultKind.InternalServerError),
        };
        var latency = new Option<int?>("--latency-ms")
        {
            Description = $"How long a latency fault holds the answer, 1 to {OperatorFaults.MaxLatencyMs} milliseconds.",
            HelpName = "milliseconds",
            CustomParser = result => OptionValues.WholeNumber(1, OperatorFaults.MaxLatencyMs, "milliseconds")(result),
        };
        var command = new Command("set", "Set the fault rule of a merchant and operation (either left out: every one); it replaces the rule of the same two.")
        {
            merchant, operation, rate, kind, latency, json,
        };
        server.AddTo(command);
        WithExamples(
            command,
            "tillpoint faults set --server http://127.0.0.1:8080 --rate 1 --kind serviceunavailable",
            "tillpoint faults set --server http://127.0.0.1:8080 --merchant A1B2C3D4E5F6G7 --operation CaptureCharge --rate 0.3 --kind latency --latency-ms 2000");
        command.SetAction((parse, cancellationToken) => server.CallAsync(parse, io, json, HttpMethod.Put, cancellationToken, new FaultRuleRequest
        {
            MerchantId = parse.GetValue(merchant),
            Operation = parse.GetValue(operation),
            Rate = parse.GetValue(rate),
            Kind = parse.GetValue(kind).ToString(),
            LatencyMs = parse.GetValue(latency),
        }));
        return command;
    }

    private static Command FaultsList(CliOutput io)
    {
        var server = new OperatorServerArguments();
        var json = JsonOption();
        var command = new Command("list", "List the fault rules in force, each with how many requests it has hit.") { json };
        server.AddTo(command);
        WithExamples(command, "tillpoint faults list --server http://127.0.0.1:8080 --data-dir tillpoint-data");
        command.SetAction((parse, cancellationToken) => server.CallAsync(parse, io, json, HttpMethod.Get, cancellationToken));
        return command;
    }

    private static Command FaultsClear(CliOutput io)
    {
        var server = new OperatorServerArguments();
        var json = JsonOption();
        var command = new Command("clear", "Remove every fault rule: requests are answered as usual again.") { json };
        server.AddTo(command);
        WithExamples(command, "tillpoint faults clear --server http://127.0.0.1:8080");
        command.SetAction((parse, cancellationToken) => server.CallAsync(parse, io, json, HttpMethod.Delete, cancellationToken));
        return command;
    }

    private static double Fraction(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1)
        {
            return value;
        }

        result.AddError($"--rate must be a fraction from 0 to 1, such as 0.3, not '{text}'.");
        return 0;
    }

    private static string Describe(FaultsDto faults) => faults.Faults.Count == 0
        ? "No fault rules."
        : Table(
            ["MERCHANT", "OPERATION", "RATE", "KIND", "LATENCY MS", "INJECTED"],
            faults.Faults.Select(f => new[]
            {
                f.MerchantId ?? "*", f.Operation ?? "*", f.Rate.ToString(CultureInfo.InvariantCulture), f.Kind,
                f.LatencyMs?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, f.Injected.ToString(CultureInfo.InvariantCulture),
            }));

    /// <summary>
    /// How a verb reaches a running server's operator endpoints: its address, and the operator token, given or read from
    /// the data folder as the server keeps it; an HTTPS address is trusted by the certificate the server keeps there.
    /// </summary>
    private sealed class OperatorServerArguments
    {
        private readonly Option<Uri> _server = new("--server")
        {
            Description = "The running server's address.",
            DefaultValueFactory = _ => new Uri("http://127.0.0.1:8080"),
            HelpName = "url",
            CustomParser = result => OptionValues.Url(result) ?? new Uri("http://127.0.0.1:8080"),
        };

        private readonly Option<string?> _token = new("--operator-token")
        {
            Description = "The operator token. Default: $TILLPOINT_OPERATOR_TOKEN, else the one the server keeps in --data-dir.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TILLPOINT_OPERATOR_TOKEN") is { Length: > 0 } token ? token : null,
        };

        private readonly Option<string> _dataDirectory = new("--data-dir")
        {
            Description = "The server's data folder: its operator token and HTTPS certificate.",
            DefaultValueFactory = _ => DefaultDataDirectory,
        };

        public void AddTo(Command command)
        {
            command.Add(_server);
            command.Add(_token);
            command.Add(_dataDirectory);
        }

        /// <summary>Calls <c>/operator/faults</c> and prints the rules it answers, or its refusal on one line.</summary>
        public async Task<int> CallAsync(
            ParseResult parse, CliOutput io, Option<bool> json, HttpMethod method, CancellationToken cancellationToken, FaultRuleRequest? body = null)
        {
            var dataDirectory = parse.GetValue(_dataDirectory)!;
            var tokenFile = Path.Combine(dataDirectory, Dashboard.OperatorToken.FileName);
            var token = parse.GetValue(_token) ?? (File.Exists(tokenFile) ? (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim() : null);
            if (token is null)
            {
                return io.Fail($"no operator token: give --operator-token, set TILLPOINT_OPERATOR_TOKEN, or point --data-dir at the server's data folder (no {tokenFile}).");
            }

            var server = parse.GetValue(_server)!;
            using var http = new HttpClient(Handler(dataDirectory)) { Timeout = TimeSpan.FromSeconds(30) };
            using var request = new HttpRequestMessage(method, new Uri(server, OperatorFaults.Path));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, FaultsJsonContext.Default.FaultRuleRequest);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                return io.Fail(ExitCodes.Failure, $"could not reach {server}: {e.Message}");
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return io.Fail(response.StatusCode == System.Net.HttpStatusCode.BadRequest ? ExitCodes.Usage : ExitCodes.Failure, Refusal(response, text));
                }

                var faults = JsonSerializer.Deserialize(text, FaultsJsonContext.Default.FaultsDto)!;
                io.Print(parse.GetValue(json), faults, FaultsJsonContext.Default.FaultsDto, Describe(faults));
                return ExitCodes.Success;
            }
        }

        /// <summary>The server's reason code and message, or its status when the answer is not the API's error format.</summary>
        private static string Refusal(HttpResponseMessage response, string text)
        {
            try
            {
                using var error = JsonDocument.Parse(text);
                return $"the server refused: {error.RootElement.GetProperty("reasonCode").GetString()}: {error.RootElement.GetProperty("message").GetString()}";
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}.";
            }
        }

        /// <summary>Trusts exactly the certificate the server keeps in its data folder when there is one, as the SDKs are told to.</summary>
        private static SocketsHttpHandler Handler(string dataDirectory)
        {
            var pem = Path.Combine(dataDirectory, Hosting.Certificates.PemFileName);
            if (!File.Exists(pem))
            {
                return new SocketsHttpHandler();
            }

            var thumbprint = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(pem)).Thumbprint;
            return new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => errors == System.Net.Security.SslPolicyErrors.None || certificate?.GetCertHashString() == thumbprint },
            };
        }
    }
}
