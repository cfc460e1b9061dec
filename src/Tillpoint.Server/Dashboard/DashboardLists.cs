using Microsoft.AspNetCore.Antiforgery;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>The lists of objects: filters in the query string, keyset pages newest first.</summary>
internal static partial class DashboardEndpoints
{
    public const int DefaultPageSize = 25;

    /// <summary>Free-text filters longer than this match nothing the API could have stored; they are refused.</summary>
    private const int MaxFilterLength = 256;

    private static void MapLists(RouteGroupBuilder pages)
    {
        foreach (var (type, _) in StatesByType)
        {
            pages.MapGet(ListPath(type)["/dashboard".Length..], (HttpContext context, ITillpointStore store, IAntiforgery antiforgery) =>
                List(context, store, antiforgery, type));
        }
    }

    private static IResult List(HttpContext context, ITillpointStore store, IAntiforgery antiforgery, ObjectType type)
    {
        var query = context.Request.Query;
        var (filter, after, size, error) = ReadFilter(query, type);
        var (page, rows) = store.Read(reader =>
        {
            var page = error is null ? reader.Browse(filter, after, size) : new BrowsePage([], null);
            return (page, type == ObjectType.Dispute ? DisputeListRows(reader, page) : ListRows(type, page));
        });
        var label = TypeLabel(type) + "s";
        var pager = new StringBuilder("<div class=\"pager\">");
        pager.Append(after is null ? "<span></span>" : $"<a href=\"{ListPath(type)}?{QueryWithout(query, "after")}\" id=\"first-page\">First page</a>");
        if (page.Next is { } next)
        {
            var cursor = $"{next.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}.{next.ObjectId}";
            pager.Append(CultureInfo.InvariantCulture, $"<a href=\"{ListPath(type)}?{QueryWithout(query, "after")}&amp;after={Url(cursor)}\" id=\"next-page\" rel=\"next\">Next page</a>");
        }

        pager.Append("</div>");
        return Page(
            error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest,
            label,
            Alert(error)
                + FilterForm(type, query, size)
                + Table(
                    $"{label}, newest first, {size} per page",
                    type == ObjectType.Dispute ? ["Id", "Merchant", "Environment", .. DisputeColumns] : ["Id", "Merchant", "Environment", "State", "Amount", "Merchant reference", "Created"],
                    rows,
                    "results",
                    "No objects match these filters.")
                + pager,
            ListPath(type),
            antiforgery.GetAndStoreTokens(context));
    }

    private static List<IReadOnlyList<string>> ListRows(ObjectType type, BrowsePage page) =>
    [
        .. page.Rows.Select(row => (IReadOnlyList<string>)
        [
            DetailLink(type, row.MerchantId, row.ObjectId),
            $"<span class=\"id\">{E(row.MerchantId)}</span>",
            E(row.Environment.ToString()),
            StateBadge(row.State),
            Amount(row.Amount),
            E(row.MerchantReference ?? string.Empty),
            E(Time(row.CreatedAt)),
        ]),
    ];

    /// <summary>The filters of a list, or the first thing wrong with them.</summary>
    internal static (BrowseFilter Filter, BrowseCursor? After, int Size, string? Error) ReadFilter(IQueryCollection query, ObjectType type)
    {
        var filter = new BrowseFilter(type);
        var size = DefaultPageSize;
        string? Text(string name) => query[name].ToString() is { Length: > 0 } value ? value.Trim() : null;
        string? error = null;
        void Fail(string message) => error ??= message;

        foreach (var name in new[] { "merchant", "id", "reference", "state", "environment", "amountMin", "amountMax", "from", "to", "size", "after" })
        {
            if (Text(name) is { Length: > MaxFilterLength })
            {
                Fail($"The filter '{name}' is longer than {MaxFilterLength} characters.");
            }
        }

        filter = filter with { MerchantId = Text("merchant"), ObjectId = Text("id"), MerchantReference = Text("reference") };
        if (Text("state") is { } state)
        {
            var states = StatesByType.Single(s => s.Type == type).States;
            if (states.Contains(state, StringComparer.Ordinal))
            {
                filter = filter with { State = state };
            }
            else
            {
                Fail($"'{state}' is not a state of a {TypeLabel(type).ToLowerInvariant()}; use one of {string.Join(", ", states)}.");
            }
        }

        if (Text("environment") is { } environment)
        {
            if (environment is "Sandbox" or "Live")
            {
                filter = filter with { Environment = Enum.Parse<ReleaseEnvironment>(environment) };
            }
            else
            {
                Fail("The environment must be Sandbox or Live.");
            }
        }

        decimal? Amount(string name)
        {
            if (Text(name) is not { } text)
            {
                return null;
            }

            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount <= 1_000_000_000m)
            {
                return amount;
            }

            Fail($"'{text}' is not an amount: write digits with an optional decimal point, such as 10.50.");
            return null;
        }

