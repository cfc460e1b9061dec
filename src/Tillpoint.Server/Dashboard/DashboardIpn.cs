using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Server.Checkout;
using Tillpoint.Server.Ipn;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// Instant Payment Notifications: a merchant's endpoints (on the merchants page), the delivery log with each
/// delivery's attempts, and redelivery. All of it goes through <see cref="IpnAdministration"/>, as the CLI does.
/// </summary>
internal static partial class DashboardEndpoints
{
    private const string DeliveriesPath = "/dashboard/ipn";

    /// <summary>Longer URLs are refused rather than stored: no receiver needs one.</summary>
    private const int MaxIpnUrlLength = 2048;

    private static readonly string[] DeliveryTextFilters = ["merchant", "notification", "before"];

    private static void MapIpn(RouteGroupBuilder pages)
    {
        pages.MapGet("/ipn", Deliveries);
        pages.MapGet("/ipn/{deliveryId}", (HttpContext c, IpnAdministration a, IAntiforgery f, string deliveryId) => Delivery(c, a, f, deliveryId, null, null));
        pages.MapGet("/ipn/{deliveryId}/redeliver", ConfirmRedeliver);
        pages.MapPost("/ipn/{deliveryId}/redeliver", RedeliverAsync);
        pages.MapPost("/merchants/{merchantId}/ipn-endpoints", AddIpnEndpointAsync);
        pages.MapGet("/merchants/{merchantId}/ipn-endpoints/remove", (HttpContext c, IpnAdministration a, IAntiforgery f, string merchantId, string? environment, string? url) =>
            ConfirmRemoveIpnEndpoint(c, a, f, merchantId, environment, url));
        // The endpoint is named in the query string, on the confirmation page's link and on its form alike.
        pages.MapPost("/merchants/{merchantId}/ipn-endpoints/remove", RemoveIpnEndpointAsync);
    }

    /// <summary>The merchant's endpoints per environment, each removable, and a form to add one.</summary>
    private static string IpnEndpointsSection(MerchantView view)
    {
        var merchantId = view.Merchant.MerchantId;
        var endpoints = view.Reader.ListIpnEndpoints(merchantId, null);
        var table = Table(
            $"IPN endpoints of {view.Merchant.Name}",
            ["Environment", "URL", "Added", ""],
            endpoints.Select(endpoint => (IReadOnlyList<string>)
            [
                E(endpoint.Environment.ToString()),
                $"<span class=\"id\">{E(endpoint.Url)}</span>",
                E(Time(endpoint.CreatedAt)),
                $"<a href=\"/dashboard/merchants/{Url(merchantId)}/ipn-endpoints/remove?environment={Url(endpoint.Environment.ToString())}&amp;url={Url(endpoint.Url)}\">Remove…</a>",
            ]),
            $"ipn-endpoints-{merchantId}",
            "No IPN endpoints: this merchant's notifications are recorded but sent nowhere.");
        return $"""
            <h3>IPN endpoints</h3>
            {table}
            <form method="post" action="/dashboard/merchants/{Url(merchantId)}/ipn-endpoints" class="filters" id="add-ipn-endpoint-{E(merchantId)}" aria-label="Add an IPN endpoint">
              {TokenField(view.Tokens)}
              <div><label for="ipn-environment-{E(merchantId)}">Environment</label><select id="ipn-environment-{E(merchantId)}" name="environment"><option>Sandbox</option><option>Live</option></select></div>
              <div><label for="ipn-url-{E(merchantId)}">URL</label><input id="ipn-url-{E(merchantId)}" name="url" type="url" required placeholder="https://shop.example.com/amazon-pay/ipn"></div>
              <div class="actions"><button type="submit">Add endpoint</button> <a class="button secondary" href="{DeliveriesPath}?merchant={Url(merchantId)}">Delivery log</a></div>
            </form>
            """;
    }

