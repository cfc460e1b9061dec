using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Dashboard;

/// <summary>One entry of the dashboard's navigation.</summary>
internal sealed record DashboardSection(string Path, string Label);

/// <summary>
/// What a confirmation page asks: its heading, what the action will do and the fields of what it acts on (both HTML),
/// where the form posts, the button's label (red when the action cannot be undone) and the way back (encoded URLs).
/// </summary>
internal sealed record Confirmation(string Heading, string ExplanationHtml, string FieldsHtml, string Action, string Button, bool Danger, string Back);

/// <summary>
/// The frame of every dashboard page: navigation, one <c>h1</c>, and an inline style sheet (the pages load nothing
/// else and need no JavaScript). Helpers encode everything they are given.
/// </summary>
internal static class DashboardLayout
{
    /// <summary>The navigation, in order. A new page adds its entry here; nothing changes it at run time.</summary>
    public static readonly IReadOnlyList<DashboardSection> Sections =
    [
        new("/dashboard", "Overview"),
        new("/dashboard/checkout-sessions", "Checkout sessions"),
        new("/dashboard/charge-permissions", "Charge permissions"),
        new("/dashboard/charges", "Charges"),
        new("/dashboard/refunds", "Refunds"),
        new("/dashboard/disputes", "Disputes"),
        new("/dashboard/merchants", "Merchants"),
        new("/dashboard/ipn", "IPN deliveries"),
        new("/dashboard/clock", "Sandbox clock"),
    ];

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static string E(string? text) => Html.Encode(text ?? string.Empty);

