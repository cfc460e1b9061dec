using System.Text.Json;
using System.Text.Json.Nodes;
using Tillpoint.Domain.MerchantAccounts;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Ipn;

namespace Tillpoint.Server.Api;

/// <summary>
/// The account APIs (spec §3): map → command → answer. Two generations share <c>POST /merchantAccounts</c> and
/// <c>PATCH /merchantAccounts/{id}</c>; <see cref="IsCreate"/> and the authorization token tell them apart (spec §3.1).
/// </summary>
internal static class MerchantAccountsApi
{
    /// <summary>The header Create Merchant Account's token comes back in (header names are case-insensitive).</summary>
    public const string AuthorizationTokenHeader = "x-amz-pay-authtoken";

    /// <summary>IPN endpoint URLs one account may list (Tillpoint's limit).</summary>
    public const int MaxIpnEndpointUrls = 10;

    private static readonly Currency[] LedgerCurrencies = [Currency.USD, Currency.EUR, Currency.GBP, Currency.JPY];

    /// <summary>
    /// Register Amazon Pay Account (201, exactly the two ids) or Create Merchant Account (201, ids and token), as the
    /// partner's routing (<see cref="MerchantAccountApi"/>) and the body choose.
    /// </summary>
    public static Task<ApiResult> CreateAsync(ApiRequest request, MerchantAccountRequest body)
    {
        var kind = MerchantAccountRouting.Choose(PartnerApi(request), IsCreate(body));
        return request.WriteAsync(ToNew(body, kind, request), (session, account) =>
        {
            var opened = MerchantAccountCommands.Open(session, request.Command, account);
            if (!opened.IsSuccess)
            {
                return opened.Error;
            }

            var (saved, token) = opened.Value;
            return token is null
                ? ApiResult.Json(StatusCodes.Status201Created, Ids(saved), ApiJsonContext.Default.MerchantAccountIdsDto)
                : ApiResult.Json(
                    StatusCodes.Status201Created,
                    new CreatedMerchantAccountDto { UniqueReferenceId = saved.UniqueReferenceId, MerchantAccountId = saved.MerchantAccountId, AuthorizationToken = token },
                    ApiJsonContext.Default.CreatedMerchantAccountDto);
        });
    }

    /// <summary>
    /// Update Merchant Account (with <c>x-amz-pay-authtoken</c>: 200 and the ids) or Update Amazon Pay Account (without:
    /// 204, no body), unless the partner's routing chose one for good.
    /// </summary>
    public static Task<ApiResult> UpdateAsync(ApiRequest request, MerchantAccountRequest body)
    {
        var id = request.Route("merchantAccountId");
        var token = request.Context.Request.Headers[AuthorizationTokenHeader].ToString();
        var withToken = MerchantAccountRouting.Choose(PartnerApi(request), token.Length > 0) == MerchantAccountKind.MerchantAccount;
        if (withToken && token.Length == 0)
        {
            return ApiResult.Refused(MissingToken());
        }

        return request.WriteAsync(ToUpdate(body, request), (session, update) =>
        {
            var updated = MerchantAccountCommands.Update(session, request.Command, id, update, withToken ? token : null);
            if (!updated.IsSuccess)
            {
                return updated.Error;
            }

            return withToken
                ? ApiResult.Json(StatusCodes.Status200OK, Ids(updated.Value), ApiJsonContext.Default.MerchantAccountIdsDto)
                : new ApiResult(StatusCodes.Status204NoContent, []);
        });
    }