        filter = filter with { AmountMin = Amount("amountMin"), AmountMax = Amount("amountMax") };
        DateTimeOffset? Date(string name)
        {
            if (Text(name) is not { } text)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year is > 1970 and < 9999)
            {
                return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }

            Fail($"'{text}' is not a date: use YYYY-MM-DD.");
            return null;
        }

        // Both ends are whole days in UTC, and the "to" day is included.
        filter = filter with { CreatedFrom = Date("from"), CreatedBefore = Date("to")?.AddDays(1) };
        if (Text("size") is { } sizeText)
        {
            if (int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked > 0)
            {
                size = Math.Min(asked, IStoreBrowsing.MaxPageSize);
            }
            else
            {
                Fail("The page size must be a whole number from 1 to 100.");
            }
        }

        BrowseCursor? after = null;
        if (Text("after") is { } cursor)
        {
            var dot = cursor.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && long.TryParse(cursor[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms < 253_402_300_800_000 && dot < cursor.Length - 1)
            {
                after = new BrowseCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), cursor[(dot + 1)..]);
            }
            else
            {
                Fail("The page link is not valid; start again from the first page.");
            }
        }

        return (filter, after, size, error);
    }

    private static string FilterForm(ObjectType type, IQueryCollection query, int size)
    {
        string Value(string name) => E(query[name].ToString());
        string Options(IEnumerable<string> values, string current) => string.Concat(values.Select(v =>
            $"<option value=\"{E(v)}\"{(v == current ? " selected" : string.Empty)}>{(v.Length == 0 ? "Any" : E(v))}</option>"));
        var states = StatesByType.Single(s => s.Type == type).States;
        // Refunds and disputes have no merchant reference of their own.
        var reference = type is ObjectType.Refund or ObjectType.Dispute
            ? string.Empty
            : $"<div><label for=\"reference\">Merchant reference</label><input id=\"reference\" name=\"reference\" value=\"{Value("reference")}\"></div>";
        return $"""
            <form method="get" action="{ListPath(type)}" class="card filters" id="filters" aria-label="Filters">
              <div><label for="id">Id</label><input id="id" name="id" value="{Value("id")}"></div>
              {reference}
              <div><label for="merchant">Merchant id</label><input id="merchant" name="merchant" value="{Value("merchant")}"></div>
              <div><label for="environment">Environment</label><select id="environment" name="environment">{Options(["", "Sandbox", "Live"], query["environment"].ToString())}</select></div>
              <div><label for="state">State</label><select id="state" name="state">{Options(["", .. states], query["state"].ToString())}</select></div>
              <div><label for="amountMin">Amount from</label><input id="amountMin" name="amountMin" inputmode="decimal" value="{Value("amountMin")}"></div>
              <div><label for="amountMax">Amount to</label><input id="amountMax" name="amountMax" inputmode="decimal" value="{Value("amountMax")}"></div>
              <div><label for="from">Created from</label><input id="from" name="from" type="date" value="{Value("from")}"></div>
              <div><label for="to">Created to</label><input id="to" name="to" type="date" value="{Value("to")}"></div>
              <div><label for="size">Per page</label><select id="size" name="size">{Options(["25", "50", "100"], size.ToString(CultureInfo.InvariantCulture))}</select></div>
              <div class="actions"><button type="submit">Search</button> <a class="button secondary" href="{ListPath(type)}">Clear</a></div>
            </form>
            """;
    }

    private static string QueryWithout(IQueryCollection query, string name) => E(string.Join(
        '&',
        query.Where(q => q.Key != name && q.Value.ToString().Length > 0).Select(q => $"{Url(q.Key)}={Url(q.Value.ToString())}")));
}
