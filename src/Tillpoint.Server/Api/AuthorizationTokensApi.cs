using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>Get Authorization Token (spec more §6): a solution provider exchanges a merchant's MWS auth token for a delegation token.</summary>
internal static class AuthorizationTokensApi
{
    public static async Task<ApiResult> GetAsync(ApiRequest request)
    {
        var mwsAuthToken = request.Route("mwsAuthToken");
        var merchantIds = request.Context.Request.Query["merchantId"];
        if (merchantIds.Count > 1)
        {
            return DomainError.InvalidValue("merchantId", "it is given more than once.");
        }

        if (merchantIds.ToString() is not { Length: > 0 } merchantId)
        {
            return DomainError.Missing("merchantId");
        }

        // One answer for every mismatch, so a solution provider cannot probe which tokens or merchants exist.
        var delegation = request.Services.Store.Read(reader => reader.GetMwsAuthToken(mwsAuthToken));
        if (delegation is not { RevokedAt: null } || delegation.MerchantId != merchantId || delegation.SolutionProviderId != request.Caller.MerchantId)
        {
            return new DomainError(
                ErrorCode.UnauthorizedAccess,
                $"The MWS auth token is not valid for merchant '{merchantId}' and the solution provider '{request.Caller.MerchantId}', or it was revoked.");
        }

        var token = await request.Services.AuthorizationTokens.IssueAsync(delegation, request.Now);
        return ApiResult.Json(StatusCodes.Status200OK, new AuthorizationTokenDto { AuthorizationToken = token }, ApiJsonContext.Default.AuthorizationTokenDto);
    }
}
