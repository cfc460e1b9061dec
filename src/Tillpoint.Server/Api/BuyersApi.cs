using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Domain.Buyers;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Checkout;

namespace Tillpoint.Server.Api;

/// <summary>Get Buyer (spec §4.16, §5.9): what a sign-in's <c>buyerToken</c> lets the merchant read.</summary>
internal static class BuyersApi
{
    public static Task<ApiResult> GetBuyerAsync(ApiRequest request)
    {
        var protection = request.Context.RequestServices.GetRequiredService<IDataProtectionProvider>();
        var token = BuyerToken.Unprotect(protection, request.Route("buyerToken"));
        var caller = request.Caller;
        // One answer for every way a token can fail, so a caller learns nothing about tokens it does not own.
        var notFound = new DomainError(
            ErrorCode.ResourceNotFound, "The buyer token is not valid, has expired, or was issued to another merchant or environment.");
        if (token is null || token.MerchantId != caller.MerchantId || token.Environment != caller.Environment)
        {
            return Task.FromResult<ApiResult>(notFound);
        }

        if (!token.IsUsableAt(request.Now, request.Services.Options.BuyerTokenLifetime))
        {
            return Task.FromResult<ApiResult>(notFound);
        }

        var buyer = SandboxBuyers.Find(token.BuyerId);
        return Task.FromResult(buyer is null
            ? notFound
            : ApiResult.Json(StatusCodes.Status200OK, ToDto(buyer, token.Scopes), ApiJsonContext.Default.BuyerProfileDto));
    }

    /// <summary>Only what the buyer agreed to share; the postal code and country come from the default address.</summary>
    private static BuyerProfileDto ToDto(SandboxBuyer buyer, SignInScopes scopes)
    {
        var home = buyer.Addresses[0];
        var postalCode = scopes.HasFlag(SignInScopes.PostalCode);
        return new BuyerProfileDto
        {
            BuyerId = buyer.BuyerId,
            Name = scopes.HasFlag(SignInScopes.Name) ? buyer.Name : null,
            Email = scopes.HasFlag(SignInScopes.Email) ? buyer.Email : null,
            PostalCode = postalCode ? home.PostalCode : null,
            CountryCode = postalCode ? home.CountryCode : null,
            PhoneNumber = scopes.HasFlag(SignInScopes.PhoneNumber) ? buyer.PhoneNumber : null,
            ShippingAddress = scopes.HasFlag(SignInScopes.ShippingAddress) ? WireMapper.ToDto(home) : null,
            BillingAddress = scopes.HasFlag(SignInScopes.BillingAddress) ? WireMapper.ToDto(buyer.BillingAddress) : null,
            // No merchant is allow-listed for Prime status.
            PrimeMembershipTypes = null,
        };
    }
}
