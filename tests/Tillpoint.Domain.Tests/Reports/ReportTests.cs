using Tillpoint.Domain.Reports;

namespace Tillpoint.Domain.Tests.Reports;

public class ReportTests
{
    private static readonly DateTimeOffset Now = Times.T0;
    private static readonly TimeSpan Processing = TimeSpan.FromSeconds(10);

    private static Result<Report> Request(
        string? type = ReportTypes.SandboxSettlement,
        DateTimeOffset? start = null,
        DateTimeOffset? end = null,
        ReleaseEnvironment environment = ReleaseEnvironment.Sandbox,
        string? scheduleId = null,
        SandboxReportTypes sandbox = SandboxReportTypes.Every) =>
        Report.Request("59007019641", "M1", environment, type, start ?? Now.AddDays(-7), end ?? Now.AddDays(-1), Now, Processing, sandbox, scheduleId);

    private static Report InProgress() => Request().Value!;

    /// <summary>The types Live offers and a merchant may ask for: every one but the two settlement reports.</summary>
    public static TheoryData<string> LiveTypes =>
    [
        ReportTypes.Authorization, ReportTypes.Capture, ReportTypes.Refund, ReportTypes.OrderReference, ReportTypes.BillingAgreement,
        ReportTypes.MultiCurrency,
    ];

    [Fact]
    public void Request_StartsProcessingAtOnce_AndIsReadyAfterTheProcessingTime()
    {
        var report = InProgress();

        Assert.Equal(ProcessingStatus.InProgress, report.ProcessingStatus);
        Assert.Equal(Now, report.CreatedTime);
        Assert.Equal(Now, report.ProcessingStartTime);
        Assert.Null(report.ProcessingEndTime);
        Assert.Null(report.ReportDocumentId);
        Assert.Equal(Now + Processing, report.ReadyAt);
        Assert.Equal(report.ReadyAt, report.NextDueAt);
        Assert.Equal(ReportTypes.SandboxSettlement, report.ReportType);
        Assert.Equal(Now.AddDays(-7), report.StartTime);
        Assert.Equal(Now.AddDays(-1), report.EndTime);
        Assert.Null(report.ReportScheduleId);
    }

    [Fact]
    public void Request_MissingType_IsMissingParameterValue() =>
        Assert.Equal(ErrorCode.MissingParameterValue, Request(type: null).Error?.Code);

