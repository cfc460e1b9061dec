using System.Text.RegularExpressions;

namespace Tillpoint.Domain.Tests;

/// <summary>Identifiers in Amazon Pay's formats, checked over many draws so every digit position is exercised.</summary>
public partial class RandomIdGeneratorTests
{
    private const int Draws = 200;
    private static readonly RandomIdGenerator Ids = RandomIdGenerator.Instance;

    [Theory]
    [InlineData(ReleaseEnvironment.Sandbox, "S01")]
    [InlineData(ReleaseEnvironment.Live, "P01")]
    public void NewChargePermissionId_IsThePrefixOfItsEnvironmentAndTwoSevenDigitGroups(ReleaseEnvironment environment, string prefix)
    {
        for (var i = 0; i < Draws; i++)
        {
            Assert.Matches($"^{prefix}-[1-9][0-9]{{6}}-[1-9][0-9]{{6}}$", Ids.NewChargePermissionId(environment));
        }
    }

    [Fact]
    public void NewChargeIdAndRefundId_AreThePermissionIdAndSixDigits()
    {
        for (var i = 0; i < Draws; i++)
        {
            Assert.Matches("^S01-1234567-7654321-C[1-9][0-9]{5}$", Ids.NewChargeId("S01-1234567-7654321"));
            Assert.Matches("^S01-1234567-7654321-R[1-9][0-9]{5}$", Ids.NewRefundId("S01-1234567-7654321"));
        }
    }

    [Fact]
    public void NewCheckoutSessionIdAndRequestId_AreGuids_InTheirTextForms()
    {
        Assert.Matches(GuidWithDashes(), Ids.NewCheckoutSessionId());
        Assert.Matches(GuidWithoutDashes(), Ids.NewRequestId());
        Assert.NotEqual(Ids.NewCheckoutSessionId(), Ids.NewCheckoutSessionId());
        Assert.NotEqual(Ids.NewRequestId(), Ids.NewRequestId());
    }

    [Fact]
    public void NewChargeId_DrawsDifferentNumbers()
    {
        var drawn = Enumerable.Range(0, Draws).Select(_ => Ids.NewChargeId("S01-1234567-7654321")).ToHashSet();

        Assert.True(drawn.Count > Draws / 2, $"only {drawn.Count} different ids in {Draws} draws");
    }

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex GuidWithDashes();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex GuidWithoutDashes();
}
