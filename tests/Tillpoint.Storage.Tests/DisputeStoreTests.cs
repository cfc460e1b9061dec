using Tillpoint.Domain;
using Tillpoint.Domain.Disputes;

namespace Tillpoint.Storage.Tests;

/// <summary>Disputes and evidence files, on both stores.</summary>
public abstract class DisputeStoreTests : IDisposable
{
    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected DisputeStoreTests(StoreHarness harness)
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

    [SkippableFact]
    public async Task Save_NewDispute_RoundTripsEveryFieldAtVersion1()
    {
        var original = Objects.Dispute("P1-B1", "P1-C1", "P1") with
        {
            ProviderDisputeId = "A2CQXQ2TUSYG7J",
            MerchantEvidences = [new MerchantEvidence(EvidenceType.TrackingNumber, null, "1Z"), new MerchantEvidence(EvidenceType.Receipt, "file-1", null)],
            State = DisputeState.Closed,
            ReasonCode = DisputeReasonCode.BuyerCancelled,
            ReasonDescription = "withdrawn",
            Resolution = DisputeResolution.MerchantWon,
            ClosureTimestamp = Times.T0.AddDays(1),
        };

        var saved = await _store.WriteAsync(w => w.Save(original));
        var stored = _store.Read(r => r.GetDispute(Objects.MerchantA, "P1-B1"));

        Assert.Equal(1, saved.Version);
        Assert.Equal(original.MerchantEvidences, stored!.MerchantEvidences);
        Assert.Equal(original with { Version = 1, MerchantEvidences = stored.MerchantEvidences }, stored);
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM disputes WHERE state = 'Closed' AND charge_id = 'P1-C1' AND charge_permission_id = 'P1' AND due_at IS NULL"));
    }

    [SkippableFact]
    public async Task Save_ChangedDispute_GivesVersion2_AndAStaleVersionConflicts()
    {
        var v1 = await _store.WriteAsync(w => w.Save(Objects.Dispute("B1", "C1", "P1")));
        var v2 = await _store.WriteAsync(w => w.Save(v1.Expire().Value));

        // Thrown at the save, or where the store holds writes at its commit; either way the write fails.
        var thrown = await Record.ExceptionAsync(() => _store.WriteAsync(w => w.Save(v1 with { ProviderDisputeId = "stale" })));

        Assert.Equal(2, v2.Version);
        Assert.IsType<ConcurrencyConflictException>(thrown);
        var stored = _store.Read(r => r.GetDispute(Objects.MerchantA, "B1"))!;
        Assert.Equal(DisputeState.Resolved, stored.State);
        Assert.Null(stored.ProviderDisputeId);
    }

    [SkippableFact]
    public async Task GetDisputesOfPermission_InCreationOrder_OnlyTheOwnersOwn()
    {
        await _store.WriteAsync(w =>
        {
            w.Save(Objects.Dispute("B2", "C1", "P1", createdAt: Times.T0.AddMinutes(1)));
            w.Save(Objects.Dispute("B1", "C1", "P1"));
            w.Save(Objects.Dispute("B3", "C9", "P9"));
            return w.Save(Objects.Dispute("B4", "C1", "P1", merchantId: Objects.MerchantB));
        });

        var disputes = _store.Read(r => r.GetDisputesOfPermission(Objects.MerchantA, "P1"));

        Assert.Equal(["B1", "B2"], disputes.Select(d => d.DisputeId));
        Assert.Null(_store.Read(r => r.GetDispute(Objects.MerchantB, "B1")));
        Assert.Null(_store.Read(r => r.GetDispute(Objects.MerchantA, "B1\0")));
    }

    [SkippableFact]
    public async Task FindDue_ListsAnActionRequiredDispute_AtItsDeadline()
    {
        // Claims lock the ledger's owner, so the permission exists (its own expiry is months away).
        await _store.WriteAsync(w =>
        {
            w.Save(Objects.Permission("P1"));
            return w.Save(Objects.Dispute("B1", "C1", "P1"));
        });
        var deadline = Times.T0.AddDays(11);

        Assert.Empty(_store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, deadline.AddMilliseconds(-1), 10)));
        var due = _store.Read(r => r.FindDue(ReleaseEnvironment.Sandbox, deadline, 10));
        var claimed = await _store.WriteAsync(w => w.ClaimDue(ReleaseEnvironment.Sandbox, deadline, 10, skipLocked: true));

        Assert.Equal([new DueItem(ObjectType.Dispute, Objects.MerchantA, "B1", "P1", deadline)], due);
        Assert.Equal(due, claimed);
        Assert.Empty(_store.Read(r => r.FindDue(ReleaseEnvironment.Live, deadline, 10)));
    }

    [SkippableFact]
    public async Task EvidenceFile_IsAddedWithoutContent_ThenTakesItsBytesOnce()
    {
        var file = new EvidenceFile(
            Objects.MerchantA, ReleaseEnvironment.Sandbox, "amzn1.file.1", "jpg", "disputeEvidence", "token-1", Times.T0, Times.T0.AddMinutes(10), null, 0);
        await _store.WriteAsync(w =>
        {
            w.AddEvidenceFile(file);
            return 0;
        });

        var first = await _store.WriteAsync(w => w.PutEvidenceFileContent(Objects.MerchantA, "amzn1.file.1", [1, 2, 3], Times.T0.AddMinutes(1)));
        var second = await _store.WriteAsync(w => w.PutEvidenceFileContent(Objects.MerchantA, "amzn1.file.1", [9], Times.T0.AddMinutes(2)));

        Assert.True(first);
        Assert.False(second);
        var stored = _store.Read(r => r.GetEvidenceFile(Objects.MerchantA, "amzn1.file.1"));
        Assert.Equal(file with { UploadedAt = Times.T0.AddMinutes(1), Size = 3 }, stored);
        Assert.Equal(stored, _store.Read(r => r.FindEvidenceFileByUploadToken("token-1")));
        Assert.Null(_store.Read(r => r.GetEvidenceFile(Objects.MerchantB, "amzn1.file.1")));
        Assert.Null(_store.Read(r => r.FindEvidenceFileByUploadToken("token-\0")));
        Assert.Equal(3, _harness.Scalar("SELECT size FROM evidence_files"));
    }

    [SkippableFact]
    public async Task BrowseDisputes_ListsThemLikeTheOtherObjects()
    {
        await _store.WriteAsync(w => w.Save(Objects.Dispute("B1", "C1", "P1")));

        var page = _store.Read(r => r.Browse(new BrowseFilter(ObjectType.Dispute), null, 10));

        var row = Assert.Single(page.Rows);
        Assert.Equal(("B1", "ActionRequired"), (row.ObjectId, row.State));
    }
}

public sealed class SqliteDisputeStoreTests() : DisputeStoreTests(new SqliteHarness());

public sealed class PostgresDisputeStoreTests(PostgresDatabaseFixture database) : DisputeStoreTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
