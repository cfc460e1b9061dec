using Tillpoint.Protocol.Json;

namespace Tillpoint.Client;

/// <summary>The operations for payment service providers and solution providers, which need a role granted to the caller.</summary>
public sealed partial class AmazonPayClient
{
    /// <summary>
    /// Update Charge: <c>PATCH charges/{id}</c> (200), for payment service providers: reports how the provider's own
    /// processing of the charge ended. Refused with 401 UnauthorizedAccess unless the caller has the PSP role.
    /// </summary>
    /// <param name="chargeId">The charge id.</param>
    /// <param name="request">The reported state, and the reason for Canceled and Declined.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The charge in its reported state.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<ChargeDto>> UpdateChargeAsync(string chargeId, UpdateChargeRequest request,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Patch, "charges/" + Segment(chargeId), request, ApiRequestJsonContext.Default.UpdateChargeRequest,
            ApiJsonContext.Default.ChargeDto, options, ct);

    /// <summary>
    /// Get Authorization Token: <c>GET authorizationTokens/{mwsAuthToken}?merchantId=…</c> (200), for solution providers:
    /// exchanges a merchant's MWS auth token for the token to send as <c>x-amz-pay-authtoken</c> (in
    /// <see cref="RequestOptions.ExtraHeaders"/>) when acting for that merchant.
    /// </summary>
    /// <param name="mwsAuthToken">The MWS auth token the merchant gave the solution provider.</param>
    /// <param name="merchantId">The merchant's id.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The authorization token.</returns>
    /// <exception cref="ArgumentException">The token is empty, blank, <c>.</c> or <c>..</c>, or the merchant id is empty.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<AuthorizationTokenDto>> GetAuthorizationTokenAsync(string mwsAuthToken, string merchantId,
        RequestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(merchantId);
        return SendJsonAsync(
            HttpMethod.Get, "authorizationTokens/" + Segment(mwsAuthToken) + "?merchantId=" + Uri.EscapeDataString(merchantId), null,
            ApiJsonContext.Default.AuthorizationTokenDto, options, ct);
    }
}
