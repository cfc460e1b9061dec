namespace Tillpoint.Docs.Tests;

/// <summary>What a documented command must do when a user runs it.</summary>
public abstract record Expectation;

/// <summary>
/// It finishes with this exit code (with <c>--json</c>, its standard output is one JSON document). <see cref="Given"/> is
/// a command run first, for an example that acts on something the reader made before (an endpoint to remove).
/// </summary>
public sealed record Exits(int Code = 0) : Expectation
{
    public string? Given { get; init; }
}

/// <summary>
/// It starts a server and keeps running: it passes when <paramref name="Url"/> answers (Tillpoint's <c>/healthz</c>
/// unless said otherwise), and when it then stops cleanly (exit code 0) when signalled.
/// </summary>
public sealed record Serves(string Url = Catalog.DefaultHealth) : Expectation;

/// <summary>Not run by these tests, for the reason given (which must say what runs it instead).</summary>
public sealed record NotRun(string Reason) : Expectation;

/// <summary>
/// Every command the docs and the CLI's help show, by where it stands, with what it must do. A command added to the
/// docs without an entry here fails <c>EveryDocumentedCommand_IsInTheCatalog</c>; an entry whose command left the docs
/// fails <c>EveryCatalogEntry_StandsInTheDocs</c>.
/// </summary>
public static class Catalog
{
    public const string DefaultHealth = "http://127.0.0.1:8080/healthz";

    /// <summary>The docs' example connection strings: a block that shows one runs against a fresh test database.</summary>
    public static readonly IReadOnlyList<string> PostgresPlaceholders =
    [
        "Host=127.0.0.1;Database=tillpoint;Username=tillpoint",
        "Host=db;Database=tillpoint;Username=tillpoint",
        "Host=db;Database=tillpoint",
    ];

    private const string TheSuite = "it runs this test suite; CI runs it on every change";

    private const string ReadmeShop = "the README shop test (ReadmeShopTests, in the browser suite) runs the section's commands and buys in Chromium";

    private const string Shop = "http://127.0.0.1:5080/";

    private const string Mutation = "mutation testing: 10 to 20 minutes of full load per project, run by hand by whoever changes "
        + "Tillpoint.Domain or Tillpoint.Protocol; the scores it printed are in docs/testing.md";

    private const string DisputeCli = "it needs a captured charge and a dispute of the merchant's; SandboxDisputeTests (server tests) runs these forms against real ones";

    private const string TestingPackage = "PackageTests (Tillpoint.Testing.Tests) packs Tillpoint.Testing into a folder and restores it from there "
        + "into a test project of its own, whose tests it runs";

    private const string Benchmark = "a benchmark: minutes of full load on every core, run by hand; its results are in docs/benchmarks.md";

