using System.Buffers.Text;
using Tillpoint.Domain.Reports;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>
/// The query strings of the reports' GET operations, in every form the official SDKs send (spec §1.2): Node's comma
/// lists (<c>reportTypes=A%2CB</c>), PHP's <c>reportTypes.1=A&amp;reportTypes.2=B</c> and its empty <c>?</c>, Java's
/// repeated keys and unencoded values, and .NET's default time range. An empty value is no value.
/// </summary>
internal static class ReportQueries
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;

    private static readonly DateTimeOffset EarliestTime = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset LatestTime = new(9998, 12, 31, 23, 59, 59, TimeSpan.Zero);

    /// <summary>Get Reports' filters and where its page starts.</summary>
    public sealed record ReportFilter(
        IReadOnlySet<string>? ReportTypes,
        IReadOnlySet<ProcessingStatus>? Statuses,
        DateTimeOffset CreatedSince,
        DateTimeOffset CreatedUntil,
        int PageSize,
        ReportCursor? After)
    {
        public bool Matches(Report report) =>
            (ReportTypes is null || ReportTypes.Contains(report.ReportType)) && (Statuses is null || Statuses.Contains(report.ProcessingStatus));
    }

    /// <summary>
    /// Get Reports' query. With <c>nextToken</c> the token's own filters apply and any others sent beside it are ignored
    /// (.NET keeps the list filters when it pages); without, createdSince defaults to 90 days before
    /// <paramref name="now"/> and createdUntil to <paramref name="now"/>.
    /// </summary>
    public static Result<ReportFilter> ReadReports(string? queryString, DateTimeOffset now)
    {
        var query = Parse(queryString, ["reportTypes", "processingStatuses", "createdSince", "createdUntil", "pageSize", "nextToken"], ["reportTypes", "processingStatuses"]);
        if (!query.IsSuccess)
        {
            return query.Error;
        }

        var values = query.Value;
        if (values.TryGetValue("nextToken", out var token))
        {
            return DecodeToken(token[0]);
        }

        var types = ReportTypesOf(values.GetValueOrDefault("reportTypes"));
        if (!types.IsSuccess)
        {
            return types.Error;
        }

        HashSet<ProcessingStatus>? statuses = null;
        foreach (var name in values.GetValueOrDefault("processingStatuses") ?? [])
        {
            var index = Array.IndexOf(WireMapper.ProcessingStatusNames, name);
            if (index < 0)
            {
                return DomainError.InvalidValue("processingStatuses", $"'{name}' is not one of {string.Join(", ", WireMapper.ProcessingStatusNames)}.");
            }

            (statuses ??= []).Add((ProcessingStatus)index);
        }

        var since = Time(values, "createdSince", now - Report.Retention);
        var until = Time(values, "createdUntil", now);
        var pageSize = PageSize(values, DefaultPageSize);
        if (!since.IsSuccess || !until.IsSuccess || !pageSize.IsSuccess)
        {
            return since.Error ?? until.Error ?? pageSize.Error!;
        }

        if (until.Value < since.Value)
        {
            return DomainError.InvalidValue("createdUntil", "it is before createdSince.");
        }

        return new ReportFilter(types.Value, statuses, since.Value, until.Value, pageSize.Value, null);
    }

    /// <summary>Get Report Schedules' query: the report types to list, or null for all.</summary>
    public static Result<HashSet<string>?> ReadSchedules(string? queryString)
    {
        var query = Parse(queryString, ["reportTypes"], ["reportTypes"]);
        return query.IsSuccess ? ReportTypesOf(query.Value.GetValueOrDefault("reportTypes")) : query.Error;
    }

    /// <summary>Get Disbursements' query: a required period, a page size, and the offset a token carries.</summary>
    public static Result<(DateTimeOffset Start, DateTimeOffset End, int PageSize, int Offset)> ReadDisbursements(string? queryString)
    {
        var query = Parse(queryString, ["startTime", "endTime", "pageSize", "nextToken"], []);
        if (!query.IsSuccess)
        {
            return query.Error;
        }

        var values = query.Value;
        var start = Time(values, "startTime", null);
        var end = Time(values, "endTime", null);
        var pageSize = PageSize(values, MaxPageSize);
        if (!start.IsSuccess || !end.IsSuccess || !pageSize.IsSuccess)
        {
            return start.Error ?? end.Error ?? pageSize.Error!;
        }

        if (end.Value <= start.Value)
        {
            return DomainError.InvalidValue("endTime", "it must be after startTime.");
        }

        var offset = 0;
        if (values.TryGetValue("nextToken", out var token)
            && !(int.TryParse(token[0], NumberStyles.None, CultureInfo.InvariantCulture, out offset) && offset > 0))
        {
            return DomainError.InvalidValue("nextToken", "it is not a token this server gave.");
        }

        return (start.Value, end.Value, pageSize.Value, offset);
    }

    /// <summary>The token of the page after <paramref name="last"/>: the filters and the cursor, opaque to the client.</summary>
    public static string NextToken(ReportFilter filter, Report last)
    {
        var text = string.Join(
            '|',
            filter.CreatedSince.ToUnixTimeMilliseconds(),
            filter.CreatedUntil.ToUnixTimeMilliseconds(),
            filter.PageSize,
            filter.ReportTypes is null ? "*" : string.Join(',', filter.ReportTypes.Order(StringComparer.Ordinal)),
            filter.Statuses is null ? "*" : string.Join(',', filter.Statuses.Order().Select(WireMapper.WireName)),
            last.CreatedTime.ToUnixTimeMilliseconds(),
            last.ReportId);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    private static Result<ReportFilter> DecodeToken(string token)
    {
        var invalid = DomainError.InvalidValue("nextToken", "it is not a token this server gave.");
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
        }
        catch (FormatException)
        {
            return invalid;
        }

        if (parts.Length != 7
            || !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var since)
            || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var until)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pageSize) || pageSize is < 1 or > MaxPageSize
            || !long.TryParse(parts[5], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var after)
            || since is < -62135596800000 or > 253402300799999 || until is < -62135596800000 or > 253402300799999
            || after is < -62135596800000 or > 253402300799999)
        {
            return invalid;
        }

        var types = parts[3] == "*" ? null : parts[3].Split(',').ToHashSet(StringComparer.Ordinal);
        var statuses = parts[4] == "*" ? null : parts[4].Split(',').Select(name => Array.IndexOf(WireMapper.ProcessingStatusNames, name)).ToList();
        if (types?.Any(type => !Domain.Reports.ReportTypes.IsKnown(type)) == true || statuses?.Contains(-1) == true)
        {
            return invalid;
        }

        return new ReportFilter(
            types,
            statuses?.Select(index => (ProcessingStatus)index).ToHashSet(),
            DateTimeOffset.FromUnixTimeMilliseconds(since),
            DateTimeOffset.FromUnixTimeMilliseconds(until),
            pageSize,
            new ReportCursor(DateTimeOffset.FromUnixTimeMilliseconds(after), parts[6]));
    }

    private static Result<HashSet<string>?> ReportTypesOf(List<string>? names)
    {
        if (names is null)
        {
            return (HashSet<string>?)null;
        }

        foreach (var name in names)
        {
            if (!Domain.Reports.ReportTypes.IsKnown(name))
            {
                return DomainError.InvalidValue("reportTypes", $"'{name}' is not a report type.");
            }
        }

        return names.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A date-time a client sent: yyyyMMddTHHmmssZ, as the SDKs send, or ISO 8601; null is a missing parameter.</summary>
    public static Result<DateTimeOffset> ParseTime(string? text, string field)
    {
        if (text is null)
        {
            return DomainError.Missing(field);
        }

        if (!ApiTimestamp.TryParseIso8601(text, out var time))
        {
            return DomainError.InvalidValue(field, $"'{text}' is not a date-time (yyyyMMddTHHmmssZ or ISO 8601).");
        }

        // Far enough inside DateTimeOffset's range that a day or a period either side of it is still a time.
        if (time < EarliestTime || time > LatestTime)
        {
            return DomainError.InvalidValue(field, "it is outside the years 1970 to 9998.");
        }

        return time;
    }

    private static Result<DateTimeOffset> Time(Dictionary<string, List<string>> values, string name, DateTimeOffset? fallback)
    {
        if (!values.TryGetValue(name, out var given) && fallback is { } value)
        {
            return value;
        }

        return ParseTime(given?[0], name);
    }

    private static Result<int> PageSize(Dictionary<string, List<string>> values, int fallback)
    {
        if (!values.TryGetValue("pageSize", out var given))
        {
            return fallback;
        }

        if (int.TryParse(given[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize)
        {
            return size;
        }

        return DomainError.InvalidValue("pageSize", $"it must be a whole number from 1 to {MaxPageSize}.");
    }

    /// <summary>
    /// The query as name → values. List parameters take comma lists, repeated keys and <c>name.N</c> keys alike; any
    /// other parameter is given once. An unknown name is refused, so a misspelt filter is never silently ignored.
    /// </summary>
    private static Result<Dictionary<string, List<string>>> Parse(string? queryString, string[] names, string[] lists)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in (queryString ?? string.Empty).TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            var dot = name.LastIndexOf('.');
            if (dot > 0 && dot < name.Length - 1 && name[(dot + 1)..].All(char.IsAsciiDigit) && lists.Contains(name[..dot]))
            {
                name = name[..dot];
            }

            if (!names.Contains(name))
            {
                return new DomainError(
                    ErrorCode.InvalidParameterValue, $"The query parameter '{name}' is not one of {string.Join(", ", names)}.");
            }

            var list = lists.Contains(name);
            var members = list ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [value];
            if (members is [] or [""])
            {
                continue;
            }

            if (values.TryGetValue(name, out var existing))
            {
                if (!list)
                {
                    return DomainError.InvalidValue(name, "it is given more than once.");
                }

                existing.AddRange(members);
            }
            else
            {
                values[name] = [.. members];
            }
        }

        return values;
    }
}
