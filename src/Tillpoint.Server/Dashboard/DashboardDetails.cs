using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.Refunds;
using Tillpoint.Server.Commands;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// One page per object: its fields and amounts as of now on its environment's business clock (as the API shows it),
/// its related objects as links, its actions and its timeline.
/// </summary>
internal static partial class DashboardEndpoints
{
    private static void MapDetails(RouteGroupBuilder pages)
    {
        pages.MapGet("/checkout-sessions/{merchantId}/{id}", CheckoutSessionPage);
        pages.MapGet("/charge-permissions/{merchantId}/{id}", ChargePermissionPage);
        pages.MapGet("/charges/{merchantId}/{id}", ChargePage);
        pages.MapGet("/refunds/{merchantId}/{id}", RefundPage);
    }

    private static IResult CheckoutSessionPage(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, string merchantId, string id)
    {
        var found = CurrentWithEvents(
            store, clocks, merchantId, id, reader => reader.GetCheckoutSession(merchantId, id)?.Environment, PaymentObjects.CurrentCheckoutSession);
        if (found is not { } page)
        {
            return NotFound(context, $"There is no checkout session '{id}' of merchant '{merchantId}'.");
        }

        var session = page.Current;
        return DetailPage(
            context,
            antiforgery,
            new ObjectCard(
                $"Checkout session {id}",
                "/dashboard/checkout-sessions",
                StateBadge(session.State.ToString()) + Reason(session.ReasonCode?.ToString(), session.ReasonDescription),
                merchantId,
                session.Environment),
            [
                ("Charge amount", Amount(session.PaymentDetails.ChargeAmount)),
                ("Payment intent", E(session.PaymentDetails.PaymentIntent?.ToString() ?? "—")),
                ("Merchant reference", E(session.MerchantMetadata.MerchantReferenceId ?? "—")),
                ("Created", E(Time(session.CreationTimestamp))),
                ("Expires", E(Time(session.ExpirationTimestamp))),
                ("Charge permission", session.ChargePermissionId is { } permission ? DetailLink(ObjectType.ChargePermission, merchantId, permission) : "—"),
                ("Charge", session.ChargeId is { } charge ? DetailLink(ObjectType.Charge, merchantId, charge) : "—"),
            ],
            actions: string.Empty,
            more: string.Empty,
            page.Events,
            "Events of this checkout session");
    }

    /// <summary>
    /// What the permission may still be charged: a one-time permission's limit and balance, or an agreement's
    /// (Recurring, PaymentMethodOnFile) cap per calendar month and what is left of it this month.
    /// </summary>
    private static IEnumerable<(string, string)> Limit(PaymentLedger ledger, DateTimeOffset now)
    {
        var permission = ledger.ChargePermission;
        if (!permission.HasMonthlyLimit)
        {
            return [("Amount limit", Amount(permission.AmountLimit)), ("Balance", $"<span id=\"amount-balance\">{Amount(ledger.AmountBalance)}</span>")];
        }

        var left = permission.AmountLimit - ledger.AmountChargedInMonth(now);
        return
        [
            ("Monthly cap", Amount(permission.AmountLimit)),
            ("Left this month", $"<span id=\"amount-left-this-month\">{Amount(left.Amount < 0m ? Money.Zero(left.Currency) : left)}</span>"),
        ];
    }

