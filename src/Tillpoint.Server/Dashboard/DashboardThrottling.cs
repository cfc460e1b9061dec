using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Server.Checkout;
using Tillpoint.Server.Throttling;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// A merchant's throttling on the merchants page: Amazon's request quotas, none, or the server's <c>--throttling</c>,
/// chosen through <see cref="ThrottlingSettings"/> as <c>tillpoint merchants set-throttling</c> does.
/// </summary>
internal static partial class DashboardEndpoints
{
    private static void MapThrottling(RouteGroupBuilder pages) => pages.MapPost("/merchants/{merchantId}/throttling", SetThrottlingAsync);

    private static string ThrottlingSection(MerchantView view)
    {
        var merchantId = view.Merchant.MerchantId;
        var chosen = ThrottlingSettings.Of(view.Reader, merchantId);
        var options = string.Concat(Enum.GetValues<MerchantThrottling>().Select(choice =>
            $"<option value=\"{E(ThrottlingSettings.Name(choice))}\"{(choice == chosen ? " selected" : string.Empty)}>{E(ThrottlingDescription(choice))}</option>"));
        return $"""
            <h3>Throttling</h3>
            <form method="post" action="/dashboard/merchants/{Url(merchantId)}/throttling" id="throttling-{E(merchantId)}">
              {TokenField(view.Tokens)}
              <label>Request quotas <select name="throttling">{options}</select></label>
              <button type="submit">Set</button>
            </form>
            """;
    }

    private static string ThrottlingDescription(MerchantThrottling choice) => choice switch
    {
        MerchantThrottling.Default => "As the server's --throttling",
        MerchantThrottling.Amazon => "Amazon's: 429 TooManyRequests over them",
        MerchantThrottling.Off => "None: never throttled",
    };

    private static async Task<IResult> SetThrottlingAsync(HttpContext context, ITillpointStore store, IAntiforgery antiforgery, string merchantId)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (ThrottlingSettings.Parse(form["throttling"].ToString()) is not { } choice)
        {
            return MerchantsPage(context, store, antiforgery, "Not changed: the throttling must be default, amazon or off.", StatusCodes.Status400BadRequest);
        }

        if (!await ThrottlingSettings.SetAsync(store, merchantId, choice, context.RequestAborted))
        {
            return MerchantsPage(context, store, antiforgery, $"Not changed: there is no merchant '{merchantId}'.", StatusCodes.Status400BadRequest);
        }

        return HostedPage.SeeOther($"/dashboard/merchants?done=throttling-set#merchant-{Url(merchantId)}");
    }
}
