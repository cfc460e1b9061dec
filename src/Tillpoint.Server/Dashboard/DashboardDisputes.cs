using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Disputes;
using Tillpoint.Server.Checkout;
using Tillpoint.Server.Commands;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// Disputes: their list (the other lists' filters, with each dispute's reason, charge and deadline), a dispute's page,
/// and the sandbox's operator actions of <c>tillpoint disputes open|act</c> (open a chargeback from a captured charge's
/// page, move a dispute on as its investigator, buyer or merchant), through the same <see cref="DisputeCommands"/>.
/// </summary>
internal static partial class DashboardEndpoints
{
    /// <summary>The columns of a dispute in every table of disputes, after its id (and, in the list, its merchant and environment).</summary>
    private static readonly string[] DisputeColumns = ["State", "Reason", "Amount", "Charge", "Respond by", "Created"];

    private static void MapDisputes(RouteGroupBuilder pages)
    {
        pages.MapGet("/disputes/{merchantId}/{id}", (HttpContext c, ITillpointStore s, BusinessClocks k, IAntiforgery a, ServerOptions o, string merchantId, string id) =>
            DisputePage(c, s, k, a, o, merchantId, id, null, StatusCodes.Status200OK));
        pages.MapPost("/disputes/{merchantId}/{id}/act", ActOnDisputeAsync);
        pages.MapPost("/disputes/{merchantId}/{id}/contest", ContestDisputeAsync);
        pages.MapGet("/charges/{merchantId}/{id}/dispute", (HttpContext c, ITillpointStore s, BusinessClocks k, IAntiforgery a, string merchantId, string id) =>
            ConfirmOpenDispute(c, s, k, a, merchantId, id, null, StatusCodes.Status200OK));
        pages.MapPost("/charges/{merchantId}/{id}/dispute", OpenDisputeAsync);
    }

    /// <summary>
    /// The rows of a page of disputes. The reason, charge and deadline are in the dispute's document, not in the listed
    /// columns: a page reads at most <see cref="IStoreBrowsing.MaxPageSize"/> documents, each by its key.
    /// </summary>
    private static List<IReadOnlyList<string>> DisputeListRows(IStoreReader reader, BrowsePage page) =>
    [
        .. page.Rows.Select(row => (IReadOnlyList<string>)
        [
            DetailLink(ObjectType.Dispute, row.MerchantId, row.ObjectId),
            $"<span class=\"id\">{E(row.MerchantId)}</span>",
            E(row.Environment.ToString()),
            .. DisputeCells(reader.GetDispute(row.MerchantId, row.ObjectId)!),
        ]),
    ];

    private static IEnumerable<string> DisputeCells(Dispute dispute) =>
    [
        StateBadge(dispute.State.ToString()) + (dispute.Resolution is { } resolution ? $" <span class=\"muted\">{E(resolution.ToString())}</span>" : string.Empty),
        E(dispute.FilingReason.ToString()),
        Amount(dispute.DisputeAmount),
        DetailLink(ObjectType.Charge, dispute.MerchantId, dispute.ChargeId),
        dispute.IsOpen ? E(Time(dispute.MerchantResponseDeadline)) : "—",
        E(Time(dispute.CreationTimestamp)),
    ];

