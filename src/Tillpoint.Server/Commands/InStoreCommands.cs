using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.InStore;

namespace Tillpoint.Server.Commands;

/// <summary>
/// The in-store API's commands (spec §5): a scan saves a new charge permission, and charges and refunds are made on its
/// ledger exactly as Create Charge and Create Refund make them, so the ledger counts them and its money rules hold.
/// </summary>
internal static class InStoreCommands
{
    public static ChargePermission Scan(IWriteSession session, in CommandContext context, MerchantScan scan)
    {
        var owner = context.Owner;
        var merchant = session.GetMerchant(owner.MerchantId) ?? throw new InvalidOperationException("An authenticated caller is a merchant.");
        var scanned = InStorePurchases.Scan(
            scan, context.Ids.NewChargePermissionId(owner.Environment), owner.MerchantId, merchant.StoreId, owner.Environment, context.Now, context.Limits);
        session.Append(owner.MerchantId, owner.Environment, scanned.Events);
        return session.Save(scanned.Value);
    }

    /// <summary>An in-store charge, captured at once. A declined charge is saved and answered (its state says so), not refused.</summary>
    public static Result<Charge> Charge(IWriteSession session, in CommandContext context, string chargePermissionId, ChargeRequest request)
    {
        var loaded = PaymentObjects.LoadLedger(session, context.Owner, chargePermissionId, context.Now);
        if (loaded is null)
        {
            return DomainError.NotFound("Charge Permission", chargePermissionId);
        }

        var ledger = loaded.Current.Value;
        var created = ledger.CreateCharge(ledger.NewChargeId(context.Ids), request, context.Simulation, context.Now, context.Limits);
        if (!created.IsSuccess)
        {
            return LedgerCommands.Apply(session, context.Owner, loaded, created.Error).Error!;
        }

        PaymentObjects.Persist(session, loaded.Current.Then(created.Value.Ledger), context.Owner);
        return created.Value.Charge;
    }
}
