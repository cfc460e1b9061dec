using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>The operations only a merchant the operator granted a role may call: Update Charge (PSP) and Get Authorization Token (solution provider).</summary>
internal sealed partial class ApiOperations
{
    private const string AuthorizationTokens = "Authorization Tokens";

    private static ApiOperation[] RoleOperations =>
    [
        Command(
            "UpdateCharge", "PATCH", "charges/{chargeId}", Charges, "Update a Charge",
            "A payment service provider reports how its own processing of a charge ended (Authorized, Captured, Canceled or Declined with a reason). Needs the psp role.",
            Bodies.UpdateChargeRequest, typeof(ChargeDto), [200], IdempotencyKeyUse.None, null, WriteErrors,
            ChargesApi.UpdateChargeAsync) with { RequiredRole = MerchantRole.Psp },
        Read(
            "GetAuthorizationToken", "authorizationTokens/{mwsAuthToken}", AuthorizationTokens, "Get an Authorization Token",
            "Exchanges an MWS auth token the operator issued for a merchant (query merchantId) for the token a solution provider sends as x-amz-pay-authtoken to act for that merchant. Needs the solution-provider role.",
            typeof(AuthorizationTokenDto), AuthorizationTokensApi.GetAsync) with { RequiredRole = MerchantRole.SolutionProvider },
    ];
}
