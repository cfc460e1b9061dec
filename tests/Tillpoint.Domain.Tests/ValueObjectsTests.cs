namespace Tillpoint.Domain.Tests;

public class MerchantMetadataTests
{
    private static readonly MerchantMetadata Stored = new("ref-1", "Store", "note", "info");

    [Fact]
    public void Merge_Nothing_KeepsEveryField()
    {
        Assert.Same(Stored, Stored.Merge(null));
        Assert.Equal(Stored, Stored.Merge(MerchantMetadata.Empty));
    }

    [Fact]
    public void Merge_EveryFieldGiven_ReplacesEveryField()
    {
        var update = new MerchantMetadata("ref-2", "Store 2", "note 2", "info 2");

        Assert.Equal(update, Stored.Merge(update));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Merge_OneFieldGiven_ReplacesOnlyThatField(int field)
    {
        var update = field switch
        {
            0 => MerchantMetadata.Empty with { MerchantReferenceId = "x" },
            1 => MerchantMetadata.Empty with { MerchantStoreName = "x" },
            2 => MerchantMetadata.Empty with { NoteToBuyer = "x" },
            _ => MerchantMetadata.Empty with { CustomInformation = "x" },
        };
        var expected = field switch
        {
            0 => Stored with { MerchantReferenceId = "x" },
            1 => Stored with { MerchantStoreName = "x" },
            2 => Stored with { NoteToBuyer = "x" },
            _ => Stored with { CustomInformation = "x" },
        };

        Assert.Equal(expected, Stored.Merge(update));
    }

    [Theory]
    [InlineData(0, "merchantMetadata.merchantReferenceId")]
    [InlineData(1, "merchantMetadata.merchantStoreName")]
    [InlineData(2, "merchantMetadata.noteToBuyer")]
    [InlineData(3, "merchantMetadata.customInformation")]
    public void Validate_SeveralFieldsTooLong_NamesTheFirstInOrder(int first, string field)
    {
        var limits = Limits.Default;
        static string Text(bool tooLong, int max) => new('x', tooLong ? max + 1 : max);
        var metadata = new MerchantMetadata(
            Text(first <= 0, limits.MerchantReferenceIdMaxLength),
            Text(first <= 1, limits.MerchantStoreNameMaxLength),
            Text(first <= 2, limits.NoteToBuyerMaxLength),
            Text(first <= 3, limits.CustomInformationMaxLength));

        var error = metadata.Validate(limits);

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains(field, error!.Message, StringComparison.Ordinal);
    }
}

public class DeliverySpecificationsTests
{
    private static Address Lines(string line1, string? line2 = null, string? line3 = null) =>
        new("Jane Doe", line1, line2, line3, "Seattle", null, null, "WA", "98109", "US", null);

    private static DeliverySpecifications Special(params SpecialRestriction[] restrictions) => new(restrictions, null, null);

    private static DeliverySpecifications Countries(AddressRestrictionType? type, string country, string[] states, string[] zips) =>
        new(null, type, new Dictionary<string, AddressRestriction> { [country] = new(states, zips) });

    [Theory]
    [InlineData("PO Box 1234", null, null)]
    [InlineData("P.O. Box 5", null, null)]
    [InlineData("p o box 5", null, null)]
    [InlineData("POBox 5", null, null)]
    [InlineData("Post Office Box 9", null, null)]
    [InlineData("410 Terry Ave N", "PO Box 1", null)]
    [InlineData("410 Terry Ave N", null, "P.O. BOX 1")]
    public void Permits_PoBoxInAnyLine_IsRefusedWhenRestricted(string line1, string? line2, string? line3)
    {
        var address = Lines(line1, line2, line3);

        Assert.False(Special(SpecialRestriction.RestrictPOBoxes).Permits(address));
        Assert.True(Special(SpecialRestriction.RestrictPackstations).Permits(address));
        Assert.True(new DeliverySpecifications(null, null, null).Permits(address));
    }

    [Theory]
    [InlineData("12 Boxwood Street")]
    [InlineData("Box 12")]
    [InlineData("Hippo Box Company")]
    [InlineData("Post Box 12")]
    public void Permits_TextThatIsNotAPoBox_IsAllowed(string line1)
    {
        Assert.True(Special(SpecialRestriction.RestrictPOBoxes, SpecialRestriction.RestrictPackstations).Permits(Lines(line1)));
    }

    [Theory]
    [InlineData("Packstation 105", null, null)]
    [InlineData("Erika Mustermann", "packstation 105", null)]
    [InlineData("Erika Mustermann", null, "PACKSTATION 105")]
    public void Permits_PackstationInAnyLine_IsRefusedWhenRestricted(string line1, string? line2, string? line3)
    {
        var address = Lines(line1, line2, line3);

        Assert.False(Special(SpecialRestriction.RestrictPackstations).Permits(address));
        Assert.True(Special(SpecialRestriction.RestrictPOBoxes).Permits(address));
    }

    [Fact]
    public void Permits_CountryRulesWithoutAType_OrATypeWithoutRules_AllowEverything()
    {
        var elsewhere = Lines("1 Main St") with { CountryCode = "DE" };

        Assert.True(Countries(null, "US", ["OR"], []).Permits(elsewhere));
        Assert.True(Countries(null, "US", ["WA"], []).Permits(Lines("1 Main St")));
        Assert.True(new DeliverySpecifications(null, AddressRestrictionType.Allowed, null).Permits(elsewhere));
    }

    [Theory]
    [InlineData("US", "WA", "98109", true)]
    [InlineData("US", "wa", "00000", true)]
    [InlineData("US", "OR", "98109", true)]
    [InlineData("US", "OR", "00000", false)]
    [InlineData("US", null, null, false)]
    [InlineData("DE", "WA", "98109", false)]
    [InlineData(null, "WA", "98109", false)]
    public void Permits_AllowedStatesAndZipCodes_AllowOnlyTheListedOnes(string? country, string? state, string? zip, bool inList)
    {
        var address = Lines("1 Main St") with { CountryCode = country, StateOrRegion = state, PostalCode = zip };

        Assert.Equal(inList, Countries(AddressRestrictionType.Allowed, "US", ["WA"], ["98109"]).Permits(address));
        Assert.Equal(!inList, Countries(AddressRestrictionType.NotAllowed, "US", ["WA"], ["98109"]).Permits(address));
    }

    [Theory]
    [InlineData(new[] { "WA" }, new string[0], "OR", "98109", false)]
    [InlineData(new string[0], new[] { "98109" }, "WA", "97201", false)]
    [InlineData(new string[0], new string[0], "OR", "97201", true)]
    public void Permits_ACountryWithOnlyStatesOrOnlyZipCodes_MatchesOnlyThose(string[] states, string[] zips, string state, string zip, bool allowed)
    {
        var address = Lines("1 Main St") with { StateOrRegion = state, PostalCode = zip };

        Assert.Equal(allowed, Countries(AddressRestrictionType.Allowed, "US", states, zips).Permits(address));
    }
}