    private static IResult DisputePage(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, ServerOptions options, string merchantId, string id,
        string? error, int status)
    {
        var found = store.Read<(PaymentLedger Ledger, IReadOnlyList<StoredEvent> Events, IReadOnlyList<EvidenceFile?> Files)?>(reader =>
        {
            var stored = reader.GetDispute(merchantId, id);
            if (stored is null)
            {
                return null;
            }

            // The dispute as of now (its deadline applied) and the charge it belongs to, from their ledger.
            var ledger = PaymentObjects.CurrentLedger(reader, new Owner(merchantId, stored.Environment), stored.ChargePermissionId, clocks.Now(stored.Environment))!;
            var files = stored.MerchantEvidences.Select(evidence => evidence.FileId is { } fileId ? reader.GetEvidenceFile(merchantId, fileId) : null).ToList();
            return (ledger, reader.GetEvents(merchantId, id), files);
        });
        if (found is not { } page)
        {
            return NotFound(context, $"There is no dispute '{id}' of merchant '{merchantId}'.");
        }

        var dispute = page.Ledger.FindDispute(id)!;
        var charge = page.Ledger.FindCharge(dispute.ChargeId)!;
        var tokens = antiforgery.GetAndStoreTokens(context);
        var evidence = Table(
            "Evidence the merchant sent (Contest Dispute)",
            ["Type", "File", "Text"],
            dispute.MerchantEvidences.Select((e, i) => (IReadOnlyList<string>)
            [
                E(e.EvidenceType.ToString()),
                e.FileId is { } fileId ? $"<span class=\"id\">{E(fileId)}</span> <span class=\"muted\">{E(FileStatus(page.Files[i]))}</span>" : "—",
                E(e.EvidenceText ?? "—"),
            ]),
            "evidence",
            "No evidence yet.");
        return DetailPage(
            context,
            antiforgery,
            new ObjectCard(
                $"Dispute {id}",
                "/dashboard/disputes",
                $"<span id=\"dispute-state\">{StateBadge(dispute.State.ToString())}</span>"
                    + (dispute.Resolution is { } resolution ? $" <span id=\"dispute-resolution\">{E(resolution.ToString())}</span>" : string.Empty)
                    + Reason(dispute.ReasonCode?.ToString(), dispute.ReasonDescription),
                merchantId,
                dispute.Environment),
            [
                ("Disputed", $"<span id=\"amount-disputed\">{Amount(dispute.DisputeAmount)}</span>"),
                ("Held from the charge's refunds", $"<span id=\"amount-held\">{Amount(dispute.AmountHeld(options.Limits))}</span>"),
                ("Filing reason", E(dispute.FilingReason.ToString())),
                ("Filed", E(Time(dispute.FilingTimestamp))),
                ("Respond by", $"<span id=\"dispute-deadline\">{E(Time(dispute.MerchantResponseDeadline))}</span>"),
                ("Closed", E(Time(dispute.ClosureTimestamp))),
                ("Reported by", E(dispute.ProviderDisputeId is { } provider ? $"a payment service provider (its id {provider})" : "Amazon Pay")),
                ("Charge", DetailLink(ObjectType.Charge, merchantId, charge.ChargeId)
                    + $" <span class=\"muted\">captured {Amount(charge.CaptureAmount)}, refunded {Amount(charge.RefundedAmount)}</span>"),
                ("Charge permission", DetailLink(ObjectType.ChargePermission, merchantId, dispute.ChargePermissionId)),
            ],
            ContestForm(context, tokens, dispute) + DisputeActions(context, tokens, dispute),
            "<h2>Evidence</h2>" + evidence,
            page.Events,
            "Events of this dispute",
            error,
            status);
    }

    private static string FileStatus(EvidenceFile? file) => file switch
    {
        null => "(not a file Tillpoint issued)",
        { UploadedAt: { } at } => $"{file.Type}, {file.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes, uploaded {Time(at)}",
        _ => $"{file.Type}, not uploaded",
    };

