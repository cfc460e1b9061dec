using Tillpoint.Protocol.Json;

namespace Tillpoint.Client;

/// <summary>The Disputes and Files operations (Create and Update Dispute are for payment service providers).</summary>
public sealed partial class AmazonPayClient
{
    /// <summary>
    /// Create Dispute: <c>POST disputes</c> (200), for payment service providers. Sends an idempotency key, generated when
    /// none is given.
    /// </summary>
    /// <param name="request">The captured charge, the disputed amount, the reason and the deadline.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The created dispute.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<DisputeDto>> CreateDisputeAsync(CreateDisputeRequest request, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "disputes", request, ApiRequestJsonContext.Default.CreateDisputeRequest,
            ApiJsonContext.Default.DisputeDto, options, ct);

    /// <summary>Get Dispute: <c>GET disputes/{id}</c> (200).</summary>
    /// <param name="disputeId">The dispute id.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The dispute.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<DisputeDto>> GetDisputeAsync(string disputeId, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Get, "disputes/" + Segment(disputeId), null, ApiJsonContext.Default.DisputeDto, options, ct);

    /// <summary>Update Dispute: <c>PATCH disputes/{id}</c> (200), for payment service providers.</summary>
    /// <param name="disputeId">The dispute id.</param>
    /// <param name="request">The new status, and the closure time of a final one.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The updated dispute.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<DisputeDto>> UpdateDisputeAsync(string disputeId, UpdateDisputeRequest request,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Patch, "disputes/" + Segment(disputeId), request, ApiRequestJsonContext.Default.UpdateDisputeRequest,
            ApiJsonContext.Default.DisputeDto, options, ct);

    /// <summary>
    /// Contest Dispute: <c>POST disputes/{id}/contest</c> (200), before the merchant response deadline. Sends an
    /// idempotency key, generated when none is given.
    /// </summary>
    /// <param name="disputeId">The dispute id.</param>
    /// <param name="request">The evidence: types with file ids from <see cref="UploadFileAsync"/>, texts, or both.</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The dispute, now UnderReview.</returns>
    /// <exception cref="ArgumentException">The id is empty, blank, <c>.</c> or <c>..</c>.</exception>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<DisputeDto>> ContestDisputeAsync(string disputeId, ContestDisputeRequest request,
        RequestOptions? options = null, CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "disputes/" + Segment(disputeId) + "/contest", request, ApiRequestJsonContext.Default.ContestDisputeRequest,
            ApiJsonContext.Default.DisputeDto, options, ct);

    /// <summary>
    /// Upload File: <c>POST files</c> (200), the first of two steps: the answer's <see cref="FileDto.Url"/> takes the
    /// bytes in an unsigned PUT before <see cref="FileDto.UrlExpirationTimestamp"/>. Sends an idempotency key, generated
    /// when none is given.
    /// </summary>
    /// <param name="request">The file's type and purpose (<c>disputeEvidence</c>).</param>
    /// <param name="options">Per-call options, or <see langword="null"/>.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The file, with the address to upload its bytes to.</returns>
    /// <exception cref="AmazonPayException">The server answered with an error.</exception>
    public Task<AmazonPayResponse<FileDto>> UploadFileAsync(UploadFileRequest request, RequestOptions? options = null,
        CancellationToken ct = default) =>
        SendJsonAsync(HttpMethod.Post, "files", request, ApiRequestJsonContext.Default.UploadFileRequest,
            ApiJsonContext.Default.FileDto, options, ct);
}