    private static IResult ChargePermissionPage(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, string merchantId, string id)
    {
        var found = CurrentWithEvents(
            store, clocks, merchantId, id, reader => reader.GetChargePermission(merchantId, id)?.Environment, PaymentObjects.CurrentLedger);
        if (found is not { } page)
        {
            return NotFound(context, $"There is no charge permission '{id}' of merchant '{merchantId}'.");
        }

        var ledger = page.Current;
        var permission = ledger.ChargePermission;
        var currency = permission.AmountLimit.Currency;
        var refunded = ledger.Refunds.Where(r => r.State == RefundState.Refunded).Aggregate(Money.Zero(currency), (sum, r) => sum + r.RefundAmount);
        var actions = permission.State == ChargePermissionState.Closed
            ? string.Empty
            : $"<div class=\"actions\"><a class=\"button secondary\" id=\"action-close\" href=\"{DetailPath(ObjectType.ChargePermission, merchantId, id)}/close\">Close charge permission…</a></div>";
        return DetailPage(
            context,
            antiforgery,
            new ObjectCard(
                $"Charge permission {id}",
                "/dashboard/charge-permissions",
                StateBadge(permission.State.ToString()) + string.Concat(permission.Reasons.Select(r => Reason(r.ReasonCode.ToString(), r.ReasonDescription))),
                merchantId,
                permission.Environment),
            [
                ("Type", E(permission.ChargePermissionType.ToString())),
                .. Limit(ledger, clocks.Now(permission.Environment)),
                ("Charged", Amount(ledger.AmountCharged)),
                ("Refunded", Amount(refunded)),
                ("Buyer", E($"{permission.Buyer.Name} <{permission.Buyer.Email}>")),
                ("Payment method", E(permission.PaymentDescriptor)),
                ("Merchant reference", E(permission.MerchantMetadata.MerchantReferenceId ?? "—")),
                ("Closure reason", E(permission.ClosureReason ?? "—")),
                ("Created", E(Time(permission.CreationTimestamp))),
                ("Expires", E(Time(permission.ExpirationTimestamp))),
                // A permission made by an in-store scan has no checkout session.
                ("Checkout session", permission.CheckoutSessionId.Length == 0
                    ? "In-store scan"
                    : DetailLink(ObjectType.CheckoutSession, merchantId, permission.CheckoutSessionId)),
            ],
            actions,
            "<h2>Charges</h2>"
            + Table(
                "Charges of this permission",
                ["Charge", "State", "Amount", "Captured", "Refunded", "Created"],
                ledger.Charges.Select(c => (IReadOnlyList<string>)
                [
                    DetailLink(ObjectType.Charge, merchantId, c.ChargeId), StateBadge(c.State.ToString()), Amount(c.ChargeAmount),
                    Amount(c.CaptureAmount), Amount(c.RefundedAmount), E(Time(c.CreationTimestamp)),
                ]),
                "charges",
                "No charges yet.")
            + "<h2>Refunds</h2>"
            + RefundTable(merchantId, ledger.Refunds)
            + "<h2>Disputes</h2>"
            + DisputeTable(merchantId, ledger.Disputes),
            page.Events,
            "Events of this permission, its charges and refunds");
    }

