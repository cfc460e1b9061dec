using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;
using Tillpoint.Server.Operator;
using Tillpoint.Server.Checkout;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// The operator dashboard under <c>/dashboard</c>: server-rendered pages behind the operator token. Every page but
/// the sign-in needs the session cookie; every POST needs the anti-forgery token.
/// </summary>
internal static partial class DashboardEndpoints
{
    /// <summary>Counts on the overview stop here, so it stays cheap with millions of objects.</summary>
    private const long CountCap = 10_000;

    public static void AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton(provider => OperatorToken.Resolve(provider.GetRequiredService<ServerOptions>(), provider.GetRequiredService<ITillpointStore>()));
        services.AddSingleton<DashboardSessions>();
        services.AddSingleton<TokenBackoff>();
        services.AddSingleton<OperatorTokenGate>();
    }

    public static void MapDashboard(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() => AnnounceSignIn(app));
        app.MapGet("/dashboard/login", ShowLogin).AddEndpointFilter(DashboardTransport.RequireHttpsBeyondLoopbackAsync);
        app.MapPost("/dashboard/login", LoginAsync).AddEndpointFilter(DashboardTransport.RequireHttpsBeyondLoopbackAsync);
        var pages = app.MapGroup("/dashboard");
        pages.AddEndpointFilter(DashboardTransport.RequireHttpsBeyondLoopbackAsync);
        pages.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            if (!context.RequestServices.GetRequiredService<DashboardSessions>().IsSignedIn(context))
            {
                var back = context.Request.Path + context.Request.QueryString;
                return HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                    ? Results.Redirect($"/dashboard/login?returnUrl={Url(back)}")
                    : HostedPage.SeeOther("/dashboard/login");
            }

            if (HttpMethods.IsPost(context.Request.Method)
                && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            {
                return ExpiredForm(context);
            }

            return await next(invocation);
        });
        pages.MapPost("/logout", LogoutAsync);
        pages.MapGet("", Overview);
        pages.MapGet("/clock", ShowClock);
        pages.MapPost("/clock/advance", AdvanceClockAsync);
        MapLists(pages);
        MapDetails(pages);
        MapActions(pages);
        MapMerchants(pages);
        MapDisputes(pages);
        pages.Map("/{**rest}", (HttpContext context) => NotFound(context, "There is no such dashboard page."));
    }

    /// <summary>One line on the console and in the log: where the dashboard is and how to sign in.</summary>
    private static void AnnounceSignIn(WebApplication app)
    {
        var token = app.Services.GetRequiredService<OperatorToken>();
        var options = app.Services.GetRequiredService<ServerOptions>();
        IReadOnlyList<string> addresses = app.Urls.Count > 0 ? [.. app.Urls] : options.Urls;
        var url = (options.PublicUrl?.ToString().TrimEnd('/') ?? addresses.FirstOrDefault(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) ?? (addresses.Count > 0 ? addresses[0] : string.Empty))
            + "/dashboard";
        var line = token.Generated
            ? $"Tillpoint dashboard: {url} - sign in with the operator token {token.Value} (made on this first run, kept in {token.WhereKept})."
            : $"Tillpoint dashboard: {url} - sign in with the operator token from {token.WhereKept}.";
        Console.WriteLine(line);
        DashboardLog.SignInAnnounced(app.Services.GetRequiredService<ILogger<DashboardSessions>>(), url, token.WhereKept);
    }

    private static IResult ShowLogin(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        LoginPage(context, antiforgery, StatusCodes.Status200OK, null, returnUrl);

    private static async Task<IResult> LoginAsync(
        HttpContext context, IAntiforgery antiforgery, OperatorTokenGate gate, DashboardSessions sessions)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return ExpiredForm(context);
        }

        var form = await context.Request.ReadFormAsync();
        var returnUrl = form["returnUrl"].ToString();
        var check = gate.Check(context, form["token"].ToString().Trim());
        switch (check.Verdict)
        {
            case TokenVerdict.Throttled:
                context.Response.Headers.RetryAfter = check.RetryAfterSeconds;
                return LoginPage(
                    context, antiforgery, StatusCodes.Status429TooManyRequests,
                    $"Too many wrong tokens from your address. Try again in {check.RetryAfterSeconds} seconds.", returnUrl);
            case TokenVerdict.Refused:
                return LoginPage(context, antiforgery, StatusCodes.Status401Unauthorized, "That is not the operator token.", returnUrl);
            case TokenVerdict.Granted:
                break;
        }

        sessions.SignIn(context);
        return HostedPage.SeeOther(LocalReturnUrl(returnUrl));
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, DashboardSessions sessions)
    {
        await sessions.SignOutAsync(context);
        return HostedPage.SeeOther("/dashboard/login");
    }

    private static IResult LoginPage(HttpContext context, IAntiforgery antiforgery, int status, string? error, string? returnUrl)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return Page(
            status,
            "Sign in",
            $"""
            <div class="card" style="max-width:32rem">
            {Alert(error, "login-error")}
            <p>Enter the operator token. Tillpoint printed where it is kept when it started.</p>
            <form method="post" action="/dashboard/login" id="login">
              {TokenField(tokens)}
              <input type="hidden" name="returnUrl" value="{E(LocalReturnUrl(returnUrl))}">
              <label for="token">Operator token</label>
              <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
              <div class="actions"><button type="submit">Sign in</button></div>
            </form>
            </div>
            """,
            null,
            null);
    }

    /// <summary>Only a path of this dashboard: never another site, nor a protocol-relative "//host".</summary>
    private static string LocalReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 and <= 2048 } url && url.StartsWith("/dashboard", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal) && !url.StartsWith("/dashboard/login", StringComparison.Ordinal)
            ? url
            : "/dashboard";

    private static IResult Overview(HttpContext context, ITillpointStore store, BusinessClocks clocks, IAntiforgery antiforgery)
    {
        var (counts, recent) = store.Read(reader =>
        {
            var counts = new List<(ObjectType Type, string State, long Count)>();
            foreach (var (type, states) in StatesByType)
            {
                counts.AddRange(states.Select(state => (type, state, reader.CountInState(type, state, CountCap))));
            }

            return (counts, reader.RecentEvents(20));
        });
        var cards = new StringBuilder("<div class=\"grid\">");
        foreach (var group in counts.GroupBy(c => c.Type))
        {
            cards.Append(CultureInfo.InvariantCulture, $"<section class=\"card\" aria-labelledby=\"count-{group.Key}\"><h2 id=\"count-{group.Key}\"><a href=\"{ListPath(group.Key)}\">{E(TypeLabel(group.Key))}</a></h2><dl class=\"fields\">");
            foreach (var (type, state, count) in group)
            {
                var shown = count >= CountCap ? $"{CountCap:N0}+" : count.ToString("N0", CultureInfo.InvariantCulture);
                cards.Append(CultureInfo.InvariantCulture, $"<dt><a href=\"{ListPath(type)}?state={Url(state)}\">{E(state)}</a></dt><dd class=\"num\">{E(shown)}</dd>");
            }

            cards.Append("</dl></section>");
        }

        cards.Append("</div>");
        var clock = $"<p class=\"muted\">Sandbox time {E(Time(clocks.Now(ReleaseEnvironment.Sandbox)))}, live time {E(Time(clocks.Now(ReleaseEnvironment.Live)))}. <a href=\"/dashboard/clock\">Sandbox clock</a></p>";
        return Page(
            StatusCodes.Status200OK,
            "Overview",
            clock + cards + "<h2>Latest activity</h2>" + EventTable(recent, "Latest events of every merchant, newest first", showMerchant: true),
            "/dashboard",
            antiforgery.GetAndStoreTokens(context));
    }

    private static IResult ShowClock(HttpContext context, BusinessClocks clocks, IAntiforgery antiforgery) =>
        ClockPage(context, clocks, antiforgery, StatusCodes.Status200OK, null, null);

    private static async Task<IResult> AdvanceClockAsync(HttpContext context, BusinessClocks clocks, IAntiforgery antiforgery)
    {
        var form = await context.Request.ReadFormAsync();
        var unit = form["unit"].ToString() switch
        {
            "minutes" => TimeSpan.FromMinutes(1),
            "hours" => TimeSpan.FromHours(1),
            "days" => TimeSpan.FromDays(1),
            _ => (TimeSpan?)null,
        };
        if (unit is null)
        {
            return ClockPage(context, clocks, antiforgery, StatusCodes.Status400BadRequest, "Choose minutes, hours or days.", null);
        }

        var maxAmount = OperatorEndpoints.MaxAdvanceSeconds / (long)unit.Value.TotalSeconds;
        if (!long.TryParse(form["amount"], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount < 1 || amount > maxAmount)
        {
            return ClockPage(
                context, clocks, antiforgery, StatusCodes.Status400BadRequest,
                $"The amount must be a whole number from 1 to {maxAmount.ToString(CultureInfo.InvariantCulture)}: the clock only moves forward.", null);
        }

        var advanced = await OperatorEndpoints.AdvanceSandboxAsync(context.RequestServices, unit.Value * amount);
        return advanced is null
            ? ClockPage(context, clocks, antiforgery, StatusCodes.Status400BadRequest, $"Not advanced: {OperatorEndpoints.MaxOffsetMessage}", null)
            : ClockPage(context, clocks, antiforgery, StatusCodes.Status200OK, null, $"The sandbox clock moved forward by {amount.ToString(CultureInfo.InvariantCulture)} {form["unit"]}; what fell due was processed.");
    }

    private static IResult ClockPage(HttpContext context, BusinessClocks clocks, IAntiforgery antiforgery, int status, string? error, string? notice)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var offset = clocks.SandboxOffset;
        return Page(
            status,
            "Sandbox clock",
            $"""
            {Alert(error)}
            {(notice is null ? string.Empty : DashboardLayout.Notice(notice))}
            <div class="card">
            {Fields(
                ("Sandbox time", $"<span id=\"sandbox-now\">{E(Time(clocks.Now(ReleaseEnvironment.Sandbox)))}</span>"),
                ("Ahead of the real clock by", $"<span id=\"sandbox-offset\">{E(Duration(offset))}</span>"),
                ("Live time", E(Time(clocks.Now(ReleaseEnvironment.Live)))))}
            </div>
            <div class="card">
            <h2>Advance the sandbox clock</h2>
            <p class="muted">Sandbox expiries and pending outcomes that fall due are processed at once. The clock never moves back.</p>
            <form method="post" action="/dashboard/clock/advance" id="advance-clock" class="filters">
              {TokenField(tokens)}
              <div><label for="amount">Amount</label><input id="amount" name="amount" type="number" min="1" step="1" value="1" required></div>
              <div><label for="unit">Unit</label><select id="unit" name="unit"><option value="minutes">minutes</option><option value="hours">hours</option><option value="days" selected>days</option></select></div>
              <div><button type="submit">Advance</button></div>
            </form>
            </div>
            """,
            "/dashboard/clock",
            tokens);
    }

    private static string Duration(TimeSpan span) =>
        span == TimeSpan.Zero
            ? "0 (in step with the real clock)"
            : $"{(long)span.TotalDays} d {span.Hours} h {span.Minutes} min {span.Seconds} s";

    /// <summary>The events as a table; <paramref name="showMerchant"/> adds the merchant column (across merchants).</summary>
    internal static string EventTable(IEnumerable<StoredEvent> events, string caption, bool showMerchant)
    {
        List<string> headers = showMerchant ? ["Time", "Merchant", "Object", "Change", "Reason", "Amount", "Detail"] : ["Time", "Object", "Change", "Reason", "Amount", "Detail"];
        var rows = events.Select(stored =>
        {
            var e = stored.Event;
            var link = DetailLink(e.ObjectType, stored.MerchantId, e.ObjectId);
            var change = (e.FromState is null ? string.Empty : E(e.FromState) + " → ") + StateBadge(e.ToState);
            List<string> cells = [E(Time(e.At))];
            if (showMerchant)
            {
                cells.Add($"<span class=\"id\">{E(stored.MerchantId)}</span>");
            }

            cells.AddRange([$"{E(TypeLabel(e.ObjectType))} {link}", change, E(e.ReasonCode ?? string.Empty), Amount(e.Amount), E(e.Detail ?? string.Empty)]);
            return (IReadOnlyList<string>)cells;
        });
        return Table(caption, headers, rows, "events", "No events yet.");
    }

    internal static string DetailLink(ObjectType type, string merchantId, string id) =>
        $"<a class=\"id\" href=\"{DetailPath(type, merchantId, id)}\">{E(id)}</a>";

    internal static string DetailPath(ObjectType type, string merchantId, string id) => $"{ListPath(type)}/{Url(merchantId)}/{Url(id)}";

    internal static string ListPath(ObjectType type) => type switch
    {
        ObjectType.CheckoutSession => "/dashboard/checkout-sessions",
        ObjectType.ChargePermission => "/dashboard/charge-permissions",
        ObjectType.Charge => "/dashboard/charges",
        ObjectType.Refund => "/dashboard/refunds",
        ObjectType.Dispute => "/dashboard/disputes",
    };

    internal static string TypeLabel(ObjectType type) => type switch
    {
        ObjectType.CheckoutSession => "Checkout session",
        ObjectType.ChargePermission => "Charge permission",
        ObjectType.Charge => "Charge",
        ObjectType.Refund => "Refund",
        ObjectType.Dispute => "Dispute",
    };

    /// <summary>Every state of every listed type, in the domain's order.</summary>
    internal static readonly (ObjectType Type, string[] States)[] StatesByType =
    [
        (ObjectType.CheckoutSession, Enum.GetNames<CheckoutSessionState>()),
        (ObjectType.ChargePermission, Enum.GetNames<ChargePermissionState>()),
        (ObjectType.Charge, Enum.GetNames<ChargeState>()),
        (ObjectType.Refund, Enum.GetNames<RefundState>()),
        (ObjectType.Dispute, Enum.GetNames<Domain.Disputes.DisputeState>()),
    ];

    internal static IResult NotFound(HttpContext context, string message) => Page(
        StatusCodes.Status404NotFound,
        "Not found",
        Alert(message, "not-found") + "<p><a href=\"/dashboard\">Back to the overview</a></p>",
        null,
        context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context));

    internal static IResult ExpiredForm(HttpContext context) => Page(
        StatusCodes.Status400BadRequest,
        "This form has expired",
        Alert("The form was not accepted (its anti-forgery token is missing or stale); nothing was changed.", "form-expired")
            + "<p>Go back, reload the page and try again.</p>",
        null,
        null);
}

internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Dashboard at {Url}; sign in with the operator token from {WhereKept}")]
    public static partial void SignInAnnounced(ILogger logger, string url, string whereKept);
}
