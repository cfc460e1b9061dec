using Tillpoint.Domain.Disputes;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>Maps the dispute requests (spec §2.3–2.6) to the domain's terms: everything that needs no stored object.</summary>
internal static class DisputeRequests
{
    /// <summary>From here on an epoch number is milliseconds (Node sends Date.now()); below it, seconds (Java, PHP).</summary>
    public const long MillisecondsFrom = 1_000_000_000_000;

    private static readonly DateTimeOffset Latest = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public static Result<(string ChargeId, DisputeFiling Filing)> ToCreate(CreateDisputeRequest body, Limits limits)
    {
        if (body.ChargeId is not { } chargeId)
        {
            return DomainError.Missing("chargeId");
        }

        if (body.ProviderMetadata?.ProviderDisputeId is not { } providerDisputeId)
        {
            return DomainError.Missing("providerMetadata.providerDisputeId");
        }

        if (DomainError.TooLong("providerMetadata.providerDisputeId", providerDisputeId, limits.ProviderDisputeIdMaxLength) is { } tooLong)
        {
            return tooLong;
        }

        if (body.DisputeType is { } type && type != "Chargeback")
        {
            return DomainError.InvalidValue("disputeType", $"'{type}' is not one of Chargeback.");
        }

        var amount = RequestMapper.RequiredMoney(body.DisputeAmount, "disputeAmount", limits);
        if (!amount.IsSuccess)
        {
            return amount.Error;
        }

        var reason = Required<DisputeFilingReason>(body.FilingReason, "filingReason");
        if (!reason.IsSuccess)
        {
            return reason.Error;
        }

        if (body.FilingTimestamp is not null && body.CreationTimestamp is not null)
        {
            return new DomainError(ErrorCode.InvalidParameterCombination, "Give 'filingTimestamp' or its other name 'creationTimestamp', not both.");
        }

        var filed = Epoch(body.FilingTimestamp ?? body.CreationTimestamp, body.CreationTimestamp is null ? "filingTimestamp" : "creationTimestamp");
        var deadline = Epoch(body.MerchantResponseDeadline, "merchantResponseDeadline");
        var status = body.StatusDetails is null ? (Result<DisputeStatusReport?>)(DisputeStatusReport?)null : ToStatus(body.StatusDetails, limits);
        var error = filed.Error ?? deadline.Error ?? status.Error;
        if (error is not null)
        {
            return error;
        }

        return (chargeId, new DisputeFiling(amount.Value, reason.Value, filed.Value, deadline.Value, status.Value, providerDisputeId));
    }

    public static Result<(DisputeStatusReport Status, DateTimeOffset? ClosedAt)> ToUpdate(UpdateDisputeRequest body, Limits limits)
    {
        if (body.StatusDetails is null)
        {
            return DomainError.Missing("statusDetails");
        }

        var status = ToStatus(body.StatusDetails, limits);
        if (!status.IsSuccess)
        {
            return status.Error;
        }

        if (body.ClosureTimestamp is null)
        {
            return (status.Value!, (DateTimeOffset?)null);
        }

        var closed = Epoch(body.ClosureTimestamp, "closureTimestamp");
        return closed.IsSuccess ? (status.Value!, closed.Value) : closed.Error;
    }

    public static Result<IReadOnlyList<MerchantEvidence>> ToEvidences(ContestDisputeRequest body, Limits limits)
    {
        if (body.MerchantEvidences is not { Count: > 0 } given)
        {
            return DomainError.Missing("merchantEvidences");
        }

        if (given.Count > limits.MaxMerchantEvidences)
        {
            return DomainError.InvalidValue("merchantEvidences", $"at most {limits.MaxMerchantEvidences} pieces of evidence per request.");
        }

        var evidences = new List<MerchantEvidence>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            var field = $"merchantEvidences[{i}]";
            if (given[i] is not { } dto)
            {
                return DomainError.Missing(field);
            }

            var type = Required<EvidenceType>(dto.EvidenceType, $"{field}.evidenceType");
            if (!type.IsSuccess)
            {
                return type.Error;
            }

            if (string.IsNullOrEmpty(dto.FileId) && string.IsNullOrEmpty(dto.EvidenceText))
            {
                return new DomainError(ErrorCode.MissingParameterValue, $"The parameter '{field}' needs a 'fileId', an 'evidenceText' or both.");
            }

            if (DomainError.TooLong($"{field}.evidenceText", dto.EvidenceText, limits.EvidenceTextMaxLength) is { } tooLong)
            {
                return tooLong;
            }

            evidences.Add(new MerchantEvidence(type.Value, string.IsNullOrEmpty(dto.FileId) ? null : dto.FileId, dto.EvidenceText));
        }

        return evidences;
    }

    /// <summary>An epoch number: milliseconds from <see cref="MillisecondsFrom"/> on, seconds below it.</summary>
    public static Result<DateTimeOffset> Epoch(long? value, string field)
    {
        if (value is not { } number)
        {
            return DomainError.Missing(field);
        }

        if (number < 0)
        {
            return DomainError.InvalidValue(field, "an epoch time cannot be negative.");
        }

        var milliseconds = number >= MillisecondsFrom ? number : number * 1000;
        return milliseconds <= Latest.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : DomainError.InvalidValue(field, "it is past the year 9999.");
    }

    private static Result<DisputeStatusReport?> ToStatus(DisputeStatusRequest dto, Limits limits)
    {
        var state = Required<DisputeState>(dto.State, "statusDetails.state");
        var reason = RequestMapper.Enum<DisputeReasonCode>(dto.ReasonCode, "statusDetails.reasonCode");
        var resolution = RequestMapper.Enum<DisputeResolution>(dto.Resolution, "statusDetails.resolution");
        var error = state.Error ?? reason.Error ?? resolution.Error
            ?? DomainError.TooLong("statusDetails.reasonDescription", dto.ReasonDescription, limits.DisputeReasonDescriptionMaxLength);
        return error is null ? new DisputeStatusReport(state.Value, reason.Value, dto.ReasonDescription, resolution.Value) : error;
    }

    private static Result<T> Required<T>(string? value, string field)
        where T : struct, Enum
    {
        var parsed = RequestMapper.Enum<T>(value, field);
        return !parsed.IsSuccess ? parsed.Error : parsed.Value is { } v ? v : DomainError.Missing(field);
    }
}
