namespace Tillpoint.Protocol.Json;

/// <summary>Update Charge request body (payment service providers only).</summary>
public sealed class UpdateChargeRequest
{
    /// <summary>The status the provider's own processing of the charge reached.</summary>
    public UpdateChargeStatusDetails? StatusDetails { get; set; }
}

/// <summary>The state a provider reports, and the reason for Canceled and Declined.</summary>
public sealed class UpdateChargeStatusDetails
{
    /// <summary>Authorized, Captured, Canceled or Declined.</summary>
    public string? State { get; set; }

    /// <summary>For Canceled: ExpiredUnused, MerchantCanceled or AmazonCanceled; for Declined: a decline reason.</summary>
    public string? ReasonCode { get; set; }
}

/// <summary>Get Authorization Token response: the delegation token a solution provider sends as <c>x-amz-pay-authtoken</c>.</summary>
public sealed class AuthorizationTokenDto
{
    /// <summary>An HS256 JSON Web Token.</summary>
    public string? AuthorizationToken { get; set; }
}
