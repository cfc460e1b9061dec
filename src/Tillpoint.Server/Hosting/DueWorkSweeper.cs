using Tillpoint.Server.Commands;
using Tillpoint.Server.Commands.Reports;

namespace Tillpoint.Server.Hosting;

/// <summary>
/// Persists time-driven changes (expiries, pending authorizations, captures and refunds settling) once they fall due,
/// so that stored state and events follow the clock even when nobody reads the objects. Reads do not wait for it:
/// they apply the same changes to what they show. Every node runs one; they share the work through claims.
/// </summary>
internal sealed partial class DueWorkSweeper(
    ITillpointStore store, BusinessClocks clocks, ServerOptions options, ILogger<DueWorkSweeper> logger) : BackgroundService
{
    /// <summary>
    /// Owners (sessions, ledgers) claimed per transaction: their rows stay locked until it commits, so a batch is kept
    /// small enough that a request for one of them never waits long.
    /// </summary>
    private const int BatchSize = 100;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Processes everything due in <paramref name="environment"/> now; returns how many objects changed. Work is claimed
    /// in the store (<see cref="IWriteSession.ClaimDue"/>), so nodes sharing a database split it and each item is done
    /// once; a node that dies mid-batch loses its claim with its transaction, and the work is claimed again. With
    /// <paramref name="waitForOthers"/>, work another node holds is waited for instead of left to it, so that on return
    /// nothing due by now is left undone anywhere.
    /// </summary>
    public async Task<int> SweepAsync(ReleaseEnvironment environment, CancellationToken cancellationToken, bool waitForOthers = false)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var changed = await SweepPaymentsAsync(environment, waitForOthers, cancellationToken);
            return changed + await ReportCommands.SweepAsync(store, environment, clocks.Now(environment), ReportSettings.Of(options), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> SweepPaymentsAsync(ReleaseEnvironment environment, bool waitForOthers, CancellationToken cancellationToken)
    {
        // An idle server only reads: a claim is a write, and most ticks find nothing.
        if (store.Read(reader => reader.FindDue(environment, clocks.Now(environment), 1)).Count == 0)
        {
            return 0;
        }

        var total = 0;
        while (true)
        {
            var now = clocks.Now(environment);
            var (claimed, changed) = await store.WriteAsync(
                session =>
                {
                    var due = session.ClaimDue(environment, now, BatchSize, skipLocked: !waitForOthers);
                    return (due.Count, due.Count == 0 ? 0 : Process(session, environment, due, now));
                },
                cancellationToken);
            total += changed;
            // Nothing claimed: nothing is left, or only what other nodes hold. Nothing changed: the rest is not due.
            if (claimed == 0 || changed == 0)
            {
                return total;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var environment in Enum.GetValues<ReleaseEnvironment>())
            {
                try
                {
                    await SweepAsync(environment, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next tick tries again; the work stays due in the store until it is done.
                    SweepFailed(logger, e, environment);
                }
            }
        }
    }

    private static int Process(IWriteSession session, ReleaseEnvironment environment, IReadOnlyList<DueItem> due, DateTimeOffset now)
    {
        var changed = 0;
        foreach (var group in due.GroupBy(d => (d.MerchantId, Id: d.ChargePermissionId ?? d.ObjectId, IsSession: d.ChargePermissionId is null)))
        {
            var owner = new Owner(group.Key.MerchantId, environment);
            changed += group.Key.IsSession
                ? ProcessCheckoutSession(session, owner, group.Single(), now)
                : ProcessLedger(session, owner, group.Key.Id, group, now);
        }

        return changed;
    }

    private static int ProcessCheckoutSession(IWriteSession session, Owner owner, DueItem item, DateTimeOffset now)
    {
        var stored = session.GetCheckoutSession(owner.MerchantId, item.ObjectId);
        if (stored is null)
        {
            return 0;
        }

        var current = stored.AsOf(now);
        if (current.Events.Count > 0)
        {
            PaymentObjects.Persist(session, current, owner);
            return 1;
        }

        return Resave(stored.NextDueAt, item, () => session.Save(stored));
    }

    private static int ProcessLedger(IWriteSession session, Owner owner, string chargePermissionId, IEnumerable<DueItem> items, DateTimeOffset now)
    {
        var loaded = PaymentObjects.LoadLedger(session, owner, chargePermissionId, now);
        if (loaded is null)
        {
            return 0;
        }

        PaymentObjects.Persist(session, loaded.Current, owner);
        var changed = loaded.Current.Events.Count > 0 ? 1 : 0;
        var ledger = loaded.Current.Value;
        foreach (var item in items)
        {
            // Objects the clock did not change may still carry a stale due time (e.g. rows from before due times were
            // stored); saving them writes the exact one, so they are not found again.
            changed += item.ObjectType switch
            {
                ObjectType.ChargePermission when !PaymentObjects.Changed(loaded.Current, ObjectType.ChargePermission, ledger.ChargePermission.ChargePermissionId) =>
                    Resave(ledger.ChargePermission.NextDueAt, item, () => session.Save(ledger.ChargePermission)),
                ObjectType.Charge when ledger.FindCharge(item.ObjectId) is { } charge && !PaymentObjects.Changed(loaded.Current, ObjectType.Charge, charge.ChargeId) =>
                    Resave(charge.NextDueAt, item, () => session.Save(charge)),
                ObjectType.Refund when ledger.FindRefund(item.ObjectId) is { } refund && !PaymentObjects.Changed(loaded.Current, ObjectType.Refund, refund.RefundId) =>
                    Resave(refund.NextDueAt, item, () => session.Save(refund)),
                ObjectType.Dispute when ledger.FindDispute(item.ObjectId) is { } dispute && !PaymentObjects.Changed(loaded.Current, ObjectType.Dispute, dispute.DisputeId) =>
                    Resave(dispute.NextDueAt, item, () => session.Save(dispute)),
                _ => 0,
            };
        }

        return changed;
    }

    private static int Resave(DateTimeOffset? nextDueAt, DueItem item, Action save)
    {
        if (nextDueAt?.ToUnixTimeMilliseconds() == item.DueAt.ToUnixTimeMilliseconds())
        {
            return 0;
        }

        save();
        return 1;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Sweeping due work in {Environment} failed; retrying on the next tick")]
    private static partial void SweepFailed(ILogger logger, Exception exception, ReleaseEnvironment environment);
}