    private static async Task<IResult> AddIpnEndpointAsync(
        HttpContext context, IpnAdministration administration, ITillpointStore store, IAntiforgery antiforgery, string merchantId)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var url = form["url"].ToString().Trim();
        var refusal = ParseEnvironmentName(form["environment"].ToString()) is not { } environment
            ? "Not added: the environment must be Sandbox or Live."
            : url.Length is 0 or > MaxIpnUrlLength
                ? $"Not added: enter the endpoint's URL, at most {MaxIpnUrlLength} characters."
                : await administration.AddEndpointAsync(merchantId, environment, url, context.RequestAborted) is { IsSuccess: false } added
                    ? $"Not added: {added.Error!.Message}"
                    : null;
        return refusal is null
            ? HostedPage.SeeOther($"/dashboard/merchants?done=ipn-added#merchant-{Url(merchantId)}")
            : MerchantsPage(context, store, antiforgery, refusal, StatusCodes.Status400BadRequest);
    }

    private static IResult ConfirmRemoveIpnEndpoint(
        HttpContext context, IpnAdministration administration, IAntiforgery antiforgery, string merchantId, string? environmentName, string? url)
    {
        if (ParseEnvironmentName(environmentName) is not { } environment || url is null
            || !administration.ListEndpoints(merchantId, environment).Any(e => e.Url == url))
        {
            return NotFound(context, $"Merchant '{merchantId}' has no such IPN endpoint.");
        }

        return ConfirmPage(
            StatusCodes.Status200OK,
            new Confirmation(
                "Remove IPN endpoint?",
                """
                Notifications raised from now on are not sent to this URL. Deliveries to it that are still pending wait, and
                go out if the same URL is added again.
                """,
                Fields(("Merchant", $"<span class=\"id\">{E(merchantId)}</span>"), ("Environment", E(environment.ToString())), ("URL", $"<span class=\"id\">{E(url)}</span>")),
                $"/dashboard/merchants/{Url(merchantId)}/ipn-endpoints/remove?environment={Url(environment.ToString())}&amp;url={Url(url)}",
                "Remove",
                Danger: true,
                "/dashboard/merchants"),
            error: null,
            "/dashboard/merchants",
            antiforgery.GetAndStoreTokens(context));
    }

    private static async Task<IResult> RemoveIpnEndpointAsync(
        HttpContext context, IpnAdministration administration, string merchantId, string? environment, string? url)
    {
        if (ParseEnvironmentName(environment) is not { } parsed || url is null)
        {
            return NotFound(context, $"Merchant '{merchantId}' has no such IPN endpoint.");
        }

        // Removing twice (a form posted again) finds nothing the second time; either way the endpoint is gone.
        await administration.RemoveEndpointAsync(merchantId, parsed, url, context.RequestAborted);
        return HostedPage.SeeOther($"/dashboard/merchants?done=ipn-removed#merchant-{Url(merchantId)}");
    }

    private static IResult Deliveries(HttpContext context, IpnAdministration administration, IAntiforgery antiforgery)
    {
        var query = context.Request.Query;
        string? Text(string name) => query[name].ToString() is { Length: > 0 } value ? value.Trim() : null;
        string? error = null;
        var filter = new IpnDeliveryQuery(Limit: DefaultPageSize);
        if (DeliveryTextFilters.Any(name => Text(name) is { Length: > MaxFilterLength }))
        {
            error = $"A filter is longer than {MaxFilterLength} characters.";
        }

        filter = filter with { MerchantId = Text("merchant"), NotificationId = Text("notification") };
        if (Text("environment") is { } environmentName)
        {
            if (ParseEnvironmentName(environmentName) is { } environment)
            {
                filter = filter with { Environment = environment };
            }
            else
            {
                error ??= "The environment must be Sandbox or Live.";
            }
        }

        if (Text("state") is { } stateName)
        {
            if (Enum.TryParse<IpnDeliveryState>(stateName, ignoreCase: false, out var state) && Enum.IsDefined(state))
            {
                filter = filter with { State = state };
            }
            else
            {
                error ??= $"'{stateName}' is not a delivery state; use one of {string.Join(", ", Enum.GetNames<IpnDeliveryState>())}.";
            }
        }

        if (Text("before") is { } before)
        {
            if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                filter = filter with { BeforeSequence = sequence };
            }
            else
            {
                error ??= "The page link is not valid; start again from the first page.";
            }
        }

        var deliveries = error is null ? administration.ListDeliveries(filter) : [];
        var rows = deliveries.Select(delivery => (IReadOnlyList<string>)
        [
            $"<a class=\"id\" href=\"{DeliveriesPath}/{Url(delivery.DeliveryId)}\">{E(delivery.DeliveryId)}</a>",
            $"<span class=\"id\">{E(delivery.MerchantId)}</span>",
            E(delivery.Environment.ToString()),
            $"{E(TypeLabel(delivery.ObjectType))} {DetailLink(delivery.ObjectType, delivery.MerchantId, delivery.ObjectId)}",
            $"<span class=\"id\">{E(delivery.Url)}</span>",
            StateBadge(delivery.State.ToString()),
            delivery.Attempts.ToString(CultureInfo.InvariantCulture),
            E(Time(delivery.LastAttemptAt)),
            E(delivery.LastResult ?? string.Empty),
        ]);
        var pager = "<div class=\"pager\">"
            + (filter.BeforeSequence is null ? "<span></span>" : $"<a href=\"{DeliveriesPath}?{QueryWithout(query, "before")}\" id=\"first-page\">First page</a>")
            + (deliveries.Count == filter.Limit
                ? $"<a href=\"{DeliveriesPath}?{QueryWithout(query, "before")}&amp;before={deliveries[^1].Sequence.ToString(CultureInfo.InvariantCulture)}\" id=\"next-page\" rel=\"next\">Next page</a>"
                : string.Empty)
            + "</div>";
        string Value(string name) => E(query[name].ToString());
        string Options(IEnumerable<string> values, string current) => string.Concat(values.Select(v =>
            $"<option value=\"{E(v)}\"{(v == current ? " selected" : string.Empty)}>{(v.Length == 0 ? "Any" : E(v))}</option>"));
        var form = $"""
            <form method="get" action="{DeliveriesPath}" class="card filters" id="filters" aria-label="Filters">
              <div><label for="merchant">Merchant id</label><input id="merchant" name="merchant" value="{Value("merchant")}"></div>
              <div><label for="environment">Environment</label><select id="environment" name="environment">{Options(["", "Sandbox", "Live"], query["environment"].ToString())}</select></div>
              <div><label for="state">State</label><select id="state" name="state">{Options(["", .. Enum.GetNames<IpnDeliveryState>()], query["state"].ToString())}</select></div>
              <div><label for="notification">Notification id</label><input id="notification" name="notification" value="{Value("notification")}"></div>
              <div class="actions"><button type="submit">Search</button> <a class="button secondary" href="{DeliveriesPath}">Clear</a></div>
            </form>
            """;
        return Page(
            error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest,
            "IPN deliveries",
            Alert(error)
                + form
                + Table(
                    $"Notification deliveries, newest first, {filter.Limit} per page",
                    ["Delivery", "Merchant", "Environment", "Object", "Endpoint", "State", "Attempts", "Last attempt", "Last result"],
                    rows,
                    "results",
                    "No deliveries match these filters.")
                + pager,
            DeliveriesPath,
            antiforgery.GetAndStoreTokens(context));
    }

    private static IResult Delivery(HttpContext context, IpnAdministration administration, IAntiforgery antiforgery, string deliveryId, string? notice, string? error)
    {
        if (administration.GetDelivery(deliveryId) is not { } delivery)
        {
            return NotFound(context, $"There is no IPN delivery '{deliveryId}'.");
        }

        var attempts = administration.ListAttempts(deliveryId);
        var redeliver = delivery.State == IpnDeliveryState.Pending
            ? "<p>This delivery is pending: it is attempted when its next attempt falls due.</p>"
            : $"<div class=\"actions\"><a class=\"button\" href=\"{DeliveriesPath}/{Url(deliveryId)}/redeliver\" id=\"redeliver\">Redeliver…</a></div>";
        var body = $"""
            {(context.Request.Query["done"] == "redelivered" ? DashboardLayout.Notice("Sent again: a new series of attempts has started.") : string.Empty)}
            {(notice is null ? string.Empty : DashboardLayout.Notice(notice))}
            {Alert(error)}
            <div class="card">
            {Fields(
                ("State", StateBadge(delivery.State.ToString())),
                ("Notification id", $"<span class=\"id\">{E(delivery.NotificationId)}</span>"),
                ("Merchant", $"<span class=\"id\">{E(delivery.MerchantId)}</span>"),
                ("Environment", E(delivery.Environment.ToString())),
                ("Object", $"{E(TypeLabel(delivery.ObjectType))} {DetailLink(delivery.ObjectType, delivery.MerchantId, delivery.ObjectId)}"),
                ("Charge permission", DetailLink(ObjectType.ChargePermission, delivery.MerchantId, delivery.ChargePermissionId)),
                ("Endpoint", $"<span class=\"id\">{E(delivery.Url)}</span>"),
                ("Series", delivery.Series.ToString(CultureInfo.InvariantCulture)),
                ("Attempts in this series", delivery.Attempts.ToString(CultureInfo.InvariantCulture)),
                ("Next attempt", delivery.State == IpnDeliveryState.Pending ? E(Time(delivery.NextAttemptAt)) + " (business time)" : "—"),
                ("Created", E(Time(delivery.CreatedAt))))}
            {redeliver}
            </div>
            <h2>Attempts</h2>
            {Table(
                "Every attempt, oldest first",
                ["Series", "Attempt", "At", "Outcome", "Status", "Latency", "Answer"],
                attempts.Select(attempt => (IReadOnlyList<string>)
                [
                    attempt.Series.ToString(CultureInfo.InvariantCulture),
                    attempt.Attempt.ToString(CultureInfo.InvariantCulture),
                    E(Time(attempt.AttemptedAt)),
                    E(attempt.Outcome.ToString()),
                    attempt.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "—",
                    $"{attempt.LatencyMs.ToString(CultureInfo.InvariantCulture)} ms",
                    $"<code>{E(attempt.Detail ?? string.Empty)}</code>",
                ]),
                "attempts",
                "Not attempted yet.")}
            """;
        return Page(StatusCodes.Status200OK, $"IPN delivery {deliveryId}", body, DeliveriesPath, antiforgery.GetAndStoreTokens(context));
    }

    private static IResult ConfirmRedeliver(HttpContext context, IpnAdministration administration, IAntiforgery antiforgery, string deliveryId)
    {
        if (administration.GetDelivery(deliveryId) is not { } delivery)
        {
            return NotFound(context, $"There is no IPN delivery '{deliveryId}'.");
        }

        return ConfirmPage(
            StatusCodes.Status200OK,
            new Confirmation(
                "Redeliver this notification?",
                """
                The notification is posted again now, with a new series of attempts. It keeps its notification id, so a
                receiver that already processed it can recognise it.
                """,
                Fields(("Notification id", $"<span class=\"id\">{E(delivery.NotificationId)}</span>"), ("Endpoint", $"<span class=\"id\">{E(delivery.Url)}</span>"), ("State", StateBadge(delivery.State.ToString()))),
                $"{DeliveriesPath}/{Url(deliveryId)}/redeliver",
                "Redeliver",
                Danger: false,
                $"{DeliveriesPath}/{Url(deliveryId)}"),
            error: null,
            DeliveriesPath,
            antiforgery.GetAndStoreTokens(context));
    }

    private static async Task<IResult> RedeliverAsync(HttpContext context, IpnAdministration administration, IAntiforgery antiforgery, string deliveryId)
    {
        if (administration.GetDelivery(deliveryId) is null)
        {
            return NotFound(context, $"There is no IPN delivery '{deliveryId}'.");
        }

        var reset = await administration.RedeliverAsync(deliveryId, context.RequestAborted);
        return reset.IsSuccess
            ? HostedPage.SeeOther($"{DeliveriesPath}/{Url(deliveryId)}?done=redelivered")
            : Delivery(context, administration, antiforgery, deliveryId, null, reset.Error!.Message);
    }

    private static ReleaseEnvironment? ParseEnvironmentName(string? name) => name switch
    {
        "Sandbox" => ReleaseEnvironment.Sandbox,
        "Live" => ReleaseEnvironment.Live,
        _ => null,
    };
}