    [Theory]
    [InlineData("_GET_FLAT_FILE_OFFAMAZONPAYMENTS_NOTHING_")]
    [InlineData("_get_flat_file_offamazonpayments_sandbox_settlement_data_")]
    [InlineData("")]
    public void Request_UnknownType_IsInvalidParameterValue(string type)
    {
        var error = Request(type: type).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("'reportType'", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LiveTypes))]
    [InlineData(ReportTypes.Settlement)]
    public void Request_InASandboxOfferingTheSettlementReportOnly_EveryOtherType_IsRefused(string type)
    {
        var error = Request(type: type, sandbox: SandboxReportTypes.Settlement).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("sandbox offers only", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LiveTypes))]
    public void Request_InLive_TransactionAndMultiCurrencyTypes_AreAccepted(string type) =>
        Assert.True(Request(type: type, environment: ReleaseEnvironment.Live, sandbox: SandboxReportTypes.Settlement).IsSuccess);

    [Theory]
    [MemberData(nameof(LiveTypes))]
    [InlineData(ReportTypes.SandboxSettlement)]
    public void Request_InASandboxOfferingEveryType_EveryTypeThatMayBeAskedFor_IsAccepted(string type) =>
        Assert.True(Request(type: type).IsSuccess);

    [Fact]
    public void Request_InASandboxOfferingEveryType_TheSettlementReport_IsStillRefused() =>
        Assert.Contains("cannot be requested", Request(type: ReportTypes.Settlement).Error!.Message, StringComparison.Ordinal);

    [Fact]
    public void Request_InLive_TheSandboxSettlement_IsRefused() =>
        Assert.Contains(
            "sandbox only",
            Request(type: ReportTypes.SandboxSettlement, environment: ReleaseEnvironment.Live).Error!.Message,
            StringComparison.Ordinal);

    [Fact]
    public void Request_TheSettlementReport_CannotBeRequested()
    {
        var error = Request(type: ReportTypes.Settlement, environment: ReleaseEnvironment.Live).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("cannot be requested", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_ByASchedule_OfAnUnschedulableType_IsRefused() =>
        Assert.Contains(
            "cannot be scheduled",
            Request(type: ReportTypes.MultiCurrency, environment: ReleaseEnvironment.Live, scheduleId: "50000019441").Error!.Message,
            StringComparison.Ordinal);

    [Fact]
    public void Request_ByASchedule_RemembersIt() =>
        Assert.Equal("50000019441", Request(scheduleId: "50000019441").Value!.ReportScheduleId);

    [Fact]
    public void Request_EndAtOrBeforeStart_IsRefused()
    {
        Assert.Contains("after startTime", Request(start: Now.AddDays(-1), end: Now.AddDays(-1)).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("after startTime", Request(start: Now.AddDays(-1), end: Now.AddDays(-2)).Error!.Message, StringComparison.Ordinal);
        Assert.True(Request(start: Now.AddDays(-1).AddTicks(-1), end: Now.AddDays(-1)).IsSuccess);
    }

    [Fact]
    public void Request_PeriodOfNinetyDays_IsTheLongest()
    {
        Assert.True(Request(start: Now.AddDays(-90), end: Now).IsSuccess);
        var error = Request(start: Now.AddDays(-90).AddTicks(-1), end: Now).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("at most 90 days", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_EndInTheFuture_IsRefused_AndEndingNow_IsAccepted()
    {
        Assert.True(Request(end: Now).IsSuccess);
        Assert.Contains("in the future", Request(end: Now.AddTicks(1)).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_WithData_IsCompletedWithItsDocument_AndThenDueForDeletion()
    {
        var done = InProgress().Complete(Now + Processing, "amzn1.tortuga.0.x.1", hasData: true).Value!;

        Assert.Equal(ProcessingStatus.Completed, done.ProcessingStatus);
        Assert.Equal(Now + Processing, done.ProcessingEndTime);
        Assert.Equal("amzn1.tortuga.0.x.1", done.ReportDocumentId);
        Assert.Equal(Now + Report.Retention, done.NextDueAt);
        Assert.Equal(Now.AddDays(90), done.ExpiresAt);
    }

    [Fact]
    public void Complete_WithoutData_IsCancelled_WithoutADocument()
    {
        var done = InProgress().Complete(Now.AddMinutes(1), "amzn1.tortuga.0.x.1", hasData: false).Value!;

        Assert.Equal(ProcessingStatus.Cancelled, done.ProcessingStatus);
        Assert.Equal(Now.AddMinutes(1), done.ProcessingEndTime);
        Assert.Null(done.ReportDocumentId);
        Assert.Equal(done.ExpiresAt, done.NextDueAt);
    }

    [Fact]
    public void Complete_BeforeReady_IsRefused()
    {
        var report = InProgress();

        Assert.Equal(ErrorCode.InvalidRequest, report.Complete(report.ReadyAt.AddTicks(-1), "d", hasData: true).Error?.Code);
        Assert.True(report.Complete(report.ReadyAt, "d", hasData: true).IsSuccess);
    }

    [Theory]
    [InlineData(ProcessingStatus.Completed)]
    [InlineData(ProcessingStatus.Cancelled)]
    [InlineData(ProcessingStatus.Failed)]
    public void Complete_OutsideInProgress_IsRefused(ProcessingStatus status)
    {
        var report = InProgress() with { ProcessingStatus = status };

        var error = report.Complete(Now.AddHours(1), "d", hasData: true).Error;

        Assert.Equal(ErrorCode.InvalidRequest, error?.Code);
        Assert.Contains(status.ToString(), error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsExpired_FromNinetyDaysAfterCreation()
    {
        var report = InProgress();

        Assert.False(report.IsExpired(Now.AddDays(90).AddTicks(-1)));
        Assert.True(report.IsExpired(Now.AddDays(90)));
    }

    [Fact]
    public void Types_CreateScheduleAndSandbox_FollowTheReference()
    {
        Assert.Equal(8, ReportTypes.All.Count);
        Assert.Equal(
            [ReportTypes.SandboxSettlement],
            ReportTypes.All.Where(t => ReportTypes.OfferedIn(t, ReleaseEnvironment.Sandbox, SandboxReportTypes.Settlement)));
        Assert.Equal(ReportTypes.All, ReportTypes.All.Where(t => ReportTypes.OfferedIn(t, ReleaseEnvironment.Sandbox, SandboxReportTypes.Every)));
        Assert.Equal(
            ReportTypes.All.Where(t => t != ReportTypes.SandboxSettlement),
            ReportTypes.All.Where(t => ReportTypes.OfferedIn(t, ReleaseEnvironment.Live, SandboxReportTypes.Settlement)));
        Assert.Equal([ReportTypes.Settlement], ReportTypes.All.Where(t => !ReportTypes.CanCreate(t)));
        Assert.Equal([ReportTypes.Settlement, ReportTypes.MultiCurrency], ReportTypes.All.Where(t => !ReportTypes.CanSchedule(t)));
        Assert.False(ReportTypes.IsKnown(null));
    }
}
