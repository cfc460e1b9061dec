using Tillpoint.Domain.Charges;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>Request checks of the role operations: everything that needs no stored object.</summary>
internal static partial class RequestMapper
{
    /// <summary>
    /// Update Charge's body: a known state and reason code, by their exact names. Which states and reasons go together,
    /// and from which state, is the charge's own rule (<see cref="Charge.Update"/>).
    /// </summary>
    public static Result<ChargeStatusUpdate> ToChargeStatusUpdate(UpdateChargeRequest request)
    {
        if (request.StatusDetails is not { } details)
        {
            return DomainError.Missing("statusDetails");
        }

        if (details.State is null)
        {
            return DomainError.Missing("statusDetails.state");
        }

        var state = Enum<ChargeState>(details.State, "statusDetails.state");
        var reason = Enum<ChargeReasonCode>(details.ReasonCode, "statusDetails.reasonCode");
        return (state.Error ?? reason.Error) is { } error ? error : new ChargeStatusUpdate(state.Value!.Value, reason.Value);
    }
}
