using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Domain.Regions;
using Tillpoint.Server.Checkout;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>What a section of the merchants page is given: the merchant, its keys, and the anti-forgery tokens for forms.</summary>
internal sealed record MerchantView(Merchant Merchant, IReadOnlyList<PublicKeyRecord> Keys, AntiforgeryTokenSet Tokens, IStoreReader Reader);

/// <summary>Merchants with their public keys; revoking a key asks for confirmation.</summary>
internal static partial class DashboardEndpoints
{
    /// <summary>
    /// The sections shown for each merchant, in order: each renders its part of the merchant's card (HTML). A new
    /// per-merchant feature adds its section here.
    /// </summary>
    internal static readonly IReadOnlyList<Func<MerchantView, string>> MerchantSections = [KeysSection, IpnEndpointsSection, RolesSection, ReportsSection, MerchantAccountSection, ThrottlingSection];

    private static void MapMerchants(RouteGroupBuilder pages)
    {
        pages.MapGet("/merchants", Merchants);
        pages.MapGet("/keys/{publicKeyId}/revoke", (HttpContext c, ITillpointStore s, IAntiforgery a, string publicKeyId) =>
            ConfirmRevoke(c, s, a, publicKeyId, null, StatusCodes.Status200OK));
        pages.MapPost("/keys/{publicKeyId}/revoke", RevokeAsync);
        MapIpn(pages);
        MapRoles(pages);
        MapThrottling(pages);
        MapReports(pages);
    }

    private static IResult Merchants(HttpContext context, ITillpointStore store, IAntiforgery antiforgery) =>
        MerchantsPage(context, store, antiforgery, null, StatusCodes.Status200OK);

    private static IResult MerchantsPage(HttpContext context, ITillpointStore store, IAntiforgery antiforgery, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var body = store.Read(reader =>
        {
            var keys = reader.ListPublicKeys(null).ToLookup(k => k.MerchantId, StringComparer.Ordinal);
            return string.Concat(reader.ListMerchants().Select(merchant =>
            {
                var view = new MerchantView(merchant, [.. keys[merchant.MerchantId]], tokens, reader);
                return $"""
                    <section class="card" aria-labelledby="merchant-{E(merchant.MerchantId)}">
                    <h2 id="merchant-{E(merchant.MerchantId)}">{E(merchant.Name)}</h2>
                    {Fields(
                        ("Merchant id", $"<span class=\"id\">{E(merchant.MerchantId)}</span>"),
                        ("Store id", $"<span class=\"id\">{E(merchant.StoreId)}</span>"),
                        ("Region", E($"{merchant.Region} (ledger currency {RegionRules.Of(merchant.Region).LedgerCurrency})")),
                        ("Created", E(Time(merchant.CreatedAt))),
                        ("Objects", $"<a href=\"{ListPath(ObjectType.Charge)}?merchant={Url(merchant.MerchantId)}\">Charges</a> · <a href=\"{ListPath(ObjectType.ChargePermission)}?merchant={Url(merchant.MerchantId)}\">Charge permissions</a> · <a href=\"{ListPath(ObjectType.CheckoutSession)}?merchant={Url(merchant.MerchantId)}\">Checkout sessions</a>"))}
                    {string.Concat(MerchantSections.Select(section => section(view)))}
                    </section>
                    """;
            }));
        });
        return Page(
            status,
            "Merchants",
            Alert(error) + Notice(context) + (body.Length == 0 ? "<p>No merchants yet. Create one with <code>tillpoint merchants create</code>.</p>" : body),
            "/dashboard/merchants",
            tokens);
    }

    private static string KeysSection(MerchantView view) => "<h3>Public keys</h3>" + Table(
        $"Public keys of {view.Merchant.Name}",
        ["Public key id", "Environment", "Created", "Status", ""],
        view.Keys.Select(key => (IReadOnlyList<string>)
        [
            $"<span class=\"id\">{E(key.PublicKeyId)}</span>",
            E(key.Environment?.ToString() ?? "Both"),
            E(Time(key.CreatedAt)),
            key.RevokedAt is { } revoked ? $"Revoked {E(Time(revoked))}" : "Active",
            key.RevokedAt is null ? $"<a href=\"/dashboard/keys/{Url(key.PublicKeyId)}/revoke\">Revoke…</a>" : string.Empty,
        ]),
        $"keys-{view.Merchant.MerchantId}",
        "No keys.");

    private static IResult ConfirmRevoke(HttpContext context, ITillpointStore store, IAntiforgery antiforgery, string publicKeyId, string? error, int status)
    {
        var key = store.Read(reader => reader.GetPublicKey(publicKeyId));
        if (key is null)
        {
            return NotFound(context, $"There is no public key '{publicKeyId}'.");
        }

        return ConfirmPage(
            status,
            new Confirmation(
                $"Revoke key {publicKeyId}?",
                "Requests signed with this key will be refused from now on (by every node within its key cache time). This cannot be undone.",
                Fields(("Merchant", $"<span class=\"id\">{E(key.MerchantId)}</span>"), ("Environment", E(key.Environment?.ToString() ?? "Both")), ("Created", E(Time(key.CreatedAt)))),
                $"/dashboard/keys/{Url(publicKeyId)}/revoke",
                "Revoke",
                Danger: true,
                "/dashboard/merchants"),
            error,
            "/dashboard/merchants",
            antiforgery.GetAndStoreTokens(context));
    }

    private static async Task<IResult> RevokeAsync(HttpContext context, ITillpointStore store, IAntiforgery antiforgery, ServerOptions options, string publicKeyId)
    {
        if (store.Read(reader => reader.GetPublicKey(publicKeyId)) is null)
        {
            return NotFound(context, $"There is no public key '{publicKeyId}'.");
        }

        // The wall clock, as the CLI's revoke uses: revocation is about real time, not the sandbox's.
        var revoked = await store.WriteAsync(session => session.RevokePublicKey(publicKeyId, options.SignatureClock.GetUtcNow()), context.RequestAborted);
        return revoked
            ? HostedPage.SeeOther("/dashboard/merchants?done=revoked")
            : ConfirmRevoke(context, store, antiforgery, publicKeyId, "Not done: the key was already revoked.", StatusCodes.Status409Conflict);
    }
}
