using Tillpoint.Domain;

namespace Tillpoint.Storage.Tests;

public abstract class IdempotencyTests : IDisposable
{
    private static readonly IdempotencyScope Scope =
        new(Objects.MerchantA, ReleaseEnvironment.Sandbox, "POST", "/v2/checkoutSessions", "key-1");

    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected IdempotencyTests(StoreHarness harness)
    {
        _harness = harness;
        _store = harness.Open();
    }

    public void Dispose()
    {
        _store.Dispose();
        _harness.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<IdempotencyRecord?> FindAsync(IdempotencyScope scope) => _store.WriteAsync(w => w.FindIdempotency(scope));

    [SkippableFact]
    public async Task Find_UnknownKey_IsNull()
    {
        Assert.Null(await FindAsync(Scope));
    }

    [SkippableFact]
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

    [SkippableFact]
    public async Task Put_ThenFindInTheSameCommand_SeesIt()
    {
        var found = await _store.WriteAsync(w =>
        {
            w.PutIdempotency(Scope, new IdempotencyRecord([1], 200, [2]));
            return w.FindIdempotency(Scope);
        });

        Assert.Equal(200, found?.StatusCode);
    }

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
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

    [SkippableFact]
    public async Task FirstUseOfOneKeyThroughSeveralStoresAtOnce_HasExactlyOneEffectAndEveryCallerGetsItsAnswer()
    {
        using var second = _harness.Open();
        using var third = _harness.Open();
        ITillpointStore[] nodes = [_store, second, third];
        using var start = new Barrier(12);

        // The way the API uses a key: look it up, and only when it is new run the command and store the answer.
        var calls = Enumerable.Range(0, 12).Select(i => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            return nodes[i % nodes.Length].WriteAsync(w =>
            {
                if (w.FindIdempotency(Scope) is { } stored)
                {
                    return System.Text.Encoding.UTF8.GetString(stored.ResponseBody);
                }

                var id = $"cs-{i}";
                w.Save(Objects.Session(id));
                w.PutIdempotency(Scope, new IdempotencyRecord([1], 201, System.Text.Encoding.UTF8.GetBytes(id)));
                return id;
            });
        })).ToArray();
        var answers = await Task.WhenAll(calls);

        Assert.Single(answers.Distinct());
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM checkout_sessions"));
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM idempotency_keys"));
        Assert.NotNull(_store.Read(r => r.FindCheckoutSession(answers[0])));
    }
}

public sealed class SqliteIdempotencyTests() : IdempotencyTests(new SqliteHarness());

public sealed class PostgresIdempotencyTests(PostgresDatabaseFixture database) : IdempotencyTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
