using Tillpoint.Protocol.Json;

namespace Tillpoint.Client;

/// <summary>
/// The account APIs (a partner's merchant accounts) and the in-store API, one typed method each, all sent through
/// <see cref="SendAsync"/>. The account operations need the solution-provider role on the calling merchant.
/// </summary>
public sealed partial class AmazonPayClient
{
    private const string AuthorizationTokenHeader = "x-amz-pay-authtoken";

    /// <summary>
    /// Register Amazon Pay Account: <c>POST merchantAccounts</c> (201) with a body that has none of the fields only Create
    /// Merchant Account sends (stores, merchantStatus, integrationInfo, beneficiaryOwners, businessInfo.email).
    /// </summary>
    /// <param name="request">The partner's id for the merchant, its ledger currency and business.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The account's ids.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<MerchantAccountIdsDto>> RegisterAmazonPayAccountAsync(MerchantAccountRequest request,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "merchantAccounts", request, ApiRequestJsonContext.Default.MerchantAccountRequest,
            ApiJsonContext.Default.MerchantAccountIdsDto, options, ct);

    /// <summary>Update Amazon Pay Account: <c>PATCH merchantAccounts/{id}</c> without an authorization token (204, no body).</summary>
    /// <param name="merchantAccountId">The account's id.</param>
    /// <param name="request">The details to change; the legal entity cannot change.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The 204 response.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public async Task<AmazonPayRawResponse> UpdateAmazonPayAccountAsync(string merchantAccountId, MerchantAccountRequest request,
        RequestOptions? options = null, CancellationToken ct = default)
    {
        var raw = await SendAsync(HttpMethod.Patch, "merchantAccounts/" + Segment(merchantAccountId),
            JsonBody(request, ApiRequestJsonContext.Default.MerchantAccountRequest), options, ct).ConfigureAwait(false);
        return raw.EnsureSuccess();
    }

    /// <summary>Delete Amazon Pay Account: <c>DELETE merchantAccounts/{id}</c> (202).</summary>
    /// <param name="merchantAccountId">The account's id.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The deleted account's ids.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<MerchantAccountIdsDto>> DeleteAmazonPayAccountAsync(string merchantAccountId,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Delete, "merchantAccounts/" + Segment(merchantAccountId), null, ApiJsonContext.Default.MerchantAccountIdsDto, options, ct);

    /// <summary>Create Merchant Account: <c>POST merchantAccounts</c> (201) with <c>businessInfo.email</c> set.</summary>
    /// <param name="request">The merchant, its business, stores and contacts.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The account's ids and the authorization token to update it with.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<CreatedMerchantAccountDto>> CreateMerchantAccountAsync(MerchantAccountRequest request,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "merchantAccounts", request, ApiRequestJsonContext.Default.MerchantAccountRequest,
            ApiJsonContext.Default.CreatedMerchantAccountDto, options, ct);

    /// <summary>Update Merchant Account: <c>PATCH merchantAccounts/{id}</c> with <c>x-amz-pay-authtoken</c> (200).</summary>
    /// <param name="merchantAccountId">The account's id.</param>
    /// <param name="request">The details to change, until the account is claimed.</param>
    /// <param name="authorizationToken">The token Create Merchant Account returned.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>; its extra headers are sent too.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The account's ids.</returns>
    /// <exception cref="ArgumentException">The id or the token is empty, or the options already carry a token.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<MerchantAccountIdsDto>> UpdateMerchantAccountAsync(string merchantAccountId, MerchantAccountRequest request,
        string authorizationToken, RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Patch, "merchantAccounts/" + Segment(merchantAccountId), request,
            ApiRequestJsonContext.Default.MerchantAccountRequest, ApiJsonContext.Default.MerchantAccountIdsDto, WithToken(options, authorizationToken), ct);

    /// <summary>
    /// Create Store: <c>POST merchantAccounts/{id}/stores</c> with <c>x-amz-pay-authtoken</c> (201). Tillpoint answers the
    /// store; its id is a checkout store id of the account's merchant.
    /// </summary>
    /// <param name="merchantAccountId">The account's id.</param>
    /// <param name="request">The store's name, origins, return pages, privacy policy and logo.</param>
    /// <param name="authorizationToken">The token Create Merchant Account returned.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>; its extra headers are sent too.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The new store.</returns>
    /// <exception cref="ArgumentException">The id or the token is empty, or the options already carry a token.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<StoreDto>> CreateStoreAsync(string merchantAccountId, StoreRequest request, string authorizationToken,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "merchantAccounts/" + Segment(merchantAccountId) + "/stores", request,
            ApiRequestJsonContext.Default.StoreRequest, ApiJsonContext.Default.StoreDto, WithToken(options, authorizationToken), ct);

    /// <summary>Update Store: <c>PATCH merchantAccounts/{id}/stores/{storeId}</c> with <c>x-amz-pay-authtoken</c> (200).</summary>
    /// <param name="merchantAccountId">The account's id.</param>
    /// <param name="storeId">The store's id, as Create Store answered it.</param>
    /// <param name="request">The fields to change; a list given replaces the stored one.</param>
    /// <param name="authorizationToken">The token Create Merchant Account returned.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>; its extra headers are sent too.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The store as it now is.</returns>
    /// <exception cref="ArgumentException">An id or the token is empty, or the options already carry a token.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<StoreDto>> UpdateStoreAsync(string merchantAccountId, string storeId, StoreRequest request,
        string authorizationToken, RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Patch, "merchantAccounts/" + Segment(merchantAccountId) + "/stores/" + Segment(storeId), request,
            ApiRequestJsonContext.Default.StoreRequest, ApiJsonContext.Default.StoreDto, WithToken(options, authorizationToken), ct);

    /// <summary>
    /// Merchant Account Claim: <c>POST merchantAccounts/{id}/claim</c> (303 See Other, its body the account's ids). The
    /// client's own HTTP client does not follow redirects; one given to it must not either, or the 303 is never seen.
    /// </summary>
    /// <param name="merchantAccountId">The account's id.</param>
    /// <param name="request">The uniqueReferenceId the account was created with.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The claimed account's ids (status 303).</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public async Task<AmazonPayResponse<MerchantAccountIdsDto>> MerchantAccountClaimAsync(string merchantAccountId,
        ClaimMerchantAccountRequest request, RequestOptions? options = null, CancellationToken ct = default)
    {
        var raw = await SendAsync(HttpMethod.Post, "merchantAccounts/" + Segment(merchantAccountId) + "/claim",
            JsonBody(request, ApiRequestJsonContext.Default.ClaimMerchantAccountRequest), options, ct).ConfigureAwait(false);
        return (raw.StatusCode == 303 ? raw : raw.EnsureSuccess()).Decode(ApiJsonContext.Default.MerchantAccountIdsDto);
    }

    /// <summary>The options with <c>x-amz-pay-authtoken</c> added to their extra headers.</summary>
    private static RequestOptions WithToken(RequestOptions? options, string authorizationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(authorizationToken);
        var headers = new Dictionary<string, string>(options?.ExtraHeaders ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        if (!headers.TryAdd(AuthorizationTokenHeader, authorizationToken))
        {
            throw new ArgumentException($"The options already carry {AuthorizationTokenHeader}.", nameof(options));
        }

        return new RequestOptions { IdempotencyKey = options?.IdempotencyKey, SimulationCode = options?.SimulationCode, ExtraHeaders = headers };
    }

    /// <summary>In-store Merchant Scan: <c>POST in-store/merchantScan</c> (200).</summary>
    /// <param name="request">The scanned code and where it was scanned.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The charge permission the scan made.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<MerchantScanDto>> MerchantScanAsync(MerchantScanRequest request, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "in-store/merchantScan", request, ApiRequestJsonContext.Default.MerchantScanRequest,
            ApiJsonContext.Default.MerchantScanDto, options, ct);

    /// <summary>In-store Charge: <c>POST in-store/charge</c> (200; chargeStatus Completed or Declined).</summary>
    /// <param name="request">The scan's permission, the amount and the merchant's reference.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The charge's id and state.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<InStoreChargeDto>> InStoreChargeAsync(InStoreChargeRequest request, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "in-store/charge", request, ApiRequestJsonContext.Default.InStoreChargeRequest,
            ApiJsonContext.Default.InStoreChargeDto, options, ct);

    /// <summary>In-store Refund: <c>POST in-store/refund</c> (200; refundStatus Pending until it settles).</summary>
    /// <param name="request">The in-store charge, the amount and the merchant's reference.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The refund's id and state.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<InStoreRefundDto>> InStoreRefundAsync(InStoreRefundRequest request, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "in-store/refund", request, ApiRequestJsonContext.Default.InStoreRefundRequest,
            ApiJsonContext.Default.InStoreRefundDto, options, ct);
}
