using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Domain.Reports;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Commands.Reports;

namespace Tillpoint.Server.Api;

/// <summary>Reports, report schedules and disbursements handlers: map the request, run the command or read, answer.</summary>
internal static class ReportsApi
{
    /// <summary>Reports read from the store per query while a filtered page is gathered.</summary>
    private const int ReadBatch = 100;

    public static Task<ApiResult> GetReportsAsync(ApiRequest request)
    {
        var filter = ReportQueries.ReadReports(request.Context.Request.QueryString.Value, request.Now);
        if (!filter.IsSuccess)
        {
            return ApiResult.Refused(filter.Error);
        }

        var (reports, more) = request.Services.Store.Read(reader => Gather(reader, request.Owner, filter.Value, request.Now));
        return Answer(
            new ReportsDto
            {
                Reports = [.. reports.Select(ToDto)],
                NextToken = more ? ReportQueries.NextToken(filter.Value, reports[^1]) : null,
            },
            ApiJsonContext.Default.ReportsDto);
    }

    public static Task<ApiResult> GetReportByIdAsync(ApiRequest request)
    {
        var id = request.Route("reportId");
        var report = request.Services.Store.Read(reader => ReportCommands.Current(reader, request.Owner, id, request.Now));
        return report is null ? ApiResult.Refused(DomainError.NotFound("Report", id)) : Answer(ToDto(report), ApiJsonContext.Default.ReportDto);
    }

    public static Task<ApiResult> CreateReportAsync(ApiRequest request, CreateReportRequest body)
    {
        var start = ReportQueries.ParseTime(body.StartTime, "startTime");
        var end = ReportQueries.ParseTime(body.EndTime, "endTime");
        if (!start.IsSuccess || !end.IsSuccess)
        {
            return ApiResult.Refused(start.Error ?? end.Error!);
        }

        return request.WriteAsync(session => ApiResult.Json(
            StatusCodes.Status201Created,
            ReportCommands.Create(
                session, request.Owner, request.Now, ReportSettings.Of(request.Services.Options), body.ReportType, start.Value, end.Value),
            report => new CreateReportResponse { ReportId = report.ReportId },
            ApiJsonContext.Default.CreateReportResponse));
    }

    public static Task<ApiResult> GetReportDocumentAsync(ApiRequest request)
    {
        var id = request.Route("reportDocumentId");
        var report = request.Services.Store.Read(reader => reader.FindReportByDocument(request.Owner.MerchantId, request.Owner.Environment, id));
        if (report is null || report.IsExpired(request.Now))
        {
            return ApiResult.Refused(DomainError.NotFound("Report Document", id));
        }

        var protection = request.Context.RequestServices.GetRequiredService<IDataProtectionProvider>();
        return Answer(
            new ReportDocumentDto
            {
                ReportDocumentId = id,
                Url = ReportDownloads.Url(protection, request.Services.Options.Clock, request.PublicBaseUrl, request.Owner, id),
                CompressionAlgorithm = "N/A",
            },
            ApiJsonContext.Default.ReportDocumentDto);
    }

    public static Task<ApiResult> GetReportSchedulesAsync(ApiRequest request)
    {
        var types = ReportQueries.ReadSchedules(request.Context.Request.QueryString.Value);
        if (!types.IsSuccess)
        {
            return ApiResult.Refused(types.Error);
        }

        var schedules = request.Services.Store.Read(reader => reader.GetReportSchedules(request.Owner.MerchantId, request.Owner.Environment));
        return Answer(
            new ReportSchedulesDto { ReportSchedules = [.. schedules.Where(s => types.Value?.Contains(s.ReportType) != false).Select(ToDto)] },
            ApiJsonContext.Default.ReportSchedulesDto);
    }

    public static Task<ApiResult> GetReportScheduleByIdAsync(ApiRequest request)
    {
        var id = request.Route("reportScheduleId");
        var schedule = request.Services.Store.Read(reader => reader.GetReportSchedule(request.Owner.MerchantId, request.Owner.Environment, id));
        return schedule is null
            ? ApiResult.Refused(DomainError.NotFound("Report Schedule", id))
            : Answer(ToDto(schedule), ApiJsonContext.Default.ReportScheduleDto);
    }

