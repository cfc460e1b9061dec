using Tillpoint.Domain.Disputes;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Commands;

namespace Tillpoint.Server.Api;

/// <summary>Dispute handlers (spec §2.3–2.6): map the request, run the command, answer with the Dispute, always 200.</summary>
internal static class DisputesApi
{
    public static Task<ApiResult> CreateDisputeAsync(ApiRequest request, CreateDisputeRequest body) =>
        request.WriteAsync(
            DisputeRequests.ToCreate(body, request.Limits),
            (session, create) => Answer(DisputeCommands.Open(session, request.Command, create.ChargeId, create.Filing)));

    public static Task<ApiResult> GetDisputeAsync(ApiRequest request)
    {
        var id = request.Route("disputeId");
        var dispute = request.Services.Store.Read(reader => DisputeCommands.Current(reader, request.Owner, id, request.Now));
        return Task.FromResult(dispute is null ? DomainError.NotFound("Dispute", id) : Answer(dispute));
    }

    public static Task<ApiResult> UpdateDisputeAsync(ApiRequest request, UpdateDisputeRequest body)
    {
        var id = request.Route("disputeId");
        var now = request.Now;
        return request.WriteAsync(
            DisputeRequests.ToUpdate(body, request.Limits),
            (session, update) => Answer(DisputeCommands.Change(session, request.Command, id, d => d.Update(update.Status, update.ClosedAt, now))));
    }

    public static Task<ApiResult> ContestDisputeAsync(ApiRequest request, ContestDisputeRequest body)
    {
        var id = request.Route("disputeId");
        return request.WriteAsync(
            DisputeRequests.ToEvidences(body, request.Limits),
            (session, evidences) => Answer(DisputeCommands.Contest(session, request.Command, id, evidences)));
    }

    private static ApiResult Answer(Result<Dispute> dispute) =>
        ApiResult.Json(StatusCodes.Status200OK, dispute, WireMapper.ToDto, ApiJsonContext.Default.DisputeDto);
}
