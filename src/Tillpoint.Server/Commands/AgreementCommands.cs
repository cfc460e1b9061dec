using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;

namespace Tillpoint.Server.Commands;

/// <summary>
/// What a buyer does to a Recurring or PaymentMethodOnFile agreement in their Amazon account, acted out in the sandbox:
/// close it, or give it another payment method after a decline. Each state change fires the permission's IPN.
/// </summary>
internal static class AgreementCommands
{
    public static Result<PaymentLedger> CloseByBuyer(IWriteSession session, in CommandContext context, string chargePermissionId)
    {
        var now = context.Now;
        return Run(session, context, chargePermissionId, ledger => ledger.CloseByBuyer(now));
    }

    /// <summary>The instrument is one of the permission's sandbox buyer's; another id is refused, naming the ones there are.</summary>
    public static Result<PaymentLedger> UpdatePaymentMethod(
        IWriteSession session, in CommandContext context, string chargePermissionId, string instrumentId)
    {
        var now = context.Now;
        return Run(session, context, chargePermissionId, ledger =>
        {
            var buyer = SandboxBuyers.Find(ledger.ChargePermission.Buyer.BuyerId);
            var instrument = buyer is null ? null : SandboxBuyers.FindInstrument(buyer, instrumentId);
            if (instrument is null)
            {
                return DomainError.InvalidValue(
                    "instrumentId",
                    buyer is null
                        ? "the permission's buyer is not a sandbox buyer."
                        : $"'{instrumentId}' is not one of the buyer's instruments ({string.Join(", ", buyer.Instruments.Select(i => i.InstrumentId))}).");
            }

            return ledger.UpdatePaymentMethod(instrument.InstrumentId, instrument.Descriptor, instrument.Behavior, now);
        });
    }

    /// <summary>
    /// Whose permission this is, found by its id alone: the buyer's browser and the operator know no merchant key. The
    /// listing columns give both merchant and environment, by the id's index.
    /// </summary>
    public static Owner? OwnerOf(IStoreReader reader, string chargePermissionId)
    {
        var rows = reader.Browse(new BrowseFilter(ObjectType.ChargePermission) { ObjectId = chargePermissionId }, null, 1).Rows;
        return rows.Count == 1 && rows[0].ObjectId == chargePermissionId ? new Owner(rows[0].MerchantId, rows[0].Environment) : null;
    }

    private static Result<PaymentLedger> Run(
        IWriteSession session, in CommandContext context, string chargePermissionId, Func<PaymentLedger, Result<Transition<PaymentLedger>>> command)
    {
        var loaded = PaymentObjects.LoadLedger(session, context.Owner, chargePermissionId, context.Now);
        return loaded is null
            ? DomainError.NotFound("Charge Permission", chargePermissionId)
            : LedgerCommands.Apply(session, context.Owner, loaded, command(loaded.Current.Value));
    }
}