    public static Task<ApiResult> CreateReportScheduleAsync(ApiRequest request, CreateReportScheduleRequest body)
    {
        var next = ReportQueries.ParseTime(body.NextReportCreationTime, "nextReportCreationTime");
        if (!next.IsSuccess)
        {
            return ApiResult.Refused(next.Error);
        }

        return request.WriteAsync(session => ApiResult.Json(
            StatusCodes.Status201Created,
            ReportCommands.CreateSchedule(
                session, request.Owner, ReportSettings.Of(request.Services.Options), body.ReportType, body.ScheduleFrequency, next.Value, body.DeleteExistingSchedule ?? false),
            schedule => new CreateReportScheduleResponse { ReportScheduleId = schedule.ReportScheduleId },
            ApiJsonContext.Default.CreateReportScheduleResponse));
    }

    public static Task<ApiResult> CancelReportScheduleAsync(ApiRequest request)
    {
        var id = request.Route("reportScheduleId");
        return request.WriteAsync(session => ReportCommands.CancelSchedule(session, request.Owner, id) is { } refused
            ? refused
            : ApiResult.Json(StatusCodes.Status200OK, new EmptyResponse(), ApiJsonContext.Default.EmptyResponse));
    }

    public static Task<ApiResult> GetDisbursementsAsync(ApiRequest request)
    {
        var query = ReportQueries.ReadDisbursements(request.Context.Request.QueryString.Value);
        if (!query.IsSuccess)
        {
            return ApiResult.Refused(query.Error);
        }

        var (start, end, pageSize, offset) = query.Value;
        if (end - start > Report.MaxPeriod)
        {
            return ApiResult.Refused(DomainError.InvalidValue("endTime", $"a query covers at most {Report.MaxPeriod.TotalDays} days."));
        }

        var all = Disbursements.Between(request.Services.Store, request.Owner, start, end, request.Now);
        var page = all.Skip(offset).Take(pageSize).ToList();
        return Answer(
            new DisbursementsDto
            {
                Disbursements =
                [
                    .. page.Select(d => new DisbursementDto
                    {
                        SellerId = request.Owner.MerchantId,
                        SettlementId = d.SettlementId,
                        AmazonDisbursementReferenceId = d.DisbursementReferenceId,
                        Amount = d.Amount.ToAmountString(),
                        CurrencyCode = d.Amount.Currency.ToString(),
                        TransactionTime = d.TransactionTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    }),
                ],
                NextToken = offset + pageSize < all.Count ? (offset + pageSize).ToString(CultureInfo.InvariantCulture) : null,
            },
            ApiJsonContext.Default.DisbursementsDto);
    }

    private static ReportDto ToDto(Report report) => new()
    {
        CreatedTime = ApiTimestamp.ToText(report.CreatedTime),
        EndTime = ApiTimestamp.ToText(report.EndTime),
        ProcessingEndTime = ApiTimestamp.ToText(report.ProcessingEndTime),
        ProcessingStartTime = ApiTimestamp.ToText(report.ProcessingStartTime),
        ProcessingStatus = WireMapper.WireName(report.ProcessingStatus),
        ReportDocumentId = report.ReportDocumentId,
        ReportId = report.ReportId,
        ReportType = report.ReportType,
        StartTime = ApiTimestamp.ToText(report.StartTime),
    };

    private static ReportScheduleDto ToDto(ReportSchedule schedule) => new()
    {
        NextReportCreationTime = ApiTimestamp.ToText(schedule.NextReportCreationTime),
        ReportScheduleId = schedule.ReportScheduleId,
        ReportType = schedule.ReportType,
        ScheduleFrequency = schedule.ScheduleFrequency,
    };

    /// <summary>The page of reports matching <paramref name="filter"/> and whether more follow, read in batches past those it skips.</summary>
    private static (List<Report> Reports, bool More) Gather(IReportReader reader, Owner owner, ReportQueries.ReportFilter filter, DateTimeOffset now)
    {
        var found = new List<Report>();
        var after = filter.After;
        while (true)
        {
            var batch = reader.GetReportPage(new ReportPageQuery(owner.MerchantId, owner.Environment, filter.CreatedSince, filter.CreatedUntil, after, ReadBatch));
            foreach (var report in batch.Where(r => filter.Matches(r) && !r.IsExpired(now)))
            {
                if (found.Count == filter.PageSize)
                {
                    return (found, true);
                }

                found.Add(report);
            }

            if (batch.Count < ReadBatch)
            {
                return (found, false);
            }

            after = new ReportCursor(batch[^1].CreatedTime, batch[^1].ReportId);
        }
    }

    private static Task<ApiResult> Answer<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        Task.FromResult(ApiResult.Json(StatusCodes.Status200OK, value, typeInfo));
}
