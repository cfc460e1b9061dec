namespace Tillpoint.Domain.MerchantAccounts;

/// <summary>
/// A store a partner made for an account's merchant with Create Store (spec §3.8). <see cref="StoreId"/> has the form of
/// the merchant's own store id and is a checkout <c>storeId</c> of that merchant like it.
/// </summary>
public sealed record MerchantAccountStore(
    string StoreId,
    string StoreName,
    IReadOnlyList<string> AllowedOriginDomains,
    IReadOnlyList<string> AllowedRedirectUrls,
    string? PrivacyPolicyUrl,
    string? MerchantLogoUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// The fields of Create Store and Update Store as given: on create every required one is set, on update only those to
/// change (a list given replaces the stored one).
/// </summary>
public sealed record StoreDetails(
    string? StoreName,
    IReadOnlyList<string>? AllowedOriginDomains,
    IReadOnlyList<string>? AllowedRedirectUrls,
    string? PrivacyPolicyUrl,
    string? MerchantLogoUrl)
{
    public const int StoreNameMaxLength = 255;

    /// <summary>Entries of either list; a store's origins and return pages are few.</summary>
    public const int MaxListEntries = 20;

    public const int UrlMaxLength = 2048;

    /// <summary>An origin is a scheme, a host and a port: no path.</summary>
    public const int OriginMaxLength = 255;

    /// <summary>The checks of Create Store's fields; the name and at least one origin are required.</summary>
    public DomainError? ValidateNew() =>
        (string.IsNullOrWhiteSpace(StoreName) ? DomainError.Missing("storeName") : null)
        ?? (AllowedOriginDomains is null or [] ? DomainError.Missing("allowedOriginDomains") : null)
        ?? ValidateChange();

    /// <summary>The checks of Update Store's fields: each one given must be valid; a name or origins given may not be empty.</summary>
    public DomainError? ValidateChange() =>
        (StoreName is not null && string.IsNullOrWhiteSpace(StoreName) ? DomainError.Missing("storeName") : null)
        ?? DomainError.TooLong("storeName", StoreName, StoreNameMaxLength)
        ?? (AllowedOriginDomains is [] ? DomainError.Missing("allowedOriginDomains") : null)
        ?? List("allowedOriginDomains", AllowedOriginDomains, Origin)
        ?? List("allowedRedirectURLs", AllowedRedirectUrls, (field, url) => Url(field, url, httpsOnly: true))
        ?? Url("privacyPolicyUrl", PrivacyPolicyUrl, httpsOnly: false)
        ?? Url("merchantLogoUrl", MerchantLogoUrl, httpsOnly: true);

    private static DomainError? List(string field, IReadOnlyList<string>? values, Func<string, string?, DomainError?> check)
    {
        if (values is null)
        {
            return null;
        }

        if (values.Count > MaxListEntries)
        {
            return DomainError.InvalidValue(field, $"it has more than {MaxListEntries} entries.");
        }

        for (var i = 0; i < values.Count; i++)
        {
            var error = check($"{field}[{i}]", values[i]);
            if (error is not null)
            {
                return error;
            }

            if (values.Take(i).Contains(values[i], StringComparer.OrdinalIgnoreCase))
            {
                return DomainError.InvalidValue($"{field}[{i}]", "it is listed twice.");
            }
        }

        return null;
    }

    /// <summary>
    /// An origin a buyer's browser shows the button on: <c>https://host[:port]</c> with nothing after it, or plain HTTP for
    /// a local test host (localhost), as browsers allow.
    /// </summary>
    private static DomainError? Origin(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return DomainError.Missing(field);
        }

        if (value.Length > OriginMaxLength)
        {
            return DomainError.InvalidValue(field, $"it is longer than {OriginMaxLength} characters.");
        }

        // A URI without a host would be refused below anyway, being neither https nor loopback http; checking it here
        // names the right fault (an equivalent mutant in docs/testing.md).
        var origin = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Length == 0 && uri.Host.Length > 0
            && value.TrimEnd('/').Equals(uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
        return !origin ? DomainError.InvalidValue(field, "it must be an origin such as https://shop.example, without a path.")
            : !Secure(uri!) ? DomainError.InvalidValue(field, "it must be https (plain http only for a loopback host such as localhost).")
            : null;
    }

    private static DomainError? Url(string field, string? value, bool httpsOnly)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > UrlMaxLength)
        {
            return DomainError.InvalidValue(field, $"it is longer than {UrlMaxLength} characters.");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.UserInfo.Length > 0
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return DomainError.InvalidValue(field, "it must be an absolute http or https URL without a user name.");
        }

        return httpsOnly && !Secure(uri) ? DomainError.InvalidValue(field, "it must be https (plain http only for a loopback host such as localhost).") : null;
    }

    private static bool Secure(Uri uri) => uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
}

/// <summary>
/// How a partner's <c>POST /merchantAccounts</c> and <c>PATCH /merchantAccounts/{id}</c> choose between the two API
/// generations (spec §3.1), as the operator set it for that partner. The names are the stored and shown values.
/// </summary>
public enum MerchantAccountApi
{
    /// <summary>The body decides a POST, the authorization token a PATCH (Tillpoint's rule).</summary>
    Auto,

    /// <summary>Always Register Amazon Pay Account and Update Amazon Pay Account.</summary>
    Register,

    /// <summary>Always Create Merchant Account and Update Merchant Account.</summary>
    Create,
}

/// <summary>The routing of spec §3.1 for a partner's chosen <see cref="MerchantAccountApi"/>.</summary>
public static class MerchantAccountRouting
{
    /// <summary>
    /// Which generation a POST (account made) or PATCH (update: the token checked and 200, or 204) is.
    /// <paramref name="requestSaysCreate"/> is the request's own say under <see cref="MerchantAccountApi.Auto"/>: a field only
    /// Create Merchant Account sends for a POST, <c>x-amz-pay-authtoken</c> for a PATCH.
    /// </summary>
    public static MerchantAccountKind Choose(MerchantAccountApi api, bool requestSaysCreate) => api switch
    {
        MerchantAccountApi.Auto => requestSaysCreate ? MerchantAccountKind.MerchantAccount : MerchantAccountKind.AmazonPayAccount,
        MerchantAccountApi.Register => MerchantAccountKind.AmazonPayAccount,
        MerchantAccountApi.Create => MerchantAccountKind.MerchantAccount,
    };
}