    private static IResult ChargePage(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, string merchantId, string id)
    {
        var found = store.Read<(PaymentLedger Ledger, IReadOnlyList<StoredEvent> Events)?>(reader =>
        {
            var stored = reader.GetCharge(merchantId, id);
            if (stored is null)
            {
                return null;
            }

            var ledger = PaymentObjects.CurrentLedger(reader, new Owner(merchantId, stored.Environment), stored.ChargePermissionId, clocks.Now(stored.Environment))!;
            // The charge's timeline includes its refunds' and disputes' events: they change what it shows (the refunded
            // amount, what its disputes hold).
            var events = ledger.RefundsOf(id).Select(refund => refund.RefundId).Concat(ledger.DisputesOf(id).Select(dispute => dispute.DisputeId))
                .SelectMany(objectId => reader.GetEvents(merchantId, objectId))
                .Concat(reader.GetEvents(merchantId, id))
                .OrderBy(e => e.EventId)
                .ToList();
            return (Ledger: ledger, Events: events);
        });
        if (found is not { } page)
        {
            return NotFound(context, $"There is no charge '{id}' of merchant '{merchantId}'.");
        }

        var charge = page.Ledger.FindCharge(id)!;
        var refunds = page.Ledger.RefundsOf(id).ToList();
        var actions = ChargeActions(charge).Select(action =>
            $"<a class=\"button secondary\" id=\"action-{action.ToLowerInvariant()}\" href=\"{DetailPath(ObjectType.Charge, merchantId, id)}/{action.ToLowerInvariant()}\">{E(action)}…</a>");
        Money? balance = charge.CaptureAmount is { } captured ? captured - charge.RefundedAmount : null;
        return DetailPage(
            context,
            antiforgery,
            new ObjectCard(
                $"Charge {id}",
                "/dashboard/charges",
                $"<span id=\"charge-state\">{StateBadge(charge.State.ToString())}</span>" + Reason(charge.ReasonCode?.ToString(), charge.ReasonDescription),
                merchantId,
                charge.Environment),
            [
                ("Authorized", $"<span id=\"amount-authorized\">{Amount(charge.ChargeAmount)}</span>"),
                ("Captured", $"<span id=\"amount-captured\">{Amount(charge.CaptureAmount)}</span>"),
                ("Refunded", $"<span id=\"amount-refunded\">{Amount(charge.RefundedAmount)}</span>"),
                ("Balance", $"<span id=\"amount-balance\">{Amount(balance)}</span>"),
                ("Merchant reference", E(charge.MerchantMetadata?.MerchantReferenceId ?? "—")),
                ("Soft descriptor", E(charge.SoftDescriptor ?? "—")),
                ("Created", E(Time(charge.CreationTimestamp))),
                ("Authorization expires", E(Time(charge.ExpirationTimestamp))),
                ("Charge permission", DetailLink(ObjectType.ChargePermission, merchantId, charge.ChargePermissionId)),
            ],
            actions.Any() ? $"<div class=\"actions\">{string.Concat(actions)}</div>" : string.Empty,
            "<h2>Refunds</h2>" + RefundTable(merchantId, refunds) + "<h2>Disputes</h2>" + DisputeTable(merchantId, page.Ledger.DisputesOf(id)),
            page.Events,
            "Events of this charge, its refunds and disputes");
    }

    private static IResult RefundPage(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, string merchantId, string id)
    {
        var found = CurrentWithEvents(store, clocks, merchantId, id, reader => reader.GetRefund(merchantId, id)?.Environment, PaymentObjects.CurrentRefund);
        if (found is not { } page)
        {
            return NotFound(context, $"There is no refund '{id}' of merchant '{merchantId}'.");
        }

        var refund = page.Current;
        return DetailPage(
            context,
            antiforgery,
            new ObjectCard(
                $"Refund {id}",
                "/dashboard/refunds",
                StateBadge(refund.State.ToString()) + Reason(refund.ReasonCode?.ToString(), refund.ReasonDescription),
                merchantId,
                refund.Environment),
            [
                ("Amount", $"<span id=\"amount-refund\">{Amount(refund.RefundAmount)}</span>"),
                ("Soft descriptor", E(refund.SoftDescriptor ?? "—")),
                ("Created", E(Time(refund.CreationTimestamp))),
                ("Charge", DetailLink(ObjectType.Charge, merchantId, refund.ChargeId)),
                ("Charge permission", DetailLink(ObjectType.ChargePermission, merchantId, refund.ChargePermissionId)),
            ],
            actions: string.Empty,
            more: string.Empty,
            page.Events,
            "Events of this refund");
    }

    /// <summary>
    /// The object <paramref name="id"/> as the API shows it (as of now on its environment's business clock, found where
    /// <paramref name="environmentOf"/> says it is stored), with its own events; null when the merchant has no such object.
    /// </summary>
    private static (T Current, IReadOnlyList<StoredEvent> Events)? CurrentWithEvents<T>(
        ITillpointStore store,
        BusinessClocks clocks,
        string merchantId,
        string id,
        Func<IStoreReader, ReleaseEnvironment?> environmentOf,
        Func<IStoreReader, Owner, string, DateTimeOffset, T?> current)
        where T : class =>
        store.Read<(T, IReadOnlyList<StoredEvent>)?>(reader => environmentOf(reader) is { } environment
            ? (current(reader, new Owner(merchantId, environment), id, clocks.Now(environment))!, reader.GetEvents(merchantId, id))
            : null);

