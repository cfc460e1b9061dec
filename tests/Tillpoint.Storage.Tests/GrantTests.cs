namespace Tillpoint.Storage.Tests;

public abstract class GrantTests : IDisposable
{
    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected GrantTests(StoreHarness harness)
    {
        _harness = harness;
        _store = harness.Open();
        _store.WriteAsync(w =>
        {
            w.AddMerchant(Objects.Merchant("M1", minute: 1));
            w.AddMerchant(Objects.Merchant("M2", minute: 2));
            w.AddMerchant(Objects.Merchant("SP", minute: 3));
            return 0;
        }).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _store.Dispose();
        _harness.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<T> Write<T>(Func<IWriteSession, T> command) => _store.WriteAsync(command);

    private static MwsAuthTokenRecord Token(string token, string merchantId = "M1", int minute = 0) =>
        new(token, merchantId, "SP", Times.T0.AddMinutes(minute), null);

    [SkippableFact]
    public async Task GrantRole_New_IsListedForItsMerchantOnly()
    {
        Assert.True(await Write(w => w.GrantRole(new MerchantRoleGrant("M1", MerchantRole.SolutionProvider, Times.T0))));
        Assert.True(await Write(w => w.GrantRole(new MerchantRoleGrant("M1", MerchantRole.Psp, Times.T0.AddMinutes(1)))));

        Assert.Equal([MerchantRole.Psp, MerchantRole.SolutionProvider], _store.Read(r => r.GetMerchantRoles("M1")));
        Assert.Empty(_store.Read(r => r.GetMerchantRoles("M2")));
        Assert.Empty(_store.Read(r => r.GetMerchantRoles("UNKNOWN")));
        Assert.Equal(
            [new MerchantRoleGrant("M1", MerchantRole.Psp, Times.T0.AddMinutes(1)), new MerchantRoleGrant("M1", MerchantRole.SolutionProvider, Times.T0)],
            _store.Read(r => r.ListRoleGrants()));
    }

    [SkippableFact]
    public async Task GrantRole_Again_ReturnsFalseAndKeepsTheFirstGrant()
    {
        Assert.True(await Write(w => w.GrantRole(new MerchantRoleGrant("M1", MerchantRole.Psp, Times.T0))));

        Assert.False(await Write(w => w.GrantRole(new MerchantRoleGrant("M1", MerchantRole.Psp, Times.T0.AddDays(1)))));

        Assert.Equal(Times.T0, Assert.Single(_store.Read(r => r.ListRoleGrants())).GrantedAt);
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM merchant_roles"));
    }

    [SkippableFact]
    public async Task GrantRole_UnknownMerchant_FailsAndStoresNothing()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => Write(w => w.GrantRole(new MerchantRoleGrant("NOBODY", MerchantRole.Psp, Times.T0))));

        Assert.Equal(0, _harness.Scalar("SELECT count(*) FROM merchant_roles"));
    }

    [SkippableFact]
    public async Task RevokeRole_RemovesOnlyThatRole_AndAgainReturnsFalse()
    {
        await Write(w =>
        {
            w.GrantRole(new MerchantRoleGrant("M1", MerchantRole.Psp, Times.T0));
            w.GrantRole(new MerchantRoleGrant("M1", MerchantRole.SolutionProvider, Times.T0));
            w.GrantRole(new MerchantRoleGrant("M2", MerchantRole.Psp, Times.T0));
            return 0;
        });

        Assert.True(await Write(w => w.RevokeRole("M1", MerchantRole.Psp)));
        Assert.False(await Write(w => w.RevokeRole("M1", MerchantRole.Psp)));
        Assert.False(await Write(w => w.RevokeRole("UNKNOWN", MerchantRole.Psp)));

        Assert.Equal([MerchantRole.SolutionProvider], _store.Read(r => r.GetMerchantRoles("M1")));
        Assert.Equal([MerchantRole.Psp], _store.Read(r => r.GetMerchantRoles("M2")));
    }

    [SkippableFact]
    public async Task GrantRole_InACommandThatThrows_IsRolledBack()
    {
        var failing = Write<bool>(w =>
        {
            Assert.True(w.GrantRole(new MerchantRoleGrant("M1", MerchantRole.Psp, Times.T0)));
            throw new InvalidOperationException("boom");
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Empty(_store.Read(r => r.GetMerchantRoles("M1")));
    }

    [SkippableFact]
    public async Task AddMwsAuthToken_ThenGet_ReturnsItWithEveryField()
    {
        await Write(w =>
        {
            w.AddMwsAuthToken(Token("amzn.mws.1", minute: 5));
            return 0;
        });

        Assert.Equal(Token("amzn.mws.1", minute: 5), _store.Read(r => r.GetMwsAuthToken("amzn.mws.1")));
        Assert.Null(_store.Read(r => r.GetMwsAuthToken("amzn.mws.2")));
        Assert.Null(_store.Read(r => r.GetMwsAuthToken("amzn.mws.\0")));
    }

    [SkippableFact]
    public async Task AddMwsAuthToken_SameTokenTwice_FailsAndKeepsTheFirst()
    {
        await Write(w =>
        {
            w.AddMwsAuthToken(Token("amzn.mws.1"));
            return 0;
        });

        await Assert.ThrowsAnyAsync<Exception>(() => Write(w =>
        {
            w.AddMwsAuthToken(Token("amzn.mws.1", merchantId: "M2"));
            return 0;
        }));

        Assert.Equal("M1", _store.Read(r => r.GetMwsAuthToken("amzn.mws.1"))!.MerchantId);
    }

    [SkippableFact]
    public async Task RevokeMwsAuthToken_SetsTheTimeOnce()
    {
        await Write(w =>
        {
            w.AddMwsAuthToken(Token("amzn.mws.1"));
            return 0;
        });

        Assert.True(await Write(w => w.RevokeMwsAuthToken("amzn.mws.1", Times.T0.AddHours(1))));
        Assert.False(await Write(w => w.RevokeMwsAuthToken("amzn.mws.1", Times.T0.AddHours(2))));
        Assert.False(await Write(w => w.RevokeMwsAuthToken("amzn.mws.unknown", Times.T0.AddHours(2))));

        Assert.Equal(Times.T0.AddHours(1), _store.Read(r => r.GetMwsAuthToken("amzn.mws.1"))!.RevokedAt);
    }
}

public sealed class SqliteGrantTests() : GrantTests(new SqliteHarness());

public sealed class PostgresGrantTests(PostgresDatabaseFixture database) : GrantTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
