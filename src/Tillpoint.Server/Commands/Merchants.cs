using Tillpoint.Domain.Regions;

namespace Tillpoint.Server.Commands;

/// <summary>
/// Making a merchant: the one use case behind <c>tillpoint merchants create</c> and the account APIs, so a merchant a
/// partner registers through the API is the same kind of merchant the operator makes, usable with keys at once.
/// </summary>
internal static class Merchants
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>Adds a merchant named <paramref name="name"/> in <paramref name="region"/> with a new merchant id and store id.</summary>
    public static Merchant Create(IWriteSession session, string name, Region region, DateTimeOffset now, RandomSource random)
    {
        var merchant = new Merchant(NewMerchantId(random), NewStoreId(random), name, now, region);
        session.AddMerchant(merchant);
        return merchant;
    }

    /// <summary>The rules of the merchant's region: which currencies its buyers may pay in.</summary>
    public static RegionRules RegionOf(IStoreReader reader, string merchantId) =>
        RegionRules.Of(reader.GetMerchant(merchantId)?.Region ?? Region.NA);

    private static string NewMerchantId(RandomSource random) => "A" + random.GetString(Alphanumerics, 13);

    /// <summary>
    /// Whether <paramref name="storeId"/> is a checkout store of the merchant: its own, or one a partner made for it with
    /// Create Store (looked up only when it is not the merchant's own).
    /// </summary>
    public static bool HasStore(IStoreReader reader, string merchantId, string storeId) =>
        reader.GetMerchant(merchantId)?.StoreId == storeId || reader.FindMerchantAccount(merchantId)?.HasStore(storeId) == true;

    /// <summary>A store id of the form Amazon gives (a Login with Amazon client id).</summary>
    public static string NewStoreId(RandomSource random) =>
        "amzn1.application-oa2-client." + Convert.ToHexStringLower(random.GetBytes(16));
}