    /// <summary>
    /// The frame every object page shares: the notice of the last action or why it was refused, a card of the object's
    /// fields (its state, merchant and environment first) and what may be done to it, what the page shows besides, and
    /// the timeline.
    /// </summary>
    private static IResult DetailPage(
        HttpContext context, IAntiforgery antiforgery, ObjectCard card, (string Label, string ValueHtml)[] fields, string actions, string more,
        IReadOnlyList<StoredEvent> events, string timelineCaption, string? error = null, int status = StatusCodes.Status200OK) => Page(
            status,
            card.Heading,
            Notice(context)
            + Alert(error)
            + "<div class=\"card\">"
            + Fields(
            [
                ("State", card.StateHtml),
                ("Merchant", $"<span class=\"id\">{E(card.MerchantId)}</span>"),
                ("Environment", E(card.Environment.ToString())),
                .. fields,
            ])
            + actions
            + "</div>"
            + more
            + "<h2>Timeline</h2>"
            + EventTable(events, timelineCaption, showMerchant: false),
            card.Section,
            antiforgery.GetAndStoreTokens(context));

    /// <summary>What heads an object's page: its title, its navigation section, its state (HTML), whose it is and where.</summary>
    private sealed record ObjectCard(string Heading, string Section, string StateHtml, string MerchantId, ReleaseEnvironment Environment);

    /// <summary>What may be done to a charge in its state (the domain checks again when it is done).</summary>
    private static IEnumerable<string> ChargeActions(Charge charge) => charge.State switch
    {
        ChargeState.AuthorizationInitiated => ["Cancel"],
        ChargeState.Authorized => ["Capture", "Cancel"],
        // The operator opens disputes in Sandbox only, as the sandbox's buyer bank.
        ChargeState.Captured => charge.Environment == ReleaseEnvironment.Sandbox ? ["Refund", "Dispute"] : ["Refund"],
        ChargeState.CaptureInitiated or ChargeState.Canceled or ChargeState.Declined => [],
    };

    private static string RefundTable(string merchantId, IEnumerable<Refund> refunds) => Table(
        "Refunds",
        ["Refund", "State", "Amount", "Charge", "Created"],
        refunds.Select(r => (IReadOnlyList<string>)
        [
            DetailLink(ObjectType.Refund, merchantId, r.RefundId), StateBadge(r.State.ToString()), Amount(r.RefundAmount),
            DetailLink(ObjectType.Charge, merchantId, r.ChargeId), E(Time(r.CreationTimestamp)),
        ]),
        "refunds",
        "No refunds.");

    private static string Reason(string? code, string? description) =>
        code is null ? string.Empty : $" <span class=\"muted\">{E(code)}{(description is null ? string.Empty : ": " + E(description))}</span>";

    /// <summary>The message an action left for the page it returned to (a fixed set, so nothing from the URL is echoed).</summary>
    private static string Notice(HttpContext context) => context.Request.Query["done"].ToString() switch
    {
        "captured" => DashboardLayout.Notice("The charge was captured."),
        "canceled" => DashboardLayout.Notice("The charge was canceled."),
        "refunded" => DashboardLayout.Notice("The refund was created."),
        "closed" => DashboardLayout.Notice("The charge permission was closed."),
        "revoked" => DashboardLayout.Notice("The key was revoked."),
        "ipn-added" => DashboardLayout.Notice("The IPN endpoint was added: notifications raised from now on are sent to it."),
        "ipn-removed" => DashboardLayout.Notice("The IPN endpoint was removed."),
        "role-granted" => DashboardLayout.Notice("The role was granted."),
        "role-revoked" => DashboardLayout.Notice("The role was revoked."),
        "throttling-set" => DashboardLayout.Notice("The throttling was set: running servers follow within a second."),
        "dispute-opened" => DashboardLayout.Notice("The dispute was opened: ActionRequired, and a CHARGEBACK notification was raised."),
        "dispute-moved" => DashboardLayout.Notice("The dispute was moved on."),
        "dispute-contested" => DashboardLayout.Notice("The evidence was sent: the dispute is under review."),
        "report-requested" => DashboardLayout.Notice("The report was requested: it is listed as IN_PROGRESS until the server has built it."),
        _ => string.Empty,
    };
}
