using Tillpoint.Domain;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Server.Signing;
using Tillpoint.Storage;

namespace Tillpoint.Server.Api;

/// <summary>
/// Loads aggregates for a caller: objects of another merchant or of the other environment do not exist for it.
/// Inside a write, time-driven changes (expiry, pending outcomes) are persisted before the command acts.
/// </summary>
internal static class Aggregates
{
    public static CheckoutSession? CurrentCheckoutSession(IStoreReader reader, ApiCaller caller, string id, DateTimeOffset now) =>
        reader.GetCheckoutSession(caller.MerchantId, id) is { } session && session.Environment == caller.Environment
            ? session.AsOf(now).Value
            : null;

    public static Charge? CurrentCharge(IStoreReader reader, ApiCaller caller, string id, DateTimeOffset now) =>
        reader.GetCharge(caller.MerchantId, id) is { } charge && charge.Environment == caller.Environment
            ? charge.AsOf(now).Value
            : null;

    public static IReadOnlyList<Charge> CurrentCharges(IStoreReader reader, string merchantId, string chargePermissionId, DateTimeOffset now) =>
        [.. reader.GetChargesOfPermission(merchantId, chargePermissionId).Select(c => c.AsOf(now).Value)];

    public static CheckoutSession? LoadCheckoutSession(IWriteSession session, ApiCaller caller, string id, DateTimeOffset now)
    {
        var stored = session.GetCheckoutSession(caller.MerchantId, id);
        return stored is null || stored.Environment != caller.Environment ? null : PersistChanges(session, stored.AsOf(now), caller);
    }

    public static Charge? LoadCharge(IWriteSession session, ApiCaller caller, string id, DateTimeOffset now)
    {
        var stored = session.GetCharge(caller.MerchantId, id);
        return stored is null || stored.Environment != caller.Environment ? null : PersistChanges(session, stored.AsOf(now), caller);
    }

    public static IReadOnlyList<Charge> LoadCharges(IWriteSession session, ApiCaller caller, string chargePermissionId, DateTimeOffset now) =>
        [.. session.GetChargesOfPermission(caller.MerchantId, chargePermissionId).Select(c => PersistChanges(session, c.AsOf(now), caller))];

    /// <summary>Saves the new version and its events.</summary>
    public static CheckoutSession Persist(IWriteSession session, Transition<CheckoutSession> transition, ApiCaller caller)
    {
        session.Append(caller.MerchantId, caller.Environment, transition.Events);
        return session.Save(transition.Value);
    }

    public static Charge Persist(IWriteSession session, Transition<Charge> transition, ApiCaller caller)
    {
        session.Append(caller.MerchantId, caller.Environment, transition.Events);
        return session.Save(transition.Value);
    }

    /// <summary>Saves a time-driven change (expiry, pending outcome) only when there was one.</summary>
    private static CheckoutSession PersistChanges(IWriteSession session, Transition<CheckoutSession> transition, ApiCaller caller) =>
        transition.Events.Count == 0 ? transition.Value : Persist(session, transition, caller);

    private static Charge PersistChanges(IWriteSession session, Transition<Charge> transition, ApiCaller caller) =>
        transition.Events.Count == 0 ? transition.Value : Persist(session, transition, caller);
}
