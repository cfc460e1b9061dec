using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Server.Checkout;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Signing;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// A merchant's roles on the merchants page: each one granted or not, with a button that grants or revokes it through
/// <see cref="MerchantGrants"/>, as <c>tillpoint merchants grant</c> and <c>revoke</c> do.
/// </summary>
internal static partial class DashboardEndpoints
{
    private static void MapRoles(RouteGroupBuilder pages) => pages.MapPost("/merchants/{merchantId}/roles", ChangeRoleAsync);

    private static string RolesSection(MerchantView view)
    {
        var merchantId = view.Merchant.MerchantId;
        var granted = view.Reader.GetMerchantRoles(merchantId);
        return "<h3>Roles</h3>" + Table(
            $"Roles of {view.Merchant.Name}",
            ["Role", "Lets the merchant call", "Status", ""],
            Enum.GetValues<MerchantRole>().Select(role =>
            {
                var has = granted.Contains(role);
                var change = has ? "revoke" : "grant";
                return (IReadOnlyList<string>)
                [
                    $"<code>{E(MerchantGrants.Name(role))}</code>",
                    E(RoleOperations(role)),
                    has ? "Granted" : "Not granted",
                    $"""
                    <form method="post" action="/dashboard/merchants/{Url(merchantId)}/roles" id="{change}-{E(MerchantGrants.Name(role))}-{E(merchantId)}">
                      {TokenField(view.Tokens)}
                      <input type="hidden" name="role" value="{E(MerchantGrants.Name(role))}"><input type="hidden" name="change" value="{change}">
                      <button type="submit"{(has ? " class=\"danger\"" : string.Empty)}>{(has ? "Revoke" : "Grant")}</button>
                    </form>
                    """,
                ];
            }),
            $"roles-{merchantId}",
            "No roles.");
    }

    private static string RoleOperations(MerchantRole role) => role switch
    {
        MerchantRole.Psp => "Update Charge, Create and Update Dispute",
        MerchantRole.SolutionProvider => "the merchant account operations, Get Authorization Token",
    };

    private static async Task<IResult> ChangeRoleAsync(
        HttpContext context, ITillpointStore store, IAntiforgery antiforgery, PublicKeyCache keys, ServerOptions options, string merchantId)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (MerchantGrants.Parse(form["role"].ToString()) is not { } role)
        {
            return MerchantsPage(context, store, antiforgery, $"Not changed: the role must be {MerchantGrants.Names.Replace("|", " or ", StringComparison.Ordinal)}.", StatusCodes.Status400BadRequest);
        }

        // Grants are about real time, as keys are: the wall clock, not the sandbox's.
        var outcome = form["change"].ToString() switch
        {
            "grant" => await MerchantGrants.GrantAsync(store, merchantId, role, options.SignatureClock.GetUtcNow(), context.RequestAborted),
            "revoke" => await MerchantGrants.RevokeAsync(store, merchantId, role, context.RequestAborted),
            _ => (GrantOutcome?)null,
        };
        if (outcome is null)
        {
            return MerchantsPage(context, store, antiforgery, "Not changed: the change must be grant or revoke.", StatusCodes.Status400BadRequest);
        }

        if (outcome == GrantOutcome.UnknownMerchant)
        {
            return MerchantsPage(context, store, antiforgery, $"Not changed: there is no merchant '{merchantId}'.", StatusCodes.Status400BadRequest);
        }

        // This node sees the change at once; the others when their key caches expire.
        keys.ForgetMerchant(merchantId);
        var done = form["change"] == "grant" ? "role-granted" : "role-revoked";
        return HostedPage.SeeOther($"/dashboard/merchants?done={done}#merchant-{Url(merchantId)}");
    }
}