    /// <summary>Delete Amazon Pay Account: 202 with the account's ids.</summary>
    public static Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        var id = request.Route("merchantAccountId");
        return request.WriteAsync(session => Answer(MerchantAccountCommands.Delete(session, request.Command, id), StatusCodes.Status202Accepted));
    }

    /// <summary>
    /// Merchant Account Claim: 303 See Other to the page where the account's merchant is managed, with the ids as its
    /// body (the official Node SDK reads them from the 303 itself).
    /// </summary>
    public static async Task<ApiResult> ClaimAsync(ApiRequest request, ClaimMerchantAccountRequest body)
    {
        var id = request.Route("merchantAccountId");
        var reference = body.UniqueReferenceId;
        var result = string.IsNullOrEmpty(reference)
            ? DomainError.Missing("uniqueReferenceId")
            : await request.WriteAsync(session => Answer(MerchantAccountCommands.Claim(session, request.Command, id, reference), StatusCodes.Status303SeeOther));
        if (result.StatusCode == StatusCodes.Status303SeeOther)
        {
            request.Context.Response.Headers.Location = $"{request.PublicBaseUrl}/dashboard/merchants#merchant-{Uri.EscapeDataString(id)}";
        }

        return result;
    }

    /// <summary>
    /// Create Store: 201 with the new store, whose id is a checkout <c>storeId</c> of the account's merchant. Needs the
    /// account's authorization token, as Update Merchant Account does.
    /// </summary>
    public static Task<ApiResult> CreateStoreAsync(ApiRequest request, StoreRequest body)
    {
        var id = request.Route("merchantAccountId");
        return request.WriteAsync(
            RequiredToken(request),
            (session, token) => StoreAnswer(MerchantAccountCommands.CreateStore(session, request.Command, id, token, Details(body)), StatusCodes.Status201Created));
    }

    /// <summary>Update Store: 200 with the store as it now is.</summary>
    public static Task<ApiResult> UpdateStoreAsync(ApiRequest request, StoreRequest body)
    {
        var id = request.Route("merchantAccountId");
        var storeId = request.Route("storeId");
        return request.WriteAsync(
            RequiredToken(request),
            (session, token) => StoreAnswer(MerchantAccountCommands.UpdateStore(session, request.Command, id, storeId, token, Details(body)), StatusCodes.Status200OK));
    }

    /// <summary>
    /// The routing rule of spec §3.1: a body with anything only Create Merchant Account sends (stores, merchantStatus,
    /// integrationInfo, beneficiaryOwners, businessInfo.email) creates a loginable account; any other registers one.
    /// </summary>
    public static bool IsCreate(MerchantAccountRequest body) =>
        body.Stores is not null || body.MerchantStatus is not null || body.IntegrationInfo is not null || body.BeneficiaryOwners is not null
        || body.BusinessInfo?.Email is not null;

    /// <summary>How the operator chose to route this partner's account requests (<c>tillpoint merchants set-account-api</c>).</summary>
    private static MerchantAccountApi PartnerApi(ApiRequest request) =>
        request.Services.Store.Read(reader => MerchantAccountCommands.Api(reader, request.Owner.MerchantId));

    private static DomainError MissingToken() => new(ErrorCode.MissingHeader, $"The required header '{AuthorizationTokenHeader}' is missing.");

    private static Result<string> RequiredToken(ApiRequest request) =>
        request.Context.Request.Headers[AuthorizationTokenHeader].ToString() is { Length: > 0 } token ? token : MissingToken();

    private static StoreDetails Details(StoreRequest body) =>
        new(body.StoreName, body.AllowedOriginDomains, body.AllowedRedirectUrls, body.PrivacyPolicyUrl, body.MerchantLogoUrl);

    private static ApiResult StoreAnswer(Result<(MerchantAccount Account, MerchantAccountStore Store)> result, int status) =>
        result.IsSuccess ? ApiResult.Json(status, ToDto(result.Value.Account, result.Value.Store), ApiJsonContext.Default.StoreDto) : result.Error;

    private static StoreDto ToDto(MerchantAccount account, MerchantAccountStore store) => new()
    {
        StoreId = store.StoreId,
        MerchantAccountId = account.MerchantAccountId,
        StoreName = store.StoreName,
        AllowedOriginDomains = [.. store.AllowedOriginDomains],
        AllowedRedirectUrls = [.. store.AllowedRedirectUrls],
        PrivacyPolicyUrl = store.PrivacyPolicyUrl,
        MerchantLogoUrl = store.MerchantLogoUrl,
    };

    private static ApiResult Answer(Result<MerchantAccount> account, int status) =>
        account.IsSuccess ? ApiResult.Json(status, Ids(account.Value), ApiJsonContext.Default.MerchantAccountIdsDto) : account.Error;

    private static MerchantAccountIdsDto Ids(MerchantAccount account) =>
        new() { UniqueReferenceId = account.UniqueReferenceId, MerchantAccountId = account.MerchantAccountId };

    private static Result<NewMerchantAccount> ToNew(MerchantAccountRequest body, MerchantAccountKind kind, ApiRequest request)
    {
        if (string.IsNullOrEmpty(body.UniqueReferenceId))
        {
            return DomainError.Missing("uniqueReferenceId");
        }

        if (string.IsNullOrEmpty(body.LedgerCurrency))
        {
            return DomainError.Missing("ledgerCurrency");
        }

        if (!Currencies.TryParse(body.LedgerCurrency, out var currency) || !LedgerCurrencies.Contains(currency))
        {
            return DomainError.InvalidValue("ledgerCurrency", $"'{body.LedgerCurrency}' is not one of {string.Join(", ", LedgerCurrencies)}.");
        }

        if (body.BusinessInfo is not { } business)
        {
            return DomainError.Missing("businessInfo");
        }

        var error = (business.BusinessType is null ? DomainError.Missing("businessInfo.businessType") : null)
            ?? (business.BusinessLegalName is null ? DomainError.Missing("businessInfo.businessLegalName") : null)
            ?? (business.CountryOfEstablishment is null ? DomainError.Missing("businessInfo.countryOfEstablishment") : null)
            ?? (business.BusinessAddress is null ? DomainError.Missing("businessInfo.businessAddress") : null)
            ?? Validate(body, request);
        if (error is not null)
        {
            return error;
        }

        var account = new NewMerchantAccount(
            kind,
            body.UniqueReferenceId,
            currency,
            new LegalEntity(business.BusinessType!, business.BusinessLegalName!, business.CountryOfEstablishment!),
            business.BusinessDisplayName,
            business.Email,
            Details(body).ToJsonString());
        error = MerchantAccount.Validate(account);
        return error is null ? account : error;
    }

    private static Result<MerchantAccountUpdate> ToUpdate(MerchantAccountRequest body, ApiRequest request)
    {
        if (body.UniqueReferenceId is not null || body.LedgerCurrency is not null)
        {
            return DomainError.InvalidValue(
                body.UniqueReferenceId is not null ? "uniqueReferenceId" : "ledgerCurrency", "it cannot be changed once the account exists.");
        }

        var business = body.BusinessInfo;
        var error = Validate(body, request);
        return error is not null
            ? error
            : new MerchantAccountUpdate(
                business?.BusinessType, business?.BusinessLegalName, business?.CountryOfEstablishment, business?.BusinessDisplayName, business?.Email,
                Details(body));
    }

    /// <summary>
    /// The checks of the parts the domain keeps as opaque details: the country codes, the amount, and the IPN endpoint
    /// URLs, which become the merchant's endpoints and so must be targets the server sends notifications to.
    /// </summary>
    private static DomainError? Validate(MerchantAccountRequest body, ApiRequest request) =>
        Country("businessInfo.businessAddress.countryCode", body.BusinessInfo?.BusinessAddress)
        ?? Country("primaryContactPerson.residentialAddress.countryCode", body.PrimaryContactPerson?.ResidentialAddress)
        ?? RequestMapper.OptionalMoney(body.BusinessInfo?.AnnualSalesVolume, "businessInfo.annualSalesVolume", request.Limits).Error
        ?? IpnEndpointUrls(body.IntegrationInfo?.IpnEndpointUrls, request.Services.Options.Ipn.AllowedHosts);

    private static DomainError? IpnEndpointUrls(List<string>? urls, IReadOnlySet<string> allowedHosts)
    {
        const string Field = "integrationInfo.ipnEndpointUrls";
        if (urls is null)
        {
            return null;
        }

        if (urls.Count > MaxIpnEndpointUrls)
        {
            return DomainError.InvalidValue(Field, $"it has more than {MaxIpnEndpointUrls} entries.");
        }

        for (var i = 0; i < urls.Count; i++)
        {
            var refusal = string.IsNullOrEmpty(urls[i]) ? DomainError.Missing($"{Field}[{i}]")
                : IpnTargets.Refusal(urls[i], allowedHosts) is { } why ? DomainError.InvalidValue($"{Field}[{i}]", why)
                : null;
            if (refusal is not null)
            {
                return refusal;
            }
        }

        return null;
    }

    private static DomainError? Country(string field, AccountAddressDto? address) =>
        address?.CountryCode is { } code ? MerchantAccount.CountryCode(field, code) : null;

    /// <summary>Everything but the ids, as given (no null members): what the account keeps as its details.</summary>
    private static JsonObject Details(MerchantAccountRequest body)
    {
        var details = JsonSerializer.SerializeToNode(body, ApiRequestJsonContext.Default.MerchantAccountRequest)!.AsObject();
        details.Remove("uniqueReferenceId");
        details.Remove("ledgerCurrency");
        return details;
    }
}
