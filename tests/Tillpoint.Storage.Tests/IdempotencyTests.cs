using Tillpoint.Domain;
using Tillpoint.Storage.Sqlite;

namespace Tillpoint.Storage.Tests;

public sealed class IdempotencyTests : IDisposable
{
    private static readonly IdempotencyScope Scope =
        new(Objects.MerchantA, ReleaseEnvironment.Sandbox, "POST", "/v2/checkoutSessions", "key-1");

    private readonly TempDirectory _dir = new();
    private readonly SqliteStore _store;

    public IdempotencyTests() => _store = _dir.Open();

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private Task<IdempotencyRecord?> FindAsync(IdempotencyScope scope) => _store.WriteAsync(w => w.FindIdempotency(scope));

    [Fact]
    public async Task Find_UnknownKey_IsNull()
    {
        Assert.Null(await FindAsync(Scope));
    }

    [Fact]
    public async Task Put_ThenFind_ReturnsTheSameRecord()
    {
        byte[] hash = [0x00, 0xff, 0x10, 0x20];
        var body = "{\"checkoutSessionId\":\"cs-1\"}"u8.ToArray();

        await _store.WriteAsync(w =>
        {
            w.PutIdempotency(Scope, new IdempotencyRecord(hash, 201, body));
            return 0;
        });
        var found = await FindAsync(Scope);

        Assert.NotNull(found);
        Assert.Equal(hash, found.RequestHash);
        Assert.Equal(201, found.StatusCode);
        Assert.Equal(body, found.ResponseBody);
    }

    [Fact]
    public async Task Put_ThenFindInTheSameCommand_SeesIt()
    {
        var found = await _store.WriteAsync(w =>
        {
            w.PutIdempotency(Scope, new IdempotencyRecord([1], 200, [2]));
            return w.FindIdempotency(Scope);
        });

        Assert.Equal(200, found?.StatusCode);
    }

    [Fact]
    public async Task Put_EmptyResponseBody_RoundTrips()
    {
        await _store.WriteAsync(w =>
        {
            w.PutIdempotency(Scope, new IdempotencyRecord([7], 204, []));
            return 0;
        });

        var found = await FindAsync(Scope);

        Assert.NotNull(found);
        Assert.Equal(204, found.StatusCode);
        Assert.Empty(found.ResponseBody);
    }

    [Fact]
    public async Task Put_EachScopePartSeparatesKeys()
    {
        IdempotencyScope[] scopes =
        [
            Scope,
            Scope with { MerchantId = Objects.MerchantB },
            Scope with { Environment = ReleaseEnvironment.Live },
            Scope with { Method = "PATCH" },
            Scope with { Path = "/v2/checkoutSessions/cs-1/complete" },
            Scope with { Key = "key-2" },
        ];

        await _store.WriteAsync(w =>
        {
            for (var i = 0; i < scopes.Length; i++)
            {
                w.PutIdempotency(scopes[i], new IdempotencyRecord([(byte)i], 200 + i, [(byte)(100 + i)]));
            }

            return 0;
        });

        for (var i = 0; i < scopes.Length; i++)
        {
            var found = await FindAsync(scopes[i]);
            Assert.NotNull(found);
            Assert.Equal(200 + i, found.StatusCode);
            Assert.Equal([(byte)i], found.RequestHash);
            Assert.Equal([(byte)(100 + i)], found.ResponseBody);
        }
    }

    [Fact]
    public async Task Put_OneScope_IsInvisibleFromTheOthers()
    {
        await _store.WriteAsync(w =>
        {
            w.PutIdempotency(Scope, new IdempotencyRecord([1], 201, [2]));
            return 0;
        });

        Assert.Null(await FindAsync(Scope with { MerchantId = Objects.MerchantB }));
        Assert.Null(await FindAsync(Scope with { Environment = ReleaseEnvironment.Live }));
        Assert.Null(await FindAsync(Scope with { Method = "GET" }));
        Assert.Null(await FindAsync(Scope with { Path = "/v2/charges" }));
        Assert.Null(await FindAsync(Scope with { Key = "KEY-1" }));
    }

    [Fact]
    public async Task Put_SameScopeTwice_FailsAndKeepsTheFirstRecord()
    {
        await _store.WriteAsync(w =>
        {
            w.PutIdempotency(Scope, new IdempotencyRecord([1], 201, [2]));
            return 0;
        });

        var second = _store.WriteAsync(w =>
        {
            w.PutIdempotency(Scope, new IdempotencyRecord([3], 500, [4]));
            return 0;
        });

        await Assert.ThrowsAnyAsync<Exception>(() => second);
        var found = await FindAsync(Scope);
        Assert.Equal(201, found?.StatusCode);
        Assert.Equal([1], found!.RequestHash);
    }
}
