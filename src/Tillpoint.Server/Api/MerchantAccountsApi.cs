using System.Text.Json;
using System.Text.Json.Nodes;
using Tillpoint.Domain.MerchantAccounts;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Commands;

namespace Tillpoint.Server.Api;

/// <summary>
/// The account APIs (spec §3): map → command → answer. Two generations share <c>POST /merchantAccounts</c> and
/// <c>PATCH /merchantAccounts/{id}</c>; <see cref="IsCreate"/> and the authorization token tell them apart (spec §3.1).
/// </summary>
internal static class MerchantAccountsApi
{
    /// <summary>The header Create Merchant Account's token comes back in (header names are case-insensitive).</summary>
    public const string AuthorizationTokenHeader = "x-amz-pay-authtoken";

    private static readonly Currency[] LedgerCurrencies = [Currency.USD, Currency.EUR, Currency.GBP, Currency.JPY];

    /// <summary>Register Amazon Pay Account (201, exactly the two ids) or Create Merchant Account (201, ids and token).</summary>
    public static Task<ApiResult> CreateAsync(ApiRequest request, MerchantAccountRequest body)
    {
        var kind = IsCreate(body) ? MerchantAccountKind.MerchantAccount : MerchantAccountKind.AmazonPayAccount;
        return request.WriteAsync(ToNew(body, kind, request.Limits), (session, account) =>
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
    /// 204, no body).
    /// </summary>
    public static Task<ApiResult> UpdateAsync(ApiRequest request, MerchantAccountRequest body)
    {
        var id = request.Route("merchantAccountId");
        var token = request.Context.Request.Headers[AuthorizationTokenHeader].ToString();
        var withToken = token.Length > 0;
        return request.WriteAsync(ToUpdate(body), (session, update) =>
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
    /// The routing rule of spec §3.1: a body with anything only Create Merchant Account sends (stores, merchantStatus,
    /// integrationInfo, beneficiaryOwners, businessInfo.email) creates a loginable account; any other registers one.
    /// </summary>
    public static bool IsCreate(MerchantAccountRequest body) =>
        body.Stores is not null || body.MerchantStatus is not null || body.IntegrationInfo is not null || body.BeneficiaryOwners is not null
        || body.BusinessInfo?.Email is not null;

    private static ApiResult Answer(Result<MerchantAccount> account, int status) =>
        account.IsSuccess ? ApiResult.Json(status, Ids(account.Value), ApiJsonContext.Default.MerchantAccountIdsDto) : account.Error;

    private static MerchantAccountIdsDto Ids(MerchantAccount account) =>
        new() { UniqueReferenceId = account.UniqueReferenceId, MerchantAccountId = account.MerchantAccountId };

    private static Result<NewMerchantAccount> ToNew(MerchantAccountRequest body, MerchantAccountKind kind, Limits limits)
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
            ?? Validate(body, limits);
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

    private static Result<MerchantAccountUpdate> ToUpdate(MerchantAccountRequest body)
    {
        if (body.UniqueReferenceId is not null || body.LedgerCurrency is not null)
        {
            return DomainError.InvalidValue(
                body.UniqueReferenceId is not null ? "uniqueReferenceId" : "ledgerCurrency", "it cannot be changed once the account exists.");
        }

        var business = body.BusinessInfo;
        var error = Validate(body, Limits.Default);
        return error is not null
            ? error
            : new MerchantAccountUpdate(
                business?.BusinessType, business?.BusinessLegalName, business?.CountryOfEstablishment, business?.BusinessDisplayName, business?.Email,
                Details(body));
    }

    /// <summary>The checks of the parts the domain keeps as opaque details: the country codes and the amount.</summary>
    private static DomainError? Validate(MerchantAccountRequest body, Limits limits) =>
        Country("businessInfo.businessAddress.countryCode", body.BusinessInfo?.BusinessAddress)
        ?? Country("primaryContactPerson.residentialAddress.countryCode", body.PrimaryContactPerson?.ResidentialAddress)
        ?? RequestMapper.OptionalMoney(body.BusinessInfo?.AnnualSalesVolume, "businessInfo.annualSalesVolume", limits).Error;

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
