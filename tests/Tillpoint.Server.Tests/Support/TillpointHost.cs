using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tillpoint.Client;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Cli;
using Tillpoint.Server.Hosting;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Support;

/// <summary>A merchant created through the CLI, with a sandbox key, a live key and an unprefixed key sharing one key pair.</summary>
public sealed record TestMerchant(
    string MerchantId, string StoreId, string SandboxKeyId, string LiveKeyId, string PlainKeyId, string PrivateKeyPem, string PrivateKeyPath);

/// <summary>
/// A real Tillpoint server (Kestrel, HTTPS and HTTP on loopback ports, SQLite in a temp folder or PostgreSQL, see
/// <see cref="TestStorage"/>) for HTTP-level tests. Its business clock and its signature clock are test clocks.
/// </summary>
public sealed class TillpointHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The operator token every test server is started with.</summary>
    public const string OperatorToken = "test-operator-token-0123456789";

    private readonly WebApplication _app;
    private readonly bool _ownsStorage;
    private bool _stopped;

    private TillpointHost(WebApplication app, TestStorage storage, bool ownsStorage, TestClock clock, TestClock signatureClock)
    {
        _app = app;
        Storage = storage;
        _ownsStorage = ownsStorage;
        Clock = clock;
        SignatureClock = signatureClock;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        HttpsBase = new Uri(addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal)));
        HttpBase = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        CertificateThumbprint = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(DataDirectory, "tillpoint-https.pem"))).Thumbprint;
    }

    /// <summary>The certificate the server generated in its data folder: clients trust exactly that one.</summary>
    public string CertificateThumbprint { get; }

    /// <summary>Where this server's state is; another host can be started on it (a restart, or a second node).</summary>
    public TestStorage Storage { get; }

    public string DataDirectory => Storage.DataDirectory;

    /// <summary>The business clock: expiries, pending outcomes.</summary>
    public TestClock Clock { get; }

    /// <summary>What x-amz-pay-date is checked against.</summary>
    public TestClock SignatureClock { get; }

    public Uri HttpsBase { get; }

    public Uri HttpBase { get; }

    public ITillpointStore Store => _app.Services.GetRequiredService<ITillpointStore>();

    /// <summary>The server's services, for tests of parts with no HTTP surface of their own and of what is mapped.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server on new, empty storage of the suite's store; disposing the host deletes it.</summary>
    public static Task<TillpointHost> StartAsync(Func<ServerOptions, ServerOptions>? configure = null) =>
        StartAsync(TestStorage.Create(), ownsStorage: true, configure);

    /// <summary>
    /// Starts a server on existing storage, e.g. what a <see cref="StopAsync">stopped</see> host left behind, as a
    /// restarted process would, or a database another node is using. Its clocks start at <see cref="Start"/> again. The
    /// storage stays its creator's to dispose.
    /// </summary>
    public static Task<TillpointHost> StartAsync(TestStorage storage, Func<ServerOptions, ServerOptions>? configure = null) =>
        StartAsync(storage, ownsStorage: false, configure);

    /// <summary>Starts a server on <paramref name="storage"/>; with <paramref name="ownsStorage"/>, disposing the host disposes it.</summary>
    public static async Task<TillpointHost> StartAsync(TestStorage storage, bool ownsStorage, Func<ServerOptions, ServerOptions>? configure = null)
    {
        var clock = new TestClock(Start);
        var signatureClock = new TestClock(Start);
        var options = storage.Apply(new ServerOptions
        {
            DataDirectory = storage.DataDirectory,
            Urls = ["https://127.0.0.1:0", "http://127.0.0.1:0"],
            Clock = clock,
            SignatureClock = signatureClock,
            // Tests revoke keys and expect the next request to see it.
            KeyCacheTtl = TimeSpan.Zero,
            OperatorToken = OperatorToken,
        });
        var app = TillpointApp.Build(configure?.Invoke(options) ?? options);
        try
        {
            await TillpointApp.StartAsync(app);
        }
        catch
        {
            await app.DisposeAsync();
            if (ownsStorage)
            {
                storage.Dispose();
            }

            throw;
        }

        return new TillpointHost(app, storage, ownsStorage, clock, signatureClock);
    }

    /// <summary>Runs the CLI in-process against this server's storage and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output, string Error)> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await TillpointCli.RunAsync([.. args, .. Storage.CliArguments], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Grants <paramref name="role"/> (<c>psp</c> or <c>solution-provider</c>) to a merchant, as the operator does.</summary>
    public async Task GrantAsync(TestMerchant merchant, string role)
    {
        var granted = await CliAsync("merchants", "grant", "--merchant", merchant.MerchantId, "--role", role);
        Assert.True(granted.ExitCode == 0, granted.Error);
    }

    /// <summary>
    /// A merchant of <paramref name="region"/> (<c>na</c>, <c>eu</c>, <c>uk</c> or <c>jp</c>; the default is NA), named
    /// <paramref name="name"/> when given.
    /// </summary>
    public async Task<TestMerchant> CreateMerchantAsync(string region = "na", string? name = null)
    {
        string[] named = name is null ? [] : ["--name", name];
        var merchant = JsonDocument.Parse((await CliAsync(["merchants", "create", "--region", region, .. named, "--json"])).Output).RootElement;
        var merchantId = merchant.GetProperty("merchantId").GetString()!;
        var keyPath = Path.Combine(DataDirectory, $"{merchantId}-private.pem");
        var sandbox = JsonDocument.Parse(
            (await CliAsync("keys", "create", "--merchant", merchantId, "--environment", "sandbox", "--out", keyPath, "--json")).Output).RootElement;
        var privateKeyPem = await File.ReadAllTextAsync(keyPath);
        using var key = RsaSigningKey.FromPem(privateKeyPem);
        var publicKeyPath = Path.Combine(DataDirectory, $"{merchantId}-public.pem");
        await File.WriteAllTextAsync(publicKeyPath, key.ExportPublicKeyPem());
        var live = await ImportAsync(merchantId, publicKeyPath, "live");
        var plain = await ImportAsync(merchantId, publicKeyPath, null);
        return new TestMerchant(
            merchantId, merchant.GetProperty("storeId").GetString()!, sandbox.GetProperty("publicKeyId").GetString()!, live, plain, privateKeyPem, keyPath);
    }

    public AmazonPayClient Client(TestMerchant merchant, string? keyId = null, SignatureAlgorithm algorithm = SignatureAlgorithm.RsassaPssV2, bool sandbox = true) =>
        new(
            Http(),
            new AmazonPayClientOptions
            {
                Endpoint = HttpsBase,
                PublicKeyId = keyId ?? merchant.SandboxKeyId,
                PrivateKeyPem = merchant.PrivateKeyPem,
                Algorithm = algorithm,
                Sandbox = sandbox,
                TimeProvider = SignatureClock,
            });

    /// <summary>The operator endpoints' client (the sandbox clock), with the token this server was started with unless told.</summary>
    public TillpointOperatorClient Operator(string token = OperatorToken) => new(Http(), HttpsBase, token);

    /// <summary>Moves the sandbox clock through the operator endpoint, as a test script would.</summary>
    public async Task AdvanceSandboxAsync(TimeSpan by)
    {
        using var client = Operator();
        await client.AdvanceClockAsync(by);
    }

    /// <summary>
    /// A browser-like HTTP client for the hosted pages: cookies kept (in <paramref name="cookies"/> when given, so a test
    /// can read or plant them), redirects not followed.
    /// </summary>
    public HttpClient Browser(CookieContainer? cookies = null) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        CookieContainer = cookies ?? new CookieContainer(),
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == CertificateThumbprint },
    })
    {
        BaseAddress = HttpsBase,
    };

    /// <summary>Stops the server (its store is closed cleanly) but keeps the data folder for another host to start on.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsStorage)
        {
            Storage.Dispose();
        }
    }

    /// <summary>An HTTP client that trusts exactly this server's generated certificate.</summary>
    private HttpClient Http() => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == CertificateThumbprint },
    });

    private async Task<string> ImportAsync(string merchantId, string publicKeyPath, string? environment)
    {
        string[] args = environment is null
            ? ["keys", "import", "--merchant", merchantId, "--public-key", publicKeyPath, "--json"]
            : ["keys", "import", "--merchant", merchantId, "--public-key", publicKeyPath, "--environment", environment, "--json"];
        return JsonDocument.Parse((await CliAsync(args)).Output).RootElement.GetProperty("publicKeyId").GetString()!;
    }
}
