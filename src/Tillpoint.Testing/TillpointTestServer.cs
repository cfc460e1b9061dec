using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tillpoint.Client;
using Tillpoint.Domain;
using Tillpoint.Domain.Regions;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Hosting;
using Tillpoint.Server.Signing;
using Tillpoint.Server.Throttling;
using Tillpoint.Storage;

namespace Tillpoint.Testing;

/// <summary>
/// A real Tillpoint in the test process: the server <c>tillpoint serve</c> runs, on HTTPS on a free loopback port,
/// with a store of its own that is deleted when the server is disposed, a merchant with a sandbox key, and clients
/// that trust its certificate. Servers started side by side share nothing: each has its own store, merchants,
/// sandbox clock and operator token.
/// </summary>
/// <example>
/// <code>
/// await using var tillpoint = await TillpointTestServer.StartAsync();
/// var session = await tillpoint.Client.CreateCheckoutSessionAsync(…);
/// await tillpoint.Clock.AdvanceAsync(TimeSpan.FromDays(1));
/// </code>
/// </example>
public sealed class TillpointTestServer : IAsyncDisposable
{
    /// <summary>
    /// The first merchant's private key. Making an RSA key takes a tenth of a second to a second, more than the rest of a
    /// start, so the servers of one test process give their first merchants the same key pair, made once, beside the
    /// first start (each server has its own store and knows only its own key ids). Every further merchant of a server
    /// gets a new pair, so the merchants of one server never share a key.
    /// </summary>
    private static readonly Lazy<Task<string>> FirstMerchantKey = new(() => Task.Run(NewPrivateKeyPem));

    private readonly WebApplication _app;
    private readonly EphemeralStorage _storage;
    private readonly TimeProvider _clock;
    private readonly HttpClient _http;
    private readonly RandomSource _merchantIds;
    private readonly List<IDisposable> _clients = [];
    private int _disposed;

    private TillpointTestServer(WebApplication app, EphemeralStorage storage, TimeProvider clock, string operatorToken, RandomSource random)
    {
        _app = app;
        _storage = storage;
        _clock = clock;
        _merchantIds = random.Derive("test merchants");
        OperatorToken = operatorToken;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUrl = new Uri(address);
        CertificatePem = File.ReadAllText(Path.Combine(storage.DataDirectory, "tillpoint-https.pem"));
        Certificate = X509Certificate2.CreateFromPem(CertificatePem);
        _http = new HttpClient(CreateHttpMessageHandler());
        Operator = Track(new TillpointOperatorClient(_http, BaseUrl, operatorToken));
        Clock = new TillpointClock(Operator);
        Buyer = new TillpointBuyer(Operator);
    }

    /// <summary>The server's address, <c>https://127.0.0.1:{port}</c>: the endpoint of every client and SDK.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The server's self-signed certificate, made for this server alone: trust exactly this one.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary><see cref="Certificate"/> in PEM, for clients configured with a CA file (the official SDKs, <c>curl --cacert</c>).</summary>
    public string CertificatePem { get; }

    /// <summary>The token of the operator endpoints and the dashboard (<c>Authorization: Bearer …</c>).</summary>
    public string OperatorToken { get; }

    /// <summary>The merchant made at start, with a sandbox key.</summary>
    public TillpointMerchant Merchant { get; private set; } = null!;

    /// <summary>A client for <see cref="Merchant"/>: signs with its sandbox key, trusts the server's certificate.</summary>
    public AmazonPayClient Client => Merchant.Client;

    /// <summary>The operator endpoints' client (the sandbox clock), with this server's token.</summary>
    public TillpointOperatorClient Operator { get; }

    /// <summary>The sandbox clock.</summary>
    public TillpointClock Clock { get; }

    /// <summary>The sandbox buyer, played without a browser: approve, pay, cancel.</summary>
    public TillpointBuyer Buyer { get; }

    /// <summary>The temporary folder of the server's certificate and, with SQLite, its database.</summary>
    internal string DataDirectory => _storage.DataDirectory;

    /// <summary>The merchant id of <see cref="Merchant"/>.</summary>
    public string MerchantId => Merchant.MerchantId;

    /// <summary>The store id of <see cref="Merchant"/>.</summary>
    public string StoreId => Merchant.StoreId;

    /// <summary>The sandbox public key id of <see cref="Merchant"/>.</summary>
    public string PublicKeyId => Merchant.PublicKeyId;

    /// <summary>The private key of <see cref="PublicKeyId"/>, in PEM.</summary>
    public string PrivateKeyPem => Merchant.PrivateKeyPem;

