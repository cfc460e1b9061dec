namespace Tillpoint.Client;

/// <summary>Per-call options of an <see cref="AmazonPayClient"/> operation. Instances may be reused across calls.</summary>
/// <remarks>
/// The client never retries by itself. To retry a POST safely (after a timeout, a 5xx or a 429), send it again with the
/// <b>same</b> <see cref="IdempotencyKey"/>: the server then replays the first outcome instead of acting twice. A key
/// the client generates itself is not reported back, so set one (e.g. <see cref="AmazonPayClient.NewIdempotencyKey"/>)
/// whenever a call may be retried.
/// </remarks>
public sealed class RequestOptions
{
    /// <summary>
    /// The <c>x-amz-pay-idempotency-key</c> to send: 1 to 32 characters from <c>A-Z a-z 0-9 - _</c>. When
    /// <see langword="null"/>, every POST gets a fresh key from <see cref="AmazonPayClient.NewIdempotencyKey"/> and other
    /// methods are sent without one. A key given here is sent with any method.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The <c>x-amz-pay-simulation-code</c> (sandbox only, spec §10.2), or <see langword="null"/> for none.</summary>
    public string? SimulationCode { get; init; }

    /// <summary>
    /// More headers to send, each signed, e.g. <c>x-amz-pay-authtoken</c>. Names are HTTP tokens, compared
    /// case-insensitively, and must not be one the client sets itself (<c>accept</c>, <c>content-type</c>,
    /// <c>x-amz-pay-date</c>, <c>x-amz-pay-host</c>, <c>x-amz-pay-region</c>, <c>x-amz-pay-idempotency-key</c>,
    /// <c>x-amz-pay-simulation-code</c>, <c>authorization</c>) or a transport header (<c>host</c>, <c>content-length</c>,
    /// <c>transfer-encoding</c>, <c>connection</c>). A <c>user-agent</c> given here replaces the client's own and is signed.
    /// Values must be printable ASCII.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ExtraHeaders { get; init; }
}
