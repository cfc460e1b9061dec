using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Tillpoint.Domain;
using Tillpoint.Server.Signing;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Signing;

/// <summary>A merchant's roles ride on its cached key: read with it, refreshed with it, forgotten with it.</summary>
public sealed class RoleCacheTests : IDisposable
{
    private const string KeyId = "SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAB";
    private const string MerchantId = "MERCHANT1";

    private readonly TestStorage _storage = TestStorage.Create();
    private readonly FakeTimeProvider _wallClock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ITillpointStore _store;
    private readonly PublicKeyCache _cache;

    public RoleCacheTests()
    {
        var options = _storage.Apply(new ServerOptions { DataDirectory = "", SignatureClock = _wallClock, KeyCacheTtl = TimeSpan.FromSeconds(10) });
        _store = TillpointStores.Open(options.StoreOptions);
        using var rsa = RSA.Create(2048);
        _store.WriteAsync(session =>
        {
            session.AddMerchant(new Merchant(MerchantId, "store", "Shop", _wallClock.GetUtcNow()));
            session.AddPublicKey(new PublicKeyRecord(KeyId, MerchantId, ReleaseEnvironment.Sandbox, rsa.ExportSubjectPublicKeyInfoPem(), _wallClock.GetUtcNow(), null));
            return 0;
        }).GetAwaiter().GetResult();
        _cache = new PublicKeyCache(_store, options);
    }

    public void Dispose()
    {
        _store.Dispose();
        _storage.Dispose();
    }

    private Task GrantAsync(MerchantRole role) => _store.WriteAsync(session => session.GrantRole(new MerchantRoleGrant(MerchantId, role, _wallClock.GetUtcNow())));

    [Fact]
    public async Task RoleGrantedElsewhere_ShowsOnceTheTtlHasPassed_AndRevokedElsewhereTheSame()
    {
        Assert.Empty(_cache.Find(KeyId)!.Roles);

        await GrantAsync(MerchantRole.Psp);
        _wallClock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_cache.Find(KeyId)!.Roles);
        _wallClock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([MerchantRole.Psp], _cache.Find(KeyId)!.Roles);

        await _store.WriteAsync(session => session.RevokeRole(MerchantId, MerchantRole.Psp));
        Assert.Equal([MerchantRole.Psp], _cache.Find(KeyId)!.Roles);
        _wallClock.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(_cache.Find(KeyId)!.Roles);
    }

    [Fact]
    public async Task ForgetMerchant_ReReadsItsRolesAtOnce_AndKeepsOtherMerchantsKeys()
    {
        Assert.Empty(_cache.Find(KeyId)!.Roles);
        await GrantAsync(MerchantRole.SolutionProvider);

        _cache.ForgetMerchant("SOMEONE-ELSE");
        Assert.Empty(_cache.Find(KeyId)!.Roles);
        _cache.ForgetMerchant(MerchantId);

        Assert.Equal([MerchantRole.SolutionProvider], _cache.Find(KeyId)!.Roles);
    }
}