    /// <summary>
    /// The forms of the actions the dispute's state allows (the domain checks again when one is posted). Only Sandbox
    /// disputes: in Live the buyer's side and Amazon decide.
    /// </summary>
    private static string DisputeActions(HttpContext context, AntiforgeryTokenSet tokens, Dispute dispute)
    {
        if (dispute.Environment != ReleaseEnvironment.Sandbox)
        {
            return string.Empty;
        }

        IReadOnlyList<SandboxDisputeAction> allowed = dispute.State switch
        {
            DisputeState.ActionRequired => [SandboxDisputeAction.Accept, SandboxDisputeAction.Withdraw],
            DisputeState.UnderReview => [SandboxDisputeAction.Decide, SandboxDisputeAction.RequestEvidence, SandboxDisputeAction.Withdraw],
            DisputeState.Resolved or DisputeState.Closed => [],
        };
        if (allowed.Count == 0)
        {
            return string.Empty;
        }

        var action = $"{DetailPath(ObjectType.Dispute, dispute.MerchantId, dispute.DisputeId)}/act";
        var forms = new StringBuilder("<h2>Sandbox: move the dispute on</h2><div class=\"grid\">");
        foreach (var chosen in allowed)
        {
            var (button, explanation) = chosen switch
            {
                SandboxDisputeAction.Decide => ("Decide", "The investigator decides: Resolved, for whom you choose."),
                SandboxDisputeAction.RequestEvidence => ("Request evidence", "The investigator asks the merchant for more: ActionRequired, with a new response window."),
                SandboxDisputeAction.Withdraw => ("Withdraw", "The buyer withdraws the dispute: Closed, MerchantWon."),
                SandboxDisputeAction.Accept => ("Accept", "The merchant accepts the buyer's claim: Resolved, BuyerWon."),
            };
            var resolutions = chosen == SandboxDisputeAction.Decide
                ? $"<label for=\"resolution\">Resolution</label><select id=\"resolution\" name=\"resolution\">{string.Concat(Enum.GetNames<DisputeResolution>().Select(name => $"<option>{E(name)}</option>"))}</select>"
                : string.Empty;
            forms.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="{action}" class="card" id="act-{E(chosen.ToString().ToLowerInvariant())}" aria-label="{E(button)}">
                  {TokenField(tokens)}
                  <input type="hidden" name="{FormKeyField}" value="{E(FormKey(context))}">
                  <input type="hidden" name="action" value="{E(chosen.ToString())}">
                  <p class="muted">{E(explanation)}</p>
                  {resolutions}
                  <div class="actions"><button type="submit" class="secondary">{E(button)}</button></div>
                </form>
                """);
        }

        return forms.Append("</div>").ToString();
    }

    /// <summary>
    /// The merchant's own answer while it is asked for one: Contest Dispute with one piece of written evidence, as the API
    /// takes it (files are uploaded through the API's Upload File, then cited there).
    /// </summary>
    private static string ContestForm(HttpContext context, AntiforgeryTokenSet tokens, Dispute dispute)
    {
        if (dispute.State != DisputeState.ActionRequired)
        {
            return string.Empty;
        }

        var types = string.Concat(Enum.GetNames<EvidenceType>().Select(name => $"<option>{E(name)}</option>"));
        return $"""
            <h2>Contest</h2>
            <form method="post" action="{DetailPath(ObjectType.Dispute, dispute.MerchantId, dispute.DisputeId)}/contest" class="card" id="contest" aria-label="Contest">
              {TokenField(tokens)}
              <input type="hidden" name="{FormKeyField}" value="{E(FormKey(context))}">
              <p class="muted">Sends the merchant's evidence as Contest Dispute does, before the response deadline: the dispute moves to UnderReview.</p>
              <label for="evidenceType">Evidence</label>
              <select id="evidenceType" name="evidenceType">{types}</select>
              <label for="evidenceText">Text (a tracking number, a description)</label>
              <textarea id="evidenceText" name="evidenceText" rows="3"></textarea>
              <div class="actions"><button type="submit">Contest</button></div>
            </form>
            """;
    }

    private static Task<IResult> ContestDisputeAsync(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, ServerOptions options, string merchantId, string id) =>
        OnDisputeAsync(context, store, clocks, antiforgery, options, merchantId, id, "dispute-contested", "Not contested", (_, form) =>
        {
            var type = ParseName<EvidenceType>(form["evidenceType"].ToString());
            var text = form["evidenceText"].ToString().Trim();
            var max = options.Limits.EvidenceTextMaxLength;
            if (type is null || text.Length == 0 || text.Length > max)
            {
                return DisputeFormAction.Refused(
                    type is null ? $"choose the evidence, one of {string.Join(", ", Enum.GetNames<EvidenceType>())}."
                    : text.Length == 0 ? "write the evidence (a tracking number, a description)."
                    : $"the text may be at most {max} characters.");
            }

            var evidence = new MerchantEvidence(type.Value, null, text);
            return new DisputeFormAction(null, "contest", (session, command) => DisputeCommands.Contest(session, command, id, [evidence]).Error);
        });

    private static Task<IResult> ActOnDisputeAsync(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, ServerOptions options, string merchantId, string id) =>
        OnDisputeAsync(context, store, clocks, antiforgery, options, merchantId, id, "dispute-moved", "Not done", (stored, form) =>
        {
            var action = ParseName<SandboxDisputeAction>(form["action"].ToString());
            var resolutionText = form["resolution"].ToString();
            var resolution = ParseName<DisputeResolution>(resolutionText);
            var refusal = stored.Environment != ReleaseEnvironment.Sandbox ? "the operator moves Sandbox disputes only."
                : action is null ? $"the action must be one of {string.Join(", ", Enum.GetNames<SandboxDisputeAction>())}."
                : action == SandboxDisputeAction.Decide && resolution is null ? $"choose the resolution, one of {string.Join(", ", Enum.GetNames<DisputeResolution>())}."
                : action != SandboxDisputeAction.Decide && resolutionText.Length > 0 ? "a resolution goes with Decide only."
                : null;
            return refusal is not null
                ? DisputeFormAction.Refused(refusal)
                : new DisputeFormAction(null, action!.Value.ToString(), (session, command) => DisputeCommands.Act(session, command, id, action.Value, resolution).Error);
        });

    /// <summary>
    /// A form posted on a dispute's page. <paramref name="read"/> checks the form against the stored dispute: a refusal is
    /// shown on the page and changes nothing; otherwise its use case runs once per form (its key in the idempotency
    /// table), and the page is shown again with <paramref name="done"/>'s notice or with the refusal of the domain.
    /// </summary>
    private static async Task<IResult> OnDisputeAsync(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, ServerOptions options, string merchantId, string id,
        string done, string notDone, Func<Dispute, IFormCollection, DisputeFormAction> read)
    {
        var stored = store.Read(reader => reader.GetDispute(merchantId, id));
        if (stored is null)
        {
            return NotFound(context, $"There is no dispute '{id}' of merchant '{merchantId}'.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var action = read(stored, form);
        if (action.Run is not { } run)
        {
            return DisputePage(context, store, clocks, antiforgery, options, merchantId, id, $"{notDone}: {action.Refusal}", StatusCodes.Status400BadRequest);
        }

        var owner = new Owner(merchantId, stored.Environment);
        var command = new CommandContext(owner, clocks.Now(stored.Environment), options.Limits, null, context.RequestServices.GetRequiredService<Domain.IIdGenerator>());
        var error = await RunOnceAsync(context, form, store, owner, $"disputes/{id}/{action.Key}", session => run(session, command));
        return error is null
            ? HostedPage.SeeOther($"{DetailPath(ObjectType.Dispute, merchantId, id)}?done={done}")
            : DisputePage(context, store, clocks, antiforgery, options, merchantId, id, $"{notDone}: {error.Message}", StatusForRefusal(error));
    }

    /// <summary>What a form posted on a dispute's page asks for: a refusal to show, or the use case to run under its key.</summary>
    private readonly record struct DisputeFormAction(string? Refusal, string Key, Func<IWriteSession, CommandContext, DomainError?>? Run)
    {
        public static DisputeFormAction Refused(string why) => new(why, string.Empty, null);
    }

    private static IResult ConfirmOpenDispute(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, string merchantId, string id, string? error, int status) =>
        ConfirmOnCharge(context, store, clocks, antiforgery, merchantId, id, error, status, charge =>
        {
            var posted = context.Request.HasFormContentType ? context.Request.Form : null;
            var reason = posted?["reason"].ToString() is { Length: > 0 } r ? r : nameof(DisputeFilingReason.Fraudulent);
            var reasons = string.Concat(Enum.GetNames<DisputeFilingReason>().Select(name =>
                $"<option{(name == reason ? " selected" : string.Empty)}>{E(name)}</option>"));
            return new ChargeConfirmation(
                $"Open a dispute on charge {id}?",
                "Opens a chargeback as the buyer's bank would in Sandbox: ActionRequired, with the response window from the sandbox clock's now, "
                    + "and a CHARGEBACK notification.",
                "dispute",
                $"""
                <label for="amount">Amount ({E(charge.ChargeAmount.Currency.ToString())}; empty: the whole capture)</label>
                <input id="amount" name="amount" inputmode="decimal" value="{E(posted?["amount"].ToString())}" placeholder="{E(charge.CaptureAmount?.ToAmountString())}">
                <label for="reason">Filing reason</label>
                <select id="reason" name="reason">{reasons}</select>
                """,
                "Open dispute",
                Danger: false);
        });

    private static async Task<IResult> OpenDisputeAsync(
        HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery, ServerOptions options, string merchantId, string id)
    {
        var stored = store.Read(reader => reader.GetCharge(merchantId, id));
        if (stored is null)
        {
            return NotFound(context, $"There is no charge '{id}' of merchant '{merchantId}'.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var currency = stored.ChargeAmount.Currency;
        var text = form["amount"].ToString().Trim();
        Money? amount = null;
        if (text.Length > 0)
        {
            if (!Money.TryParse(text, currency, out var parsed) || !parsed.IsPositive)
            {
                return ConfirmOpenDispute(
                    context, store, clocks, antiforgery, merchantId, id,
                    $"Enter a positive amount in {currency} with at most {Currencies.Scale(currency)} decimals, or nothing for the whole capture.",
                    StatusCodes.Status400BadRequest);
            }

            amount = parsed;
        }

        if (ParseName<DisputeFilingReason>(form["reason"].ToString()) is not { } reason)
        {
            return ConfirmOpenDispute(
                context, store, clocks, antiforgery, merchantId, id,
                $"Choose the filing reason, one of {string.Join(", ", Enum.GetNames<DisputeFilingReason>())}.",
                StatusCodes.Status400BadRequest);
        }

        var owner = new Owner(merchantId, stored.Environment);
        var command = new CommandContext(owner, clocks.Now(stored.Environment), options.Limits, null, context.RequestServices.GetRequiredService<Domain.IIdGenerator>());
        Dispute? opened = null;
        var error = await RunOnceAsync(context, form, store, owner, $"charges/{id}/dispute", session =>
        {
            var result = DisputeCommands.OpenInSandbox(session, command, id, amount, reason);
            opened = result.IsSuccess ? result.Value : null;
            return result.IsSuccess ? null : result.Error;
        });
        if (error is not null)
        {
            return ConfirmOpenDispute(context, store, clocks, antiforgery, merchantId, id, $"Not opened: {error.Message}", StatusForRefusal(error));
        }

        // A form posted twice opened its dispute the first time: the second goes back to the charge, which lists it.
        return HostedPage.SeeOther(opened is null
            ? $"{DetailPath(ObjectType.Charge, merchantId, id)}?done=dispute-opened"
            : $"{DetailPath(ObjectType.Dispute, merchantId, opened.DisputeId)}?done=dispute-opened");
    }

    private static string DisputeTable(string merchantId, IEnumerable<Dispute> disputes) => Table(
        "Disputes",
        ["Dispute", .. DisputeColumns],
        disputes.Select(d => (IReadOnlyList<string>)[DetailLink(ObjectType.Dispute, merchantId, d.DisputeId), .. DisputeCells(d)]),
        "disputes",
        "No disputes.");

    /// <summary>Exactly one of <typeparamref name="T"/>'s names (Enum.TryParse would also take "1" or "A,B"), else null.</summary>
    private static T? ParseName<T>(string text)
        where T : struct, Enum =>
        Enum.GetNames<T>().Contains(text, StringComparer.Ordinal) ? Enum.Parse<T>(text) : null;
}
