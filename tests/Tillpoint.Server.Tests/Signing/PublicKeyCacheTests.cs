using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tillpoint.Client;
using Tillpoint.Domain;
using Tillpoint.Server.Signing;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Signing;

/// <summary>
/// Key ids come from anyone, before any signature is checked: through the sign-in link, the checkout button and every
/// API request's authorization header. None of them may make the server remember an unbounded number of ids.
/// </summary>
public sealed class PublicKeyCacheTests
{
    private const string ChargePath = "/sandbox/v2/charges/S01-0000000-0000000-C000000";
    private const string UnknownKeyId = "SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA";

    [Theory]
    [InlineData("7,000 characters")]
    [InlineData("25 characters after the prefix")]
    [InlineData("23 characters after the prefix")]
    [InlineData("lower-case prefix")]
    [InlineData("mixed-case prefix")]
    [InlineData("a lower-case letter")]
    [InlineData("an unknown prefix")]
    public async Task MalformedKeyId_IsRefusedLikeAnUnknownOne_AndNotCached(string how)
    {
        // Only letters, digits and dashes, so the id reads the same in HTML and JSON and answers compare as text.
        var keyId = how switch
        {
            "7,000 characters" => new string('Q', 7_000),
            "25 characters after the prefix" => "SANDBOX-" + new string('A', 25),
            "23 characters after the prefix" => "SANDBOX-" + new string('A', 23),
            "lower-case prefix" => "sandbox-" + new string('A', 24),
            "mixed-case prefix" => "Live-" + new string('A', 24),
            "a lower-case letter" => "SANDBOX-" + new string('A', 23) + "a",
            "an unknown prefix" => "TEST-" + new string('A', 24),
            _ => throw new ArgumentOutOfRangeException(nameof(how)),
        };
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var browser = host.Browser();

        foreach (var path in new[] { "/signin", "/checkout/start" })
        {
            var malformed = await ButtonPageAsync(browser, path, keyId);
            var unknown = await ButtonPageAsync(browser, path, UnknownKeyId);
            Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
            Assert.Equal(unknown.Body.Replace(UnknownKeyId, "{id}", StringComparison.Ordinal), malformed.Body.Replace(keyId, "{id}", StringComparison.Ordinal));
        }

        var (status, body, _) = await RawRequests.SendAsync(host, merchant, keyId, HttpMethod.Get, ChargePath);
        var error = JsonDocument.Parse(body).RootElement;
        Assert.Equal(401, status);
        Assert.Equal("UnauthorizedAccess", error.GetProperty("reasonCode").GetString());
        Assert.Equal($"The public key id '{keyId}' is not registered or was revoked.", error.GetProperty("message").GetString());

        // Only the well-formed unknown id may have been remembered, never the malformed one.
        Assert.Equal(1, Cache(host).EntryCount);
    }

    [Fact]
    public async Task ManyUnknownKeyIds_KeepTheCacheBounded_AndKnownKeysWorking()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var browser = host.Browser();

        for (var i = 0; i < PublicKeyCache.MaxUnusableEntries + 100; i++)
        {
            var (status, _) = await ButtonPageAsync(browser, "/signin", "SANDBOX-" + RandomId(24));
            Assert.Equal(HttpStatusCode.BadRequest, status);
        }

        Assert.InRange(Cache(host).EntryCount, 0, PublicKeyCache.MaxUnusableEntries);

        // Every form of id the CLI issues still verifies: sandbox-pinned, live-pinned and unprefixed.
        using var client = host.Client(merchant);
        await Checkouts.CreateAsync(client, merchant);
        Assert.Equal(404, (await RawRequests.SendAsync(host, merchant, merchant.LiveKeyId, HttpMethod.Get, "/v2/charges/S01-0000000-0000000-C000000")).StatusCode);
        Assert.Equal(404, (await RawRequests.SendAsync(host, merchant, merchant.PlainKeyId, HttpMethod.Get, ChargePath)).StatusCode);

        var (exit, _, _) = await host.CliAsync("keys", "revoke", merchant.SandboxKeyId);
        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CreateAsync(client, merchant));
        Assert.Equal(0, exit);
        Assert.Equal(401, refused.StatusCode);
        Assert.Equal("UnauthorizedAccess", refused.ReasonCode);
        Assert.InRange(Cache(host).EntryCount, 0, PublicKeyCache.MaxUnusableEntries + 2);
    }

    [Fact]
    public async Task RevokedKey_KeepsWorkingUntilTheTtlHasPassedOnTheWallClock_AndNotAfter()
    {
        using var storage = TestStorage.Create();
        var wallClock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var options = storage.Apply(new ServerOptions { DataDirectory = "", SignatureClock = wallClock, KeyCacheTtl = TimeSpan.FromSeconds(10) });
        using var store = TillpointStores.Open(options.StoreOptions);
        using var rsa = RSA.Create(2048);
        var key = new PublicKeyRecord(UnknownKeyId, "MERCHANT1", ReleaseEnvironment.Sandbox, rsa.ExportSubjectPublicKeyInfoPem(), wallClock.GetUtcNow(), null);
        await store.WriteAsync(session =>
        {
            session.AddMerchant(new Merchant(key.MerchantId, "store", "Shop", wallClock.GetUtcNow()));
            session.AddPublicKey(key);
            return 0;
        });
        var cache = new PublicKeyCache(store, options);

        Assert.NotNull(cache.Find(UnknownKeyId));
        await store.WriteAsync(session => session.RevokePublicKey(UnknownKeyId, wallClock.GetUtcNow()));
        wallClock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(cache.Find(UnknownKeyId));

        wallClock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(cache.Find(UnknownKeyId));
    }

    private static PublicKeyCache Cache(TillpointHost host) => host.Services.GetRequiredService<PublicKeyCache>();

    private static async Task<(HttpStatusCode Status, string Body)> ButtonPageAsync(HttpClient browser, string path, string keyId)
    {
        using var response = await browser.GetAsync(new Uri($"{path}?payload=a&signature=b&publicKeyId={keyId}", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string RandomId(int length) => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
}