    public static readonly IReadOnlyDictionary<(string Source, string Key), Expectation> Entries = Build(
        ("README.md", [
            ("dotnet pack src/Tillpoint.Server -o artifacts/packages", new Exits()),
            ("dotnet tool update --global Tillpoint --source artifacts/packages", new Exits()),
            ("tillpoint serve", new Serves()),
            ("./test.sh", new NotRun(TheSuite)),
            ("tillpoint merchants create --json", new Exits()),
            ("tillpoint keys create --merchant A1B2C3D4E5F6G7 --environment sandbox --out private.pem --json", new Exits()),
            ("samples/Shop/setup.sh", new NotRun(ReadmeShop)),
            ("samples/Shop/run.sh", new NotRun(ReadmeShop)),
            ("dotnet run --project samples/Shop -- --tillpoint-url https://127.0.0.1:8443 --merchant-id … --store-id … --public-key-id SANDBOX-… --private-key \"$PWD/private.pem\"", new Serves(Shop)),
            ("TILLPOINT_UPDATE_OPENAPI=1 dotnet test tests/Tillpoint.Server.Tests --filter FullyQualifiedName~OpenApiDocumentTests", new NotRun("it rewrites docs/openapi.json; OpenApiDocumentTests checks that the file is current on every run")),
            ("export TILLPOINT_OPERATOR_TOKEN=a-long-random-operator-token", new Exits()),
            ("curl -sk https://127.0.0.1:8443/operator/clock -H \"Authorization: Bearer $TILLPOINT_OPERATOR_TOKEN\"", new Exits()),
            ("curl -sk https://127.0.0.1:8443/operator/clock/advance -H \"Authorization: Bearer $TILLPOINT_OPERATOR_TOKEN\" -H \"Content-Type: application/json\" -d '{\"seconds\": 2678400}'", new Exits()),
            ("tillpoint ipn add --merchant A1B2C3D4E5F6G7 --environment sandbox --url http://127.0.0.1:5000/ipn --allow-host 127.0.0.1:5000", new Exits()),
            ("tillpoint ipn deliveries --merchant A1B2C3D4E5F6G7 --state failed", new Exits()),
            ("tillpoint ipn redeliver NOTIFICATION-ID", new Exits()),
            ("tillpoint export --merchant A1B2C3D4E5F6G7 --from 2026-11-01 --to 2026-12-01 --out november.csv", new Exits()),
            ("export TILLPOINT_STORE=postgres TILLPOINT_CONNECTION_STRING=\"Host=127.0.0.1;Database=tillpoint;Username=tillpoint\"", new Exits()),
            ("./test.sh --filter \"FullyQualifiedName~Checkout\"", new NotRun(TheSuite)),
            ("export TILLPOINT_TEST_POSTGRES=\"Host=127.0.0.1;Port=5432;Username=postgres;Password=…\"", new NotRun(TheSuite)),
            ("dotnet test", new NotRun(TheSuite)),
            ("TILLPOINT_TEST_STORE=postgres dotnet test tests/Tillpoint.Server.Tests", new NotRun(TheSuite)),
        ]),
        ("samples/Shop/README.md", [
            ("tillpoint serve", new Serves()),
            ("samples/Shop/setup.sh", new Exits()),
            ("samples/Shop/run.sh", new Serves(Shop)),
            ("dotnet run --project samples/Shop -- --tillpoint-url https://127.0.0.1:8443 --merchant-id A1B2C3D4E5F6G7 --store-id amzn1.application-oa2-client.… --public-key-id SANDBOX-… --private-key /path/to/private.pem", new Serves(Shop)),
            ("dotnet test tests/Tillpoint.Shop.Tests", new NotRun(TheSuite)),
            ("dotnet test tests/Tillpoint.Browser.Tests --filter \"FullyQualifiedName~Shop\"", new NotRun(TheSuite)),
        ]),
        ("docs/benchmarks.md", [
            ("dotnet run -c Release --project bench/Tillpoint.Bench -- all", new NotRun(Benchmark)),
            ("dotnet run -c Release --project bench/Tillpoint.Bench -- growth --sizes 10000,100000,1000000", new NotRun(Benchmark)),
        ]),
        ("docs/checkout.md", [
            ("tillpoint merchants create --name \"Mein Laden\" --region eu --json", new Exits()),
        ]),
        ("docs/disputes.md", [
            ("tillpoint disputes open --merchant A1B2C3D4E5F6G7 --charge S01-1234567-1234567-C123456 --amount 5.00 --reason ProductNotReceived --json", new NotRun(DisputeCli)),
            ("tillpoint disputes act --merchant A1B2C3D4E5F6G7 --dispute S01-1234567-1234567-B123456 --action decide --resolution BuyerWon", new NotRun(DisputeCli)),
            ("tillpoint serve --dispute-effect none", new Serves()),
        ]),
        ("docs/ipn.md", [
            ("tillpoint ipn add --merchant A1B2C3D4E5F6G7 --environment sandbox --url http://127.0.0.1:5000/ipn --allow-host 127.0.0.1:5000 --json", new Exits()),
            ("tillpoint ipn deliveries --merchant A1B2C3D4E5F6G7 --state failed", new Exits()),
            ("tillpoint ipn redeliver 0e7d… --json", new Exits()),
            ("curl -s http://127.0.0.1:8080/ipn/signing-certificate.pem", new Exits()),
        ]),
        ("docs/operations.md", [
            ("dotnet publish src/Tillpoint.Server -c Release -r linux-x64", new Exits()),
            ("dotnet publish src/Tillpoint.Server -c Release -r linux-x64 --self-contained -p:PublishReadyToRunComposite=true",
                new NotRun("it precompiles the whole .NET runtime with Tillpoint: more than ten minutes on two cores; the plain publish beside it is run")),
            ("tillpoint merchants authorize-token --merchant A1B2C3D4E5F6G7 --solution-provider A7G6F5E4D3C2B1 --json", new Exits()),
            ("tillpoint merchants revoke-token amzn.mws.00000000-0000-0000-0000-000000000000", new Exits()),
            ("tillpoint merchants set-account-api --merchant A1B2C3D4E5F6G7 --flavour create", new Exits()),
        ]),
        ("docs/reports.md", [
            ("tillpoint serve --sandbox-reports settlement", new Serves()),
        ]),
        ("docs/scaling.md", [
            ("dotnet run -c Release --project bench/Tillpoint.Bench -- scaling --postgres \"Host=127.0.0.1;Port=5432;Username=postgres\"", new NotRun(Benchmark)),
        ]),
        ("docs/security.md", [
            ("tillpoint merchants grant --merchant A1B2C3D4E5F6G7 --role psp", new Exits()),
            ("tillpoint merchants revoke --merchant A1B2C3D4E5F6G7 --role psp", new Exits()),
        ]),
        ("docs/testing.md", [
            ("tillpoint merchants set-throttling --merchant A1B2C3D4E5F6G7 amazon", new Exits()),
            ("tillpoint faults set --server http://127.0.0.1:8080 --merchant A1B2C3D4E5F6G7 --operation CreateCharge --rate 0.3 --kind internalservererror", new Exits()),
            ("tillpoint faults list --server http://127.0.0.1:8080 --json", new Exits()),
            ("tillpoint faults clear --server http://127.0.0.1:8080", new Exits()),
            ("curl -s -X PUT http://127.0.0.1:8080/operator/faults -H \"Authorization: Bearer $(cat tillpoint-data/operator-token)\" -H \"Content-Type: application/json\" -d '{\"operation\":\"CaptureCharge\",\"rate\":1,\"kind\":\"ServiceUnavailable\"}'", new Exits()),
            ("eng/mutation.sh", new NotRun(Mutation)),
            ("eng/mutation.sh protocol --mutate '**/Signing/AuthorizationHeader.cs' --concurrency 2", new NotRun(Mutation)),
            ("dotnet pack src/Tillpoint.Testing -o artifacts/packages", new NotRun(TestingPackage)),
            ("dotnet add package Tillpoint.Testing --source /path/to/tillpoint/artifacts/packages", new NotRun(TestingPackage)),
        ]),
        ("tillpoint --help", [
            ("tillpoint serve --data-dir ./data", new Serves()),
            ("tillpoint merchants create --name \"My shop\" --json", new Exits()),
            ("tillpoint keys create --merchant A1B2C3D4E5F6G7 --environment sandbox --out key.pem", new Exits()),
            ("tillpoint export --merchant A1B2C3D4E5F6G7 --from 2026-11-01 --to 2026-12-01 --out november.csv", new Exits()),
            ("tillpoint keys create --help", new Exits()),
        ]),
        ("tillpoint serve --help", [
            ("tillpoint serve --data-dir ./data", new Serves()),
            ("tillpoint serve --urls \"https://0.0.0.0:8443\" --public-url https://pay.example.test:8443", new Serves("https://127.0.0.1:8443/healthz")),
            ("tillpoint serve --urls \"http://0.0.0.0:8080\" --dashboard-over-http", new Serves()),
            ("tillpoint serve --store postgres --connection-string \"Host=db;Database=tillpoint;Username=tillpoint\"", new Serves()),
            ("tillpoint serve --throttling amazon --seed 42", new Serves()),
        ]),
        ("tillpoint migrate --help", [
            ("tillpoint migrate --data-dir ./data", new Exits()),
            ("tillpoint migrate --store postgres --connection-string \"Host=db;Database=tillpoint\" --json", new Exits()),
        ]),
        ("tillpoint merchants --help", [
            ("tillpoint merchants create --name \"My shop\"", new Exits()),
            ("tillpoint merchants create --name \"Mein Laden\" --region eu", new Exits()),
            ("tillpoint merchants list --json", new Exits()),
            ("tillpoint merchants grant --merchant A1B2C3D4E5F6G7 --role psp", new Exits()),
        ]),
        ("tillpoint merchants grant --help", [
            ("tillpoint merchants grant --merchant A1B2C3D4E5F6G7 --role solution-provider", new Exits()),
        ]),
        ("tillpoint merchants revoke --help", [
            ("tillpoint merchants revoke --merchant A1B2C3D4E5F6G7 --role psp", new Exits()),
        ]),
        ("tillpoint merchants authorize-token --help", [
            ("tillpoint merchants authorize-token --merchant A1B2C3D4E5F6G7 --solution-provider A7G6F5E4D3C2B1 --json", new Exits()),
        ]),
        ("tillpoint merchants revoke-token --help", [
            ("tillpoint merchants revoke-token amzn.mws.00000000-0000-0000-0000-000000000000", new Exits()),
        ]),
        ("tillpoint merchants set-account-api --help", [
            ("tillpoint merchants set-account-api --merchant A1B2C3D4E5F6G7 --flavour create", new Exits()),
        ]),
        ("tillpoint merchants set-throttling --help", [
            ("tillpoint merchants set-throttling --merchant A1B2C3D4E5F6G7 amazon", new Exits()),
        ]),
        ("tillpoint faults --help", [
            ("tillpoint faults set --server http://127.0.0.1:8080 --rate 0.3 --kind internalservererror --operation CreateCharge", new Exits()),
            ("tillpoint faults list --server http://127.0.0.1:8080 --json", new Exits()),
            ("tillpoint faults clear --server http://127.0.0.1:8080", new Exits()),
        ]),
        ("tillpoint faults set --help", [
            ("tillpoint faults set --server http://127.0.0.1:8080 --rate 1 --kind serviceunavailable", new Exits()),
            ("tillpoint faults set --server http://127.0.0.1:8080 --merchant A1B2C3D4E5F6G7 --operation CaptureCharge --rate 0.3 --kind latency --latency-ms 2000", new Exits()),
        ]),
        ("tillpoint faults list --help", [
            ("tillpoint faults list --server http://127.0.0.1:8080 --data-dir tillpoint-data", new Exits()),
        ]),
        ("tillpoint faults clear --help", [
            ("tillpoint faults clear --server http://127.0.0.1:8080", new Exits()),
        ]),
        ("tillpoint merchants create --help", [
            ("tillpoint merchants create --name \"My shop\" --json", new Exits()),
            ("tillpoint merchants create --name \"Ichiba\" --region jp", new Exits()),
        ]),
        ("tillpoint merchants list --help", [
            ("tillpoint merchants list", new Exits()),
            ("tillpoint merchants list --data-dir ./data --json", new Exits()),
        ]),
        ("tillpoint keys --help", [
            ("tillpoint keys create --merchant A1B2C3D4E5F6G7 --environment sandbox --out private-key.pem", new Exits()),
            ("tillpoint keys import --merchant A1B2C3D4E5F6G7 --public-key public-key.pem", new Exits()),
            ("tillpoint keys list --merchant A1B2C3D4E5F6G7", new Exits()),
            ("tillpoint keys revoke SANDBOX-ABCDEFGHIJKLMNOPQRSTUVWX", new Exits()),
        ]),
        ("tillpoint keys create --help", [
            ("tillpoint keys create --merchant A1B2C3D4E5F6G7 --environment sandbox --out private-key.pem", new Exits()),
            ("tillpoint keys create --merchant A1B2C3D4E5F6G7 --out live-key.pem --json", new Exits()),
        ]),
        ("tillpoint keys import --help", [
            ("tillpoint keys import --merchant A1B2C3D4E5F6G7 --environment live --public-key public-key.pem --json", new Exits()),
        ]),
        ("tillpoint keys list --help", [
            ("tillpoint keys list --merchant A1B2C3D4E5F6G7", new Exits()),
            ("tillpoint keys list --json", new Exits()),
        ]),
        ("tillpoint keys revoke --help", [
            ("tillpoint keys revoke SANDBOX-ABCDEFGHIJKLMNOPQRSTUVWX", new Exits()),
        ]),
        ("tillpoint ipn --help", [
            ("tillpoint ipn add --merchant A1B2C3D4E5F6G7 --environment sandbox --url http://127.0.0.1:5000/ipn --allow-host 127.0.0.1:5000", new Exits()),
            ("tillpoint ipn deliveries --merchant A1B2C3D4E5F6G7 --state failed", new Exits()),
            ("tillpoint ipn redeliver 0e7d2c1a-4b5f-4c3e-9a8b-1f2e3d4c5b6a", new Exits()),
        ]),
        ("tillpoint ipn add --help", [
            ("tillpoint ipn add --merchant A1B2C3D4E5F6G7 --environment sandbox --url http://127.0.0.1:5000/ipn --allow-host 127.0.0.1:5000", new Exits()),
            ("tillpoint ipn add --merchant A1B2C3D4E5F6G7 --environment live --url https://shop.example.test/ipn --json", new Exits()),
        ]),
        ("tillpoint ipn list --help", [
            ("tillpoint ipn list --merchant A1B2C3D4E5F6G7", new Exits()),
            ("tillpoint ipn list --merchant A1B2C3D4E5F6G7 --environment sandbox --json", new Exits()),
        ]),
        ("tillpoint ipn remove --help", [
            ("tillpoint ipn remove --merchant A1B2C3D4E5F6G7 --environment sandbox --url http://127.0.0.1:5000/ipn",
                new Exits { Given = "tillpoint ipn add --merchant A1B2C3D4E5F6G7 --environment sandbox --url http://127.0.0.1:5000/ipn --allow-host 127.0.0.1:5000" }),
        ]),
        ("tillpoint ipn deliveries --help", [
            ("tillpoint ipn deliveries --merchant A1B2C3D4E5F6G7 --state failed", new Exits()),
            ("tillpoint ipn deliveries --environment sandbox --limit 20 --json", new Exits()),
        ]),
        ("tillpoint ipn redeliver --help", [
            ("tillpoint ipn redeliver 0e7d2c1a-4b5f-4c3e-9a8b-1f2e3d4c5b6a --json", new Exits()),
        ]),
        ("tillpoint disputes --help", [
            ("tillpoint disputes open --merchant A1B2C3D4E5F6G7 --charge S01-1234567-1234567-C123456", new NotRun(DisputeCli)),
            ("tillpoint disputes act --merchant A1B2C3D4E5F6G7 --dispute S01-1234567-1234567-B123456 --action decide --resolution BuyerWon", new NotRun(DisputeCli)),
        ]),
        ("tillpoint disputes open --help", [
            ("tillpoint disputes open --merchant A1B2C3D4E5F6G7 --charge S01-1234567-1234567-C123456", new NotRun(DisputeCli)),
            ("tillpoint disputes open --merchant A1B2C3D4E5F6G7 --charge S01-1234567-1234567-C123456 --amount 5.00 --reason ProductNotReceived --json", new NotRun(DisputeCli)),
        ]),
        ("tillpoint disputes act --help", [
            ("tillpoint disputes act --merchant A1B2C3D4E5F6G7 --dispute S01-1234567-1234567-B123456 --action decide --resolution BuyerWon", new NotRun(DisputeCli)),
            ("tillpoint disputes act --merchant A1B2C3D4E5F6G7 --dispute S01-1234567-1234567-B123456 --action withdraw --json", new NotRun(DisputeCli)),
        ]),
        ("tillpoint operator-token --help", [
            ("tillpoint operator-token rotate --data-dir ./data", new Exits()),
        ]),
        ("tillpoint operator-token rotate --help", [
            ("tillpoint operator-token rotate --data-dir ./data", new Exits()),
            ("tillpoint operator-token rotate --store postgres --connection-string \"Host=db;Database=tillpoint\" --json", new Exits()),
        ]),
        ("tillpoint export --help", [
            ("tillpoint export --merchant A1B2C3D4E5F6G7 --from 2026-11-01 --to 2026-12-01 --out november.csv", new Exits()),
            ("tillpoint export --merchant A1B2C3D4E5F6G7 --environment live --from 2026-11-01 --to 2026-11-02 --format jsonl | jq .amount", new Exits()),
            ("tillpoint export --merchant A1B2C3D4E5F6G7 --kind events --from 2026-11-01T00:00:00Z --to 2026-11-01T12:00:00Z --out events.json --json", new Exits()),
        ]));

    private static Dictionary<(string, string), Expectation> Build(params (string Source, (string Key, Expectation Expectation)[] Commands)[] sources)
    {
        var entries = new Dictionary<(string, string), Expectation>();
        foreach (var (source, commands) in sources)
        {
            foreach (var (key, expectation) in commands)
            {
                // A command that stands twice in one file is run each time with the same expectation.
                if (entries.TryGetValue((source, key), out var known) && known != expectation)
                {
                    throw new InvalidOperationException($"{source}: `{key}` has two expectations.");
                }

                entries[(source, key)] = expectation;
            }
        }

        return entries;
    }
}
