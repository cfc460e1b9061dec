using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Server.Commands;

/// <summary>A completed or finalized checkout as saved; pending while its authorization is.</summary>
internal readonly record struct CheckoutOutcome(CheckoutSession Session, bool IsPending);

/// <summary>The Checkout Session commands: load, call the domain, save, answer with what was saved.</summary>
internal static class CheckoutSessionCommands
{
    private const string What = "Checkout Session";

    /// <summary>
    /// Creates and saves a session, checking the store and the domain rules. The API and the checkout button
    /// (<c>/checkout/start</c>) both create through here, so a signed button payload is held to exactly the API's rules.
    /// </summary>
    public static Result<CheckoutSession> Create(IWriteSession session, in CommandContext context, CreateCheckoutSession command)
    {
        var owner = context.Owner;
        if (!Merchants.HasStore(session, owner.MerchantId, command.StoreId))
        {
            return DomainError.InvalidValue("storeId", $"'{command.StoreId}' is not a store of this merchant.");
        }

        if (command.PaymentDetails is { } payment
            && Merchants.RegionOf(session, owner.MerchantId).CheckPresented(
                "paymentDetails", payment.ChargeAmount, payment.TotalOrderAmount, payment.PresentmentCurrency) is { } notPresented)
        {
            return notPresented;
        }

        var created = CheckoutSession.Create(command, owner.MerchantId, owner.Environment, context.Ids, context.Now, context.Limits);
        return created.IsSuccess ? PaymentObjects.Persist(session, created.Value, owner) : created.Error;
    }

    public static Result<CheckoutSession> Update(IWriteSession session, in CommandContext context, string id, UpdateCheckoutSession command)
    {
        if (command.PaymentDetails is { } payment
            && Merchants.RegionOf(session, context.Owner.MerchantId).CheckPresented(
                "paymentDetails", payment.ChargeAmount, payment.TotalOrderAmount, payment.PresentmentCurrency) is { } notPresented)
        {
            return notPresented;
        }

        var current = PaymentObjects.LoadCheckoutSession(session, context.Owner, id, context.Now);
        if (current is null)
        {
            return DomainError.NotFound(What, id);
        }

        var updated = current.Update(command, context.Now, context.Limits, context.Simulation?.ReasonCode as CheckoutSessionReasonCode?);
        return updated.IsSuccess ? PaymentObjects.Persist(session, updated.Value, context.Owner) : updated.Error;
    }

    public static Result<CheckoutOutcome> Complete(
        IWriteSession session, in CommandContext context, string id, Money chargeAmount, Money? totalOrderAmount)
    {
        var current = PaymentObjects.LoadCheckoutSession(session, context.Owner, id, context.Now);
        return current is null
            ? DomainError.NotFound(What, id)
            : Save(session, context.Owner, CheckoutCompletion.Complete(
                current, chargeAmount, totalOrderAmount, context.Ids, context.Simulation, context.Now, context.Limits));
    }

    /// <summary>
    /// Finalize (the JS-only flow): the buyer approved on the hosted page but was never redirected, so processing
    /// (the instrument's outcome) happens here; a session that processing cancels is answered CheckoutSessionCanceled.
    /// </summary>
    public static Result<CheckoutOutcome> Finalize(IWriteSession session, in CommandContext context, string id, FinalizeCheckoutSession command)
    {
        var current = PaymentObjects.LoadCheckoutSession(session, context.Owner, id, context.Now);
        if (current is null)
        {
            return DomainError.NotFound(What, id);
        }

        if (current is { State: CheckoutSessionState.Open, BuyNow: true, Cart: null })
        {
            return new DomainError(ErrorCode.InvalidCheckoutSessionStatus, "The buyer has not been shown a cart in the Buy Now dialog yet.");
        }

        if (current is { State: CheckoutSessionState.Open, Processed: false, Selection: not null })
        {
            var processed = CheckoutCompletion.Agree(current, command).Process(context.Now);
            if (!processed.IsSuccess)
            {
                return processed.Error;
            }

            current = PaymentObjects.Persist(session, processed.Value, context.Owner);
        }
        else if (current is { State: CheckoutSessionState.Open, Selection: null })
        {
            return new DomainError(ErrorCode.InvalidCheckoutSessionStatus, "The buyer has not approved the payment on the hosted page yet.");
        }

        return Save(
            session, context.Owner, CheckoutCompletion.Finalize(current, command, context.Ids, context.Simulation, context.Now, context.Limits));
    }

    /// <summary>Saves a completion: the session, its new permission and maybe a charge, with their events.</summary>
    private static Result<CheckoutOutcome> Save(IWriteSession session, Owner owner, Result<CompletedCheckout> completed)
    {
        if (!completed.IsSuccess)
        {
            return completed.Error;
        }

        var result = completed.Value;
        session.Append(owner.MerchantId, owner.Environment, result.Events);
        session.Save(result.ChargePermission);
        if (result.Charge is not null)
        {
            session.Save(result.Charge);
        }

        return new CheckoutOutcome(session.Save(result.Session), result.IsPending);
    }
}
