using Tillpoint.Domain;

namespace Tillpoint.Storage.Tests;

/// <summary>How commands commit: alone or together, failing, conflicting, under concurrency, across a close.</summary>
public abstract class WriteQueueTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected WriteQueueTests(StoreHarness harness)
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

    /// <summary>
    /// Keeps one command running until the returned gate opens: on SQLite it occupies the writer, so what is queued next
    /// commits together in one group; on PostgreSQL it holds a transaction open while the others run beside it.
    /// </summary>
    private async Task<(ManualResetEventSlim Gate, Task<int> Blocker)> HoldTheWriterAsync()
    {
        var gate = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _store.WriteAsync(_ =>
        {
            started.SetResult();
            return gate.Wait(Patience) ? 0 : throw new TimeoutException("The test never opened the gate.");
        });
        await started.Task.WaitAsync(Patience);
        return (gate, blocker);
    }

    [SkippableFact]
    public async Task WriteAsync_ThrowingCommandInAGroup_LeavesNoTraceWhileTheOthersCommit()
    {
        var (gate, blocker) = await HoldTheWriterAsync();
        using var held = gate;
        var scope = new IdempotencyScope(Objects.MerchantA, ReleaseEnvironment.Sandbox, "POST", "/checkoutSessions", "key-bad");
        var writes = new List<Task<long>>();
        for (var i = 0; i < 40; i++)
        {
            var id = $"cs-{i}";
            writes.Add(i == 17
                ? _store.WriteAsync<long>(w =>
                {
                    w.Save(Objects.Session(id));
                    w.Append(Objects.MerchantA, ReleaseEnvironment.Sandbox, [Objects.Event(id, null, null, "Open", null, 0)]);
                    w.PutIdempotency(scope, new IdempotencyRecord([1, 2, 3], 201, [4, 5, 6]));
                    w.AddMerchant(Objects.Merchant("M-bad"));
                    throw new InvalidOperationException("boom");
                })
                : _store.WriteAsync(w =>
                {
                    w.Append(Objects.MerchantA, ReleaseEnvironment.Sandbox, [Objects.Event(id, null, null, "Open", null, 0)]);
                    return w.Save(Objects.Session(id)).Version;
                }));
        }

        gate.Set();
        await blocker;

        for (var i = 0; i < writes.Count; i++)
        {
            if (i == 17)
            {
                var error = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[i]);
                Assert.Equal("boom", error.Message);
            }
            else
            {
                Assert.Equal(1, await writes[i]);
            }
        }

        Assert.Null(_store.Read(r => r.FindCheckoutSession("cs-17")));
        Assert.Empty(_store.Read(r => r.GetEvents(Objects.MerchantA, "cs-17")));
        Assert.Null(_store.Read(r => r.GetMerchant("M-bad")));
        Assert.Null(await _store.WriteAsync(w => w.FindIdempotency(scope)));
        Assert.Equal(39, _harness.Scalar("SELECT count(*) FROM checkout_sessions"));
        Assert.Equal(39, _harness.Scalar("SELECT count(*) FROM events"));
        Assert.NotNull(_store.Read(r => r.FindCheckoutSession("cs-16")));
        Assert.NotNull(_store.Read(r => r.FindCheckoutSession("cs-18")));
    }

    [SkippableFact]
    public async Task WriteAsync_ConflictingCommandInAGroup_FaultsAloneAfterItsRetries()
    {
        var v1 = await _store.WriteAsync(w => w.Save(Objects.Session("contested")));
        await _store.WriteAsync(w => w.Save(v1));
        var (gate, blocker) = await HoldTheWriterAsync();
        using var held = gate;
        var attempts = 0;

        var before = Enumerable.Range(0, 5).Select(i => _store.WriteAsync(w => w.Save(Objects.Session($"before-{i}")))).ToArray();
        var stale = _store.WriteAsync(w =>
        {
            attempts++;
            w.Save(Objects.Session($"stale-{attempts}"));
            return w.Save(v1);
        });
        var after = Enumerable.Range(0, 5).Select(i => _store.WriteAsync(w => w.Save(Objects.Session($"after-{i}")))).ToArray();
        gate.Set();
        await blocker;

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stale);
        Assert.All(await Task.WhenAll(before.Concat(after)), s => Assert.Equal(1, s.Version));
        Assert.Equal(_harness.Options.MaxConflictRetries + 1, attempts);
        Assert.Equal(0, _harness.Scalar("SELECT count(*) FROM checkout_sessions WHERE checkout_session_id LIKE 'stale-%'"));
        Assert.Equal(10, _harness.Scalar("SELECT count(*) FROM checkout_sessions WHERE checkout_session_id LIKE 'before-%' OR checkout_session_id LIKE 'after-%'"));
        Assert.Equal(2, _store.Read(r => r.FindCheckoutSession("contested"))!.Version);
    }

    [SkippableFact]
    public async Task WriteAsync_CommandFailingOnAConstraint_LeavesNoTraceAndTheStoreGoesOn()
    {
        await _store.WriteAsync(w => w.Save(Objects.Session("cs-1")));

        var duplicate = _store.WriteAsync(w =>
        {
            w.Save(Objects.Session("cs-2"));
            return w.Save(Objects.Session("cs-1"));
        });

        await Assert.ThrowsAnyAsync<Exception>(() => duplicate);
        Assert.Null(_store.Read(r => r.FindCheckoutSession("cs-2")));
        Assert.Equal(1, (await _store.WriteAsync(w => w.Save(Objects.Session("cs-3")))).Version);
        Assert.Equal(2, _harness.Scalar("SELECT count(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task Read_DuringAWrite_SeesNothingUntilTheWriteCompletes()
    {
        using var written = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var write = _store.WriteAsync(w =>
        {
            var saved = w.Save(Objects.Session("cs-1"));
            written.Set();
            return proceed.Wait(Patience) ? saved : throw new TimeoutException("The test never let the write go on.");
        });

        Assert.True(written.Wait(Patience));
        var duringWrite = _store.Read(r => r.FindCheckoutSession("cs-1"));
        var completedEarly = write.IsCompleted;
        proceed.Set();
        await write;

        Assert.Null(duringWrite);
        Assert.False(completedEarly);
        Assert.NotNull(_store.Read(r => r.FindCheckoutSession("cs-1")));
    }

    [SkippableFact]
    public async Task Read_AfterEachCompletedWrite_SeesTheLatestVersion()
    {
        var saved = await _store.WriteAsync(w => w.Save(Objects.Session("cs-1")));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(saved.Version, _store.Read(r => r.FindCheckoutSession("cs-1"))!.Version);
            Assert.Equal(saved.Version, _store.Read(r => r.GetCheckoutSession(Objects.MerchantA, "cs-1"))!.Version);
            var current = saved;
            saved = await _store.WriteAsync(w => w.Save(current));
        }

        Assert.Equal(21, _store.Read(r => r.GetCheckoutSession(Objects.MerchantA, "cs-1"))!.Version);
    }

    [SkippableFact]
    public async Task Read_ConcurrentReadersDuringWrites_AlwaysSeeACommittedVersion()
    {
        var saved = await _store.WriteAsync(w => w.Save(Objects.Session("cs-1")));
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var last = 0L;
            while (!stop.IsCancellationRequested)
            {
                var version = _store.Read(r => r.FindCheckoutSession("cs-1"))!.Version;
                Assert.True(version >= last, $"version went back from {last} to {version}");
                last = version;
            }

            return last;
        })).ToArray();

        for (var i = 0; i < 50; i++)
        {
            var current = saved;
            saved = await _store.WriteAsync(w => w.Save(current));
        }

        await stop.CancelAsync();
        var lastSeen = await Task.WhenAll(readers);
        Assert.All(lastSeen, v => Assert.InRange(v, 1, 51));
        Assert.Equal(51, _store.Read(r => r.FindCheckoutSession("cs-1"))!.Version);
    }

    [SkippableFact]
    public async Task WriteAsync_200ConcurrentCommands_AllCommit()
    {
        var writes = Enumerable.Range(0, 200)
            .Select(i => Task.Run(() => _store.WriteAsync(w =>
            {
                w.Append(Objects.MerchantA, ReleaseEnvironment.Sandbox, [Objects.Event($"cs-{i}", null, null, "Open", null, 0)]);
                return w.Save(Objects.Session($"cs-{i}"));
            })))
            .ToArray();

        var saved = await Task.WhenAll(writes);

        Assert.All(saved, s => Assert.Equal(1, s.Version));
        Assert.Equal(200, saved.Select(s => s.CheckoutSessionId).Distinct().Count());
        Assert.Equal(200, _harness.Scalar("SELECT count(*) FROM checkout_sessions"));
        Assert.Equal(200, _harness.Scalar("SELECT count(*) FROM events"));
        Assert.All(Enumerable.Range(0, 200), i => Assert.NotNull(_store.Read(r => r.FindCheckoutSession($"cs-{i}"))));
    }

    [SkippableFact]
    public async Task WriteAsync_ConcurrentIncrementsOfOneAggregate_LoseNoUpdate()
    {
        await _store.WriteAsync(w => w.Save(Objects.Session("counter")));

        var increments = Enumerable.Range(0, 100)
            .Select(_ => Task.Run(() => _store.WriteAsync(w =>
            {
                var current = w.GetCheckoutSession(Objects.MerchantA, "counter")!;
                var count = int.Parse(current.SupplementaryData ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                return w.Save(current with { SupplementaryData = (count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            })))
            .ToArray();
        await Task.WhenAll(increments);

        var stored = _store.Read(r => r.GetCheckoutSession(Objects.MerchantA, "counter"))!;
        Assert.Equal("100", stored.SupplementaryData);
        Assert.Equal(101, stored.Version);
    }

    private static Domain.ChargePermissions.ChargePermission Named(Domain.ChargePermissions.ChargePermission permission, string name) =>
        permission with { MerchantMetadata = permission.MerchantMetadata with { MerchantStoreName = name } };

    [SkippableFact]
    public async Task WriteAsync_ConcurrentIncrementsThroughSeveralStores_LoseNoUpdate()
    {
        await _store.WriteAsync(w => w.Save(Objects.Permission("P-counter")));
        using var second = _harness.Open();
        using var third = _harness.Open();
        ITillpointStore[] nodes = [_store, second, third];

        var increments = Enumerable.Range(0, 60)
            .Select(i => Task.Run(() => nodes[i % nodes.Length].WriteAsync(w =>
            {
                var current = w.GetChargePermission(Objects.MerchantA, "P-counter")!;
                var count = int.Parse(current.MerchantMetadata.MerchantStoreName ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                var next = (count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return w.Save(current with { MerchantMetadata = current.MerchantMetadata with { MerchantStoreName = next } });
            })))
            .ToArray();
        await Task.WhenAll(increments);

        var stored = third.Read(r => r.GetChargePermission(Objects.MerchantA, "P-counter"))!;
        Assert.Equal("60", stored.MerchantMetadata.MerchantStoreName);
        Assert.Equal(61, stored.Version);
    }

    [SkippableFact]
    public async Task WriteAsync_ReadingAPermissionAnotherStoresCommandHolds_WaitsForItsCommitAndSeesIt()
    {
        await _store.WriteAsync(w => w.Save(Objects.Permission("P1")));
        using var other = _harness.Open();
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = _store.WriteAsync(w =>
        {
            var permission = w.GetChargePermission(Objects.MerchantA, "P1")!;
            inside.Set();
            return release.Wait(Patience) ? w.Save(Named(permission, "first")) : throw new TimeoutException("Never released.");
        });
        Assert.True(inside.Wait(Patience));
        var attempts = 0;
        var seenByTheSecond = (string?)"unset";

        var waiter = other.WriteAsync(w =>
        {
            attempts++;
            var permission = w.GetChargePermission(Objects.MerchantA, "P1")!;
            seenByTheSecond = permission.MerchantMetadata.MerchantStoreName;
            return w.Save(Named(permission, permission.MerchantMetadata.MerchantStoreName + "+second"));
        });
        await Task.Delay(300);
        var finishedWhileHeld = waiter.IsCompleted;
        release.Set();
        await holder;
        var saved = await waiter.WaitAsync(Patience);

        Assert.False(finishedWhileHeld);
        // It waited for the holder rather than racing it: no conflict, no retry, and it built on the holder's commit.
        Assert.Equal(1, attempts);
        Assert.Equal("first", seenByTheSecond);
        Assert.Equal("first+second", saved.MerchantMetadata.MerchantStoreName);
        Assert.Equal(3, _store.Read(r => r.GetChargePermission(Objects.MerchantA, "P1"))!.Version);
    }

    [SkippableFact]
    public async Task Dispose_AcknowledgedWrites_SurviveReopening()
    {
        using (var store = _harness.Open())
        {
            for (var i = 0; i < 10; i++)
            {
                var id = $"cs-{i}";
                await store.WriteAsync(w => w.Save(Objects.Session(id)));
            }

            await store.WriteAsync(w =>
            {
                w.AddMerchant(Objects.Merchant("M1"));
                w.Save(Objects.Permission("P1"));
                w.Save(Objects.Charge("P1-C1", "P1"));
                w.PutIdempotency(new IdempotencyScope("M1", ReleaseEnvironment.Live, "POST", "/charges", "k"), new IdempotencyRecord([9], 201, [8]));
                w.Append("M1", ReleaseEnvironment.Live, [Objects.Event("P1-C1", "P1", null, "Authorized", Objects.Usd(14m), 1)]);
                return 0;
            });
        }

        using (var reopened = _harness.Open())
        {
            Assert.All(Enumerable.Range(0, 10), i => Assert.NotNull(reopened.Read(r => r.FindCheckoutSession($"cs-{i}"))));
            Assert.NotNull(reopened.Read(r => r.GetMerchant("M1")));
            Assert.NotNull(reopened.Read(r => r.GetChargePermission(Objects.MerchantA, "P1")));
            Assert.NotNull(reopened.Read(r => r.GetCharge(Objects.MerchantA, "P1-C1")));
            Assert.Single(reopened.Read(r => r.GetEvents("M1", "P1-C1")));
            var record = await reopened.WriteAsync(w => w.FindIdempotency(new IdempotencyScope("M1", ReleaseEnvironment.Live, "POST", "/charges", "k")));
            Assert.Equal([8], record!.ResponseBody);
        }
    }

    [SkippableFact]
    public async Task Dispose_WithCommandsStillQueued_CommitsThemAll()
    {
        Task<Domain.CheckoutSessions.CheckoutSession>[] writes;
        using (var store = _harness.Open())
        {
            writes = Enumerable.Range(0, 100).Select(i => store.WriteAsync(w => w.Save(Objects.Session($"cs-{i}")))).ToArray();
        }

        var saved = await Task.WhenAll(writes);

        Assert.Equal(100, saved.Length);
        using var reopened = _harness.Open();
        Assert.All(Enumerable.Range(0, 100), i => Assert.NotNull(reopened.Read(r => r.FindCheckoutSession($"cs-{i}"))));
    }

    [SkippableFact]
    public async Task Dispose_ThenUse_IsObjectDisposed()
    {
        var store = _harness.Open();
        await store.WriteAsync(w => w.Save(Objects.Session("cs-1")));

        store.Dispose();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.Read(r => r.FindCheckoutSession("cs-1")));
        Assert.Throws<ObjectDisposedException>(() => { _ = store.WriteAsync(_ => 0); });
    }

    [SkippableFact]
    public async Task WriteAsync_AnAsyncCommand_IsRefusedAndLeavesNoTrace()
    {
        var asyncCommand = _store.WriteAsync(async write =>
        {
            write.AddMerchant(Objects.Merchant("AASYNC"));
            await Task.Yield();
            return 1;
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => asyncCommand.WaitAsync(Patience));

        Assert.Contains("synchronous", error.Message, StringComparison.Ordinal);
        Assert.Null(_store.Read(reader => reader.GetMerchant("AASYNC")));
    }
}

public sealed class SqliteWriteQueueTests() : WriteQueueTests(new SqliteHarness());

public sealed class PostgresWriteQueueTests(PostgresDatabaseFixture database) : WriteQueueTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;

/// <summary>The SQLite writer's queue: a command waits there until the writer takes it.</summary>
public sealed class SqliteWriterQueueTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new();
    private readonly ITillpointStore _store;

    public SqliteWriterQueueTests() => _store = _dir.Open();

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task WriteAsync_CanceledWhileQueued_IsNotRunAndReportsCancellation()
    {
        using var gate = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _store.WriteAsync(_ =>
        {
            started.SetResult();
            return gate.Wait(Patience) ? 0 : throw new TimeoutException("The test never opened the gate.");
        });
        await started.Task.WaitAsync(Patience);
        using var cancellation = new CancellationTokenSource();
        var ran = false;
        var canceled = _store.WriteAsync(
            write =>
            {
                ran = true;
                write.AddMerchant(Objects.Merchant("ACANCELED"));
                return 1;
            },
            cancellation.Token);

        await cancellation.CancelAsync();
        gate.Set();
        await blocker.WaitAsync(Patience);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled.WaitAsync(Patience));
        Assert.False(ran);
        Assert.Null(_store.Read(reader => reader.GetMerchant("ACANCELED")));
    }
}
