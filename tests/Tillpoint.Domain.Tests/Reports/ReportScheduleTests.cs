using Tillpoint.Domain.Reports;

namespace Tillpoint.Domain.Tests.Reports;

public class ReportScheduleTests
{
    private static readonly DateTimeOffset Now = Times.T0;

    private static Result<ReportSchedule> Create(
        string? type = ReportTypes.SandboxSettlement,
        string? frequency = "PT84H",
        DateTimeOffset? next = null,
        bool deleteExisting = false,
        ReportSchedule? existing = null,
        ReleaseEnvironment environment = ReleaseEnvironment.Sandbox,
        SandboxReportTypes sandbox = SandboxReportTypes.Every) =>
        ReportSchedule.Create("50000019441", "M1", environment, type, frequency, next ?? Now, deleteExisting, existing, sandbox);

    private static ReportSchedule Daily(DateTimeOffset next) => Create(frequency: "P1D", next: next).Value!;

    [Fact]
    public void Create_KeepsWhatWasAsked()
    {
        var schedule = Create().Value!;

        Assert.Equal("50000019441", schedule.ReportScheduleId);
        Assert.Equal(ReportTypes.SandboxSettlement, schedule.ReportType);
        Assert.Equal("PT84H", schedule.ScheduleFrequency);
        Assert.Equal(TimeSpan.FromHours(84), schedule.Period);
        Assert.Equal(Now, schedule.NextReportCreationTime);
    }

    [Fact]
    public void Create_APastCreationTime_IsAccepted() =>
        Assert.True(Create(next: new DateTimeOffset(2023, 6, 18, 15, 6, 30, TimeSpan.Zero)).IsSuccess);

    [Fact]
    public void Create_ATypeAlreadyScheduled_IsRefusedUnlessReplacing()
    {
        var existing = Create().Value!;

        var refused = Create(existing: existing).Error;
        Assert.Equal(ErrorCode.InvalidRequest, refused?.Code);
        Assert.Contains("deleteExistingSchedule", refused!.Message, StringComparison.Ordinal);
        Assert.True(Create(existing: existing, deleteExisting: true).IsSuccess);
        Assert.True(Create(deleteExisting: true).IsSuccess);
    }

    [Theory]
    [InlineData("PT5M", 5)]
    [InlineData("PT15M", 15)]
    [InlineData("PT30M", 30)]
    [InlineData("PT1H", 60)]
    [InlineData("PT2H", 120)]
    [InlineData("PT4H", 240)]
    [InlineData("PT8H", 480)]
    [InlineData("PT12H", 720)]
    [InlineData("PT24H", 1440)]
    [InlineData("PT84H", 5040)]
    [InlineData("P1D", 1440)]
    [InlineData("P2D", 2880)]
    [InlineData("P3D", 4320)]
    [InlineData("P7D", 10080)]
    [InlineData("P14D", 20160)]
    [InlineData("P15D", 21600)]
    [InlineData("P18D", 25920)]
    [InlineData("P30D", 43200)]
    public void Frequencies_AreTheSdksOnes(string frequency, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), Create(frequency: frequency).Value!.Period);
        Assert.Equal(18, ReportSchedule.Frequencies.Count);
    }

    [Theory]
    [InlineData("PT1M")]
    [InlineData("pt84h")]
    [InlineData("P1W")]
    [InlineData("")]
    public void Create_AnotherFrequency_IsInvalidParameterValue(string frequency)
    {
        var error = Create(frequency: frequency).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("'scheduleFrequency'", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MissingFields_AreNamed()
    {
        Assert.Contains("'scheduleFrequency'", Create(frequency: null).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("'reportType'", Create(type: null).Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReportTypes.MultiCurrency)]
    [InlineData(ReportTypes.Settlement)]
    public void Create_UnschedulableTypes_AreRefused(string type) =>
        Assert.Contains("cannot be scheduled", Create(type: type, environment: ReleaseEnvironment.Live).Error!.Message, StringComparison.Ordinal);

    [Fact]
    public void Create_ATransactionReportInASandboxOfferingTheSettlementReportOnly_IsRefused() =>
        Assert.Equal(ErrorCode.InvalidParameterValue, Create(type: ReportTypes.Capture, sandbox: SandboxReportTypes.Settlement).Error?.Code);

    [Fact]
    public void Create_ATransactionReportInASandboxOfferingEveryType_IsAccepted() =>
        Assert.True(Create(type: ReportTypes.Capture).IsSuccess);

    [Fact]
    public void Occurrence_BeforeTheCreationTime_IsNothing()
    {
        var schedule = Daily(Now);

        Assert.False(schedule.IsDue(Now.AddTicks(-1)));
        Assert.Null(schedule.Occurrence(Now.AddTicks(-1)));
    }

    [Fact]
    public void Occurrence_AtTheCreationTime_CoversThePeriodJustEnded_AndMovesOnePeriod()
    {
        var (start, end, next) = Daily(Now).Occurrence(Now)!.Value;

        Assert.Equal(Now.AddDays(-1), start);
        Assert.Equal(Now, end);
        Assert.Equal(Now.AddDays(1), next.NextReportCreationTime);
        Assert.Equal("P1D", next.ScheduleFrequency);
    }

    [Fact]
    public void Occurrence_LongOverdue_CoversTheLatestWholePeriod_AndTheNextTimeIsAfterNow()
    {
        var (start, end, next) = Daily(Now.AddDays(-10).AddHours(-3)).Occurrence(Now)!.Value;

        Assert.Equal(Now.AddDays(-1).AddHours(-3), start);
        Assert.Equal(Now.AddHours(-3), end);
        Assert.Equal(Now.AddDays(1).AddHours(-3), next.NextReportCreationTime);
        Assert.False(next.IsDue(Now));
    }

    [Fact]
    public void Occurrence_JustBeforeTheSecondTime_StillCoversTheFirstPeriod()
    {
        var (_, end, next) = Daily(Now).Occurrence(Now.AddDays(1).AddTicks(-1))!.Value;

        Assert.Equal(Now, end);
        Assert.Equal(Now.AddDays(1), next.NextReportCreationTime);
    }
}
