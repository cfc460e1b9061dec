using Tillpoint.Domain.MerchantAccounts;
using static Tillpoint.Server.Dashboard.DashboardLayout;

namespace Tillpoint.Server.Dashboard;

/// <summary>
/// The merchants page's account section: for a merchant a partner made through the account APIs, who made it, how and
/// whether its merchant has claimed it, and the stores made for it; for a partner, the accounts it made.
/// </summary>
internal static partial class DashboardEndpoints
{
    /// <summary>The most accounts of one partner the page lists.</summary>
    private const int MaxAccountsShown = 100;

    private static string MerchantAccountSection(MerchantView view)
    {
        var merchantId = view.Merchant.MerchantId;
        var madeBy = view.Reader.FindMerchantAccount(merchantId);
        var made = view.Reader.ListMerchantAccounts(merchantId, MaxAccountsShown);
        if (madeBy is null && made.Count == 0)
        {
            return string.Empty;
        }

        var origin = madeBy is null
            ? string.Empty
            : "<h3>Merchant account</h3>" + Fields(
                ("Made by", $"<a class=\"id\" href=\"#merchant-{E(madeBy.CreatedBy)}\">{E(madeBy.CreatedBy)}</a>"),
                ("Through", E(Through(madeBy.Kind))),
                ("Environment", E(madeBy.Environment.ToString())),
                ("Unique reference id", $"<span class=\"id\">{E(madeBy.UniqueReferenceId)}</span>"),
                ("State", $"<span id=\"account-state-{E(merchantId)}\">{StateBadge(madeBy.State.ToString())}</span>"),
                ("Claimed", E(Time(madeBy.ClaimedAt))))
            + (madeBy.Stores is []
                ? string.Empty
                : Table(
                    $"Stores of {view.Merchant.Name} made with Create Store",
                    ["Store id", "Name", "Allowed origins", "Return pages", "Updated"],
                    madeBy.Stores.Select(store => (IReadOnlyList<string>)
                    [
                        $"<span class=\"id\">{E(store.StoreId)}</span>",
                        E(store.StoreName),
                        E(string.Join(", ", store.AllowedOriginDomains)),
                        E(string.Join(", ", store.AllowedRedirectUrls)),
                        E(Time(store.UpdatedAt)),
                    ]),
                    $"stores-{merchantId}",
                    "None."));
        var list = made.Count == 0
            ? string.Empty
            : "<h3>Merchant accounts it made</h3>" + Table(
                $"Merchant accounts made by {view.Merchant.Name}",
                ["Merchant account", "Unique reference id", "Through", "Environment", "State", "Created"],
                made.Select(account => (IReadOnlyList<string>)
                [
                    $"<a class=\"id\" href=\"#merchant-{E(account.MerchantAccountId)}\">{E(account.MerchantAccountId)}</a>",
                    $"<span class=\"id\">{E(account.UniqueReferenceId)}</span>",
                    E(Through(account.Kind)),
                    E(account.Environment.ToString()),
                    StateBadge(account.State.ToString()),
                    E(Time(account.CreatedAt)),
                ]),
                $"accounts-{merchantId}",
                "None.");
        return origin + list;
    }

    private static string Through(MerchantAccountKind kind) => kind switch
    {
        MerchantAccountKind.AmazonPayAccount => "Register Amazon Pay Account (not loginable)",
        MerchantAccountKind.MerchantAccount => "Create Merchant Account (loginable, claimable)",
    };
}