    /// <summary>
    /// Starts a server: builds it as <c>tillpoint serve</c> does, listens on a free loopback port, and makes a
    /// merchant with a sandbox key. Returns once the server answers.
    /// </summary>
    /// <param name="options">The store, the clock's start, the merchant's name; the defaults when <see langword="null"/>.</param>
    /// <param name="ct">Cancels the start.</param>
    public static async Task<TillpointTestServer> StartAsync(TillpointTestServerOptions? options = null, CancellationToken ct = default)
    {
        options ??= new TillpointTestServerOptions();
        var firstMerchantKey = FirstMerchantKey.Value;
        var storage = EphemeralStorage.Create(options.PostgresConnectionString);
        var clock = options.ClockStart is { } start ? new ShiftedClock(start - TimeProvider.System.GetUtcNow()) : TimeProvider.System;
        var operatorToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var random = options.Seed is { } seed ? RandomSource.Seeded(seed) : RandomSource.Cryptographic;
        WebApplication? app = null;
        TillpointTestServer? server = null;
        try
        {
            app = TillpointApp.Build(new ServerOptions
            {
                DataDirectory = storage.DataDirectory,
                Store = storage.Kind,
                ConnectionString = storage.ConnectionString,
                Urls = ["https://127.0.0.1:0"],
                Clock = clock,
                OperatorToken = operatorToken,
                // The store is thrown away after the test: what a power cut would lose does not matter.
                Durability = SqliteDurability.Normal,
                LogFormat = LogFormat.Text,
                Throttling = options.AmazonThrottling ? ThrottlingMode.Amazon : ThrottlingMode.Off,
                Random = random,
            });
            await TillpointApp.StartAsync(app, ct).ConfigureAwait(false);
            server = new TillpointTestServer(app, storage, clock, operatorToken, random);
            server.Merchant = await server.AddMerchantAsync(
                options.MerchantName, options.Region, await firstMerchantKey.ConfigureAwait(false), ct).ConfigureAwait(false);
            return server;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                if (app is not null)
                {
                    await app.DisposeAsync().ConfigureAwait(false);
                }

                storage.Dispose();
            }

            throw;
        }
    }

    /// <summary>Makes another merchant with a sandbox key, and a client for it (disposed with the server).</summary>
    /// <param name="name">A name for people.</param>
    /// <param name="region">The merchant's Amazon Pay region: the currencies its buyers may pay in.</param>
    /// <param name="ct">Cancels the call.</param>
    public Task<TillpointMerchant> CreateMerchantAsync(string name = "Test merchant", Region region = Region.NA, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return AddMerchantAsync(name, region, NewPrivateKeyPem(), ct);
    }

    private static string NewPrivateKeyPem()
    {
        using var key = RsaSigningKey.Generate();
        return key.ExportPrivateKeyPem();
    }

    /// <summary>The merchant and its sandbox key in one transaction, as <c>merchants create</c> and <c>keys create</c> make them.</summary>
    private async Task<TillpointMerchant> AddMerchantAsync(string name, Region region, string privateKeyPem, CancellationToken ct)
    {
        string publicKeyPem;
        using (var key = RsaSigningKey.FromPem(privateKeyPem))
        {
            publicKeyPem = key.ExportPublicKeyPem();
        }

        var now = _clock.GetUtcNow();
        var (merchant, publicKeyId) = await _app.Services.GetRequiredService<ITillpointStore>().WriteAsync(
            write =>
            {
                var merchant = Merchants.Create(write, name, region, now, _merchantIds);
                var publicKeyId = PublicKeyIds.New(ReleaseEnvironment.Sandbox);
                write.AddPublicKey(new PublicKeyRecord(publicKeyId, merchant.MerchantId, ReleaseEnvironment.Sandbox, publicKeyPem, now, null));
                return (merchant, publicKeyId);
            },
            ct).ConfigureAwait(false);
        var client = Track(new AmazonPayClient(
            _http,
            new AmazonPayClientOptions { Endpoint = BaseUrl, PublicKeyId = publicKeyId, PrivateKeyPem = privateKeyPem }));
        return new TillpointMerchant(merchant.MerchantId, merchant.StoreId, publicKeyId, privateKeyPem, client);
    }

    /// <summary>
    /// A new handler that trusts this server's certificate and no other, for an <see cref="HttpClient"/> of the test's
    /// own (a merchant's client library, a plain HTTP call). Its other settings (redirects, cookies) are the test's to
    /// change before its first request. The caller disposes it.
    /// </summary>
    public SocketsHttpHandler CreateHttpMessageHandler()
    {
        var thumbprint = Certificate.GetCertHashString();
        return new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint },
        };
    }

    /// <summary>
    /// A new <see cref="HttpClient"/> with <see cref="BaseUrl"/> as its base address, trusting this
    /// server's certificate. The caller disposes it.
    /// </summary>
    public HttpClient CreateHttpClient() => new(CreateHttpMessageHandler()) { BaseAddress = BaseUrl };

    /// <summary>Stops the server, disposes its clients and deletes its store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        _http.Dispose();
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            Certificate.Dispose();
            _storage.Dispose();
        }
    }

    private T Track<T>(T client)
        where T : IDisposable
    {
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }
}