    public static string Url(string? text) => Uri.EscapeDataString(text ?? string.Empty);

    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? at) => at is { } value ? Time(value) : "—";

    public static string Amount(Money? money) => money is { } value ? E(value.ToString()) : "—";

    public static string TokenField(AntiforgeryTokenSet tokens) =>
        $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";

    /// <summary>A definition list of label/value pairs; values are HTML already (encode with <see cref="E"/>).</summary>
    public static string Fields(params (string Label, string ValueHtml)[] fields)
    {
        var html = new StringBuilder("<dl class=\"fields\">");
        foreach (var (label, value) in fields)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>{E(label)}</dt><dd>{value}</dd>");
        }

        return html.Append("</dl>").ToString();
    }

    /// <summary>A table with a caption and column headers; cells are HTML already.</summary>
    public static string Table(string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string id, string empty = "Nothing to show.")
    {
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<div class=\"table-wrap\"><table id=\"{E(id)}\"><caption>{E(caption)}</caption><thead><tr>");
        foreach (var header in headers)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{E(header)}</th>");
        }

        html.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                html.Append(i == 0 ? $"<th scope=\"row\">{row[i]}</th>" : $"<td>{row[i]}</td>");
            }

            html.Append("</tr>");
        }

        if (!any)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td colspan=\"{headers.Count}\" class=\"empty\">{E(empty)}</td></tr>");
        }

        return html.Append("</tbody></table></div>").ToString();
    }

    public static string StateBadge(string state) => $"<span class=\"badge badge-{E(state.ToLowerInvariant())}\">{E(state)}</span>";

    /// <summary>A refusal shown above the page's content; nothing when there is none.</summary>
    public static string Alert(string? message, string id = "dashboard-error") =>
        message is null ? string.Empty : $"<p class=\"alert\" role=\"alert\" id=\"{E(id)}\">{E(message)}</p>";

    public static string Notice(string message) => $"<p class=\"notice\" role=\"status\" id=\"dashboard-notice\">{E(message)}</p>";

    /// <summary>
    /// A page that asks before an action is done: what it will do, the fields of what it acts on, and a form that posts
    /// to <see cref="Confirmation.Action"/>, with a way back. <paramref name="error"/> is why an earlier try was refused.
    /// </summary>
    public static IResult ConfirmPage(int status, Confirmation confirmation, string? error, string current, AntiforgeryTokenSet tokens) => Page(
        status,
        confirmation.Heading,
        $"""
        {Alert(error)}
        <div class="card">
        <p>{confirmation.ExplanationHtml}</p>
        {confirmation.FieldsHtml}
        <form method="post" action="{confirmation.Action}" id="confirm">
          {TokenField(tokens)}
          <div class="actions"><button type="submit"{(confirmation.Danger ? " class=\"danger\"" : string.Empty)}>{E(confirmation.Button)}</button> <a class="button secondary" href="{confirmation.Back}">Back</a></div>
        </form>
        </div>
        """,
        current,
        tokens);

    /// <summary>A whole page. <paramref name="current"/> marks the navigation entry the page belongs to.</summary>
    public static IResult Page(int status, string heading, string body, string? current, AntiforgeryTokenSet? signOut)
    {
        var nav = new StringBuilder();
        if (signOut is not null)
        {
            nav.Append("<nav aria-label=\"Dashboard\"><ul>");
            foreach (var section in Sections)
            {
                var here = section.Path == current ? " aria-current=\"page\"" : string.Empty;
                nav.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{E(section.Path)}\"{here}>{E(section.Label)}</a></li>");
            }

            nav.Append(CultureInfo.InvariantCulture, $"</ul><form method=\"post\" action=\"/dashboard/logout\" class=\"signout\">{TokenField(signOut)}<button type=\"submit\" class=\"link\">Sign out</button></form></nav>");
        }

        return HtmlDocument.Result(
            status,
            $"{E(heading)} · Tillpoint dashboard",
            Styles,
            $"<header class=\"top\"><span class=\"brand\">Tillpoint dashboard</span>{nav}</header>",
            E(heading),
            body);
    }

    private const string Styles =
        """
          *, *::before, *::after { box-sizing: border-box; }
          body { margin: 0; font: .9375rem/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1d21; background: #f5f6f8; }
          header.top { display: flex; align-items: center; gap: 1.5rem; padding: .625rem 1.5rem; background: #16202c; color: #fff; }
          header.top .brand { font-weight: 700; letter-spacing: .01em; white-space: nowrap; }
          nav { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1rem; flex: 1; }
          nav ul { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0; padding: 0; flex: 1; }
          nav a { display: block; padding: .3rem .6rem; border-radius: .375rem; color: #d7e1ee; text-decoration: none; }
          nav a:hover { background: #24344a; color: #fff; }
          nav a[aria-current="page"] { background: #2f4a6d; color: #fff; }
          main { max-width: 80rem; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
          h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
          h2 { font-size: 1.125rem; margin: 1.75rem 0 .5rem; }
          a { color: #0b5cad; }
          .card { background: #fff; border: 1px solid #dde2e8; border-radius: .625rem; padding: 1rem 1.25rem; margin: 0 0 1rem; }
          .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; }
          .table-wrap { overflow-x: auto; background: #fff; border: 1px solid #dde2e8; border-radius: .625rem; }
          table { width: 100%; border-collapse: collapse; }
          caption { text-align: left; font-weight: 600; padding: .75rem 1rem .25rem; }
          th, td { text-align: left; padding: .5rem 1rem; border-top: 1px solid #eceff3; vertical-align: top; }
          thead th { border-top: 0; font-size: .8125rem; text-transform: uppercase; letter-spacing: .03em; color: #5a6472; }
          tbody th { font-weight: 500; }
          td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
          .empty { color: #5a6472; }
          code, .id { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: .8125rem; word-break: break-all; }
          dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .375rem 1.5rem; margin: 0; }
          dt { color: #5a6472; }
          dd { margin: 0; }
          form.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .75rem 1rem; align-items: end; }
          label { display: block; font-weight: 600; font-size: .8125rem; margin-bottom: .2rem; }
          input, select, textarea { font: inherit; width: 100%; padding: .4rem .55rem; border: 1px solid #8a94a3; border-radius: .375rem; background: #fff; color: #1a1d21; }
          button, .button { display: inline-block; font: inherit; font-weight: 600; padding: .45rem 1rem; border-radius: .375rem; border: 1px solid #0b5cad; background: #0b5cad; color: #fff; cursor: pointer; text-decoration: none; }
          button.secondary, .button.secondary { background: #fff; color: #0b5cad; }
          button.danger { background: #b42318; border-color: #b42318; }
          button.link { background: none; border: 0; color: #d7e1ee; padding: .3rem .6rem; font-weight: 400; }
          .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .75rem 0; }
          :focus-visible { outline: 3px solid #ffb020; outline-offset: 2px; }
          .alert { border-left: 4px solid #b42318; background: #fdecea; padding: .625rem 1rem; border-radius: .25rem; }
          .notice { border-left: 4px solid #067647; background: #e7f6ee; padding: .625rem 1rem; border-radius: .25rem; }
          .badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8125rem; font-weight: 600; background: #eceff3; color: #344054; }
          .badge-authorized, .badge-chargeable, .badge-open, .badge-underreview { background: #e0ecfb; color: #0b4a8f; }
          .badge-captured, .badge-completed, .badge-refunded { background: #e3f4ea; color: #0b6b3a; }
          .badge-declined, .badge-canceled, .badge-closed, .badge-nonchargeable { background: #fbe9e7; color: #9b1c12; }
          .badge-authorizationinitiated, .badge-captureinitiated, .badge-refundinitiated, .badge-actionrequired { background: #fff4d6; color: #7a5200; }
          .stat { font-size: 1.5rem; font-weight: 700; }
          .pager { display: flex; justify-content: space-between; align-items: center; margin: .75rem 0; }
          .muted { color: #5a6472; }
          .signout { margin: 0; }
        """;
}
