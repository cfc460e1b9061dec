using Tillpoint.Domain.MerchantAccounts;

namespace Tillpoint.Domain.Tests.MerchantAccounts;

public sealed class MerchantAccountTests
{
    private static readonly LegalEntity Corporate = new("CORPORATE", "TestingSubmerchant", "JP");

    private static NewMerchantAccount New(MerchantAccountKind kind = MerchantAccountKind.AmazonPayAccount, string? email = null) =>
        new(kind, "ABCD12345CB", Currency.JPY, Corporate, null, email, "{}");

    private static MerchantAccount Opened(MerchantAccountKind kind = MerchantAccountKind.AmazonPayAccount) =>
        MerchantAccount.Open(New(kind, kind == MerchantAccountKind.MerchantAccount ? "rufus@abc.com" : null), "AMERCHANT0001", "PARTNER", ReleaseEnvironment.Sandbox, null, Times.T0);

    [Fact]
    public void Validate_TheSdkSamples_AreAccepted()
    {
        Assert.Null(MerchantAccount.Validate(New()));
        Assert.Null(MerchantAccount.Validate(New() with { LegalEntity = Corporate with { BusinessType = "INDIVIDUAL" } }));
        Assert.Null(MerchantAccount.Validate(New(MerchantAccountKind.MerchantAccount, "rufus-1@abc.com")));
    }

    [Fact]
    public void Validate_EachBadField_IsRefusedNamingIt()
    {
        var cases = new (NewMerchantAccount Account, ErrorCode Code, string Field)[]
        {
            (New() with { UniqueReferenceId = " " }, ErrorCode.MissingParameterValue, "uniqueReferenceId"),
            (New() with { UniqueReferenceId = new string('r', MerchantAccount.UniqueReferenceIdMaxLength + 1) }, ErrorCode.InvalidParameterValue, "uniqueReferenceId"),
            (New() with { LegalEntity = Corporate with { BusinessType = "corporate" } }, ErrorCode.InvalidParameterValue, "businessInfo.businessType"),
            (New() with { LegalEntity = Corporate with { BusinessLegalName = "" } }, ErrorCode.MissingParameterValue, "businessInfo.businessLegalName"),
            (New() with { LegalEntity = Corporate with { BusinessLegalName = new string('n', MerchantAccount.BusinessLegalNameMaxLength + 1) } }, ErrorCode.InvalidParameterValue, "businessInfo.businessLegalName"),
            (New() with { LegalEntity = Corporate with { CountryOfEstablishment = "JPN" } }, ErrorCode.InvalidParameterValue, "businessInfo.countryOfEstablishment"),
            (New() with { LegalEntity = Corporate with { CountryOfEstablishment = "jp" } }, ErrorCode.InvalidParameterValue, "businessInfo.countryOfEstablishment"),
            (New() with { BusinessDisplayName = new string('d', MerchantAccount.BusinessDisplayNameMaxLength + 1) }, ErrorCode.InvalidParameterValue, "businessInfo.businessDisplayName"),
            (New(MerchantAccountKind.MerchantAccount), ErrorCode.MissingParameterValue, "businessInfo.email"),
            (New(MerchantAccountKind.MerchantAccount, "not-an-address"), ErrorCode.InvalidParameterValue, "businessInfo.email"),
            (New(email: "a@b"), ErrorCode.InvalidParameterValue, "businessInfo.email"),
            (New(email: "a b@c.com"), ErrorCode.InvalidParameterValue, "businessInfo.email"),
            (New(email: "a@b@c.com"), ErrorCode.InvalidParameterValue, "businessInfo.email"),
            (New(email: "a@.com"), ErrorCode.InvalidParameterValue, "businessInfo.email"),
            (New(email: "a@c.com."), ErrorCode.InvalidParameterValue, "businessInfo.email"),
            (New(email: "@c.com"), ErrorCode.InvalidParameterValue, "businessInfo.email"),
        };

        foreach (var (account, code, field) in cases)
        {
            var error = MerchantAccount.Validate(account);
            Assert.NotNull(error);
            Assert.Equal(code, error.Code);
            Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_AtTheLengthLimits_IsAccepted() =>
        Assert.Null(MerchantAccount.Validate(New() with
        {
            UniqueReferenceId = new string('r', MerchantAccount.UniqueReferenceIdMaxLength),
            LegalEntity = Corporate with { BusinessLegalName = new string('n', MerchantAccount.BusinessLegalNameMaxLength) },
            BusinessDisplayName = new string('d', MerchantAccount.BusinessDisplayNameMaxLength),
        }));

    [Fact]
    public void Open_IsActiveWithEverythingGiven()
    {
        var account = MerchantAccount.Open(
            New(MerchantAccountKind.MerchantAccount, "rufus@abc.com") with { BusinessDisplayName = "Rufus's Cafe" },
            "AMERCHANT0001", "PARTNER", ReleaseEnvironment.Live, "hash", Times.T0);

        Assert.Equal(MerchantAccountState.Active, account.State);
        Assert.Equal(("AMERCHANT0001", "PARTNER", ReleaseEnvironment.Live), (account.MerchantAccountId, account.CreatedBy, account.Environment));
        Assert.Equal(("ABCD12345CB", Currency.JPY, Corporate), (account.UniqueReferenceId, account.LedgerCurrency, account.LegalEntity));
        Assert.Equal(("rufus@abc.com", "hash", "{}"), (account.Email, account.AuthorizationTokenHash, account.Details));
        Assert.Equal((Times.T0, Times.T0), (account.CreatedAt, account.UpdatedAt));
        Assert.Equal("Rufus's Cafe", account.MerchantName);
        Assert.Equal("TestingSubmerchant", Opened().MerchantName);
    }

    [Fact]
    public void Update_Active_TakesTheNewDetailsAndKeepsWhatWasNotGiven()
    {
        var account = Opened(MerchantAccountKind.MerchantAccount);

        var updated = account.Update(Corporate, "Rufus's Cafe", null, "{\"a\":1}", Times.T0.AddHours(1));

        Assert.True(updated.IsSuccess);
        Assert.Equal(("Rufus's Cafe", "rufus@abc.com", "{\"a\":1}"), (updated.Value.BusinessDisplayName, updated.Value.Email, updated.Value.Details));
        Assert.Equal(Times.T0.AddHours(1), updated.Value.UpdatedAt);
        Assert.Equal(Times.T0, updated.Value.CreatedAt);
    }

    [Fact]
    public void Update_KeepsTheDisplayNameOrEmailNotGiven_AndTakesTheOneGiven()
    {
        var named = Opened(MerchantAccountKind.MerchantAccount).Update(null, "Rufus's Cafe", null, "{}", Times.T0).Value!;

        var newEmail = named.Update(null, null, "owner@rufus.example", "{}", Times.T0).Value!;
        var newName = newEmail.Update(null, "Rufus & Co", null, "{}", Times.T0).Value!;

        Assert.Equal(("Rufus's Cafe", "owner@rufus.example"), (newEmail.BusinessDisplayName, newEmail.Email));
        Assert.Equal(("Rufus & Co", "owner@rufus.example"), (newName.BusinessDisplayName, newName.Email));
    }

    [Fact]
    public void Update_WithBothABadDisplayNameAndABadEmail_NamesTheDisplayName()
    {
        var refused = Opened().Update(null, new string('d', 256), "nope", "{}", Times.T0);

        Assert.Contains("businessInfo.businessDisplayName", refused.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ACreateWithABlankEmail_IsMissingTheEmail() =>
        Assert.Equal(ErrorCode.MissingParameterValue, MerchantAccount.Validate(New(MerchantAccountKind.MerchantAccount, " "))?.Code);

    [Fact]
    public void ValidateEmail_AnAddressOverItsLimit_IsRefusedForItsLength_EvenWhenMalformed()
    {
        var domain = "@abc.com";
        var fits = new string('r', MerchantAccount.EmailMaxLength - domain.Length) + domain;
        var over = "r" + fits;

        Assert.Null(MerchantAccount.ValidateEmail(fits));
        Assert.Contains($"{MerchantAccount.EmailMaxLength}", MerchantAccount.ValidateEmail(over)!.Message, StringComparison.Ordinal);
        Assert.Contains($"{MerchantAccount.EmailMaxLength}", MerchantAccount.ValidateEmail(over.Replace("@", "#", StringComparison.Ordinal))!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralBadFields_NamesTheMostSpecificFirst()
    {
        // Every field wrong at once; fixing the one named each time must name the next, in the documented order.
        var account = new NewMerchantAccount(
            MerchantAccountKind.MerchantAccount, " ", Currency.JPY, new LegalEntity("corporate", "", "jpn"), new string('d', 256), null, "{}");
        var fixes = new (string Field, Func<NewMerchantAccount, NewMerchantAccount> Fix)[]
        {
            ("uniqueReferenceId", a => a with { UniqueReferenceId = "ABCD12345CB" }),
            ("businessInfo.businessType", a => a with { LegalEntity = a.LegalEntity with { BusinessType = "CORPORATE" } }),
            ("businessInfo.businessLegalName", a => a with { LegalEntity = a.LegalEntity with { BusinessLegalName = "Rufus" } }),
            ("businessInfo.countryOfEstablishment", a => a with { LegalEntity = a.LegalEntity with { CountryOfEstablishment = "JP" } }),
            ("businessInfo.businessDisplayName", a => a with { BusinessDisplayName = null }),
            ("businessInfo.email", a => a with { Email = "not-an-address" }),
            ("businessInfo.email", a => a with { Email = "rufus@abc.com" }),
        };
        foreach (var (field, fix) in fixes)
        {
            var error = MerchantAccount.Validate(account);
            Assert.True(error?.Message.Contains($"'{field}'", StringComparison.Ordinal) == true, $"expected {field} named first: {error?.Message}");
            account = fix(account);
        }

        Assert.Null(MerchantAccount.Validate(account));
    }

    [Fact]
    public void Update_ChangingTheLegalEntity_IsRefused()
    {
        foreach (var changed in new[]
        {
            Corporate with { BusinessType = "INDIVIDUAL" },
            Corporate with { BusinessLegalName = "Another" },
            Corporate with { CountryOfEstablishment = "US" },
        })
        {
            var refused = Opened().Update(changed, null, null, "{}", Times.T0);
            Assert.Equal(ErrorCode.InvalidParameterValue, refused.Error?.Code);
            Assert.Contains("legal business entity", refused.Error!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Update_BadDisplayNameOrEmail_IsRefused()
    {
        Assert.Equal(ErrorCode.InvalidParameterValue, Opened().Update(null, new string('d', 256), null, "{}", Times.T0).Error?.Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Opened().Update(null, null, "nope", "{}", Times.T0).Error?.Code);
    }

    [Fact]
    public void Claim_ACreatedAccount_IsClaimedOnceAndAgainChangesNothing()
    {
        var claimed = Opened(MerchantAccountKind.MerchantAccount).Claim("ABCD12345CB", Times.T0.AddHours(1));

        Assert.Equal(MerchantAccountState.Claimed, claimed.Value!.State);
        Assert.Equal(Times.T0.AddHours(1), claimed.Value.ClaimedAt);
        Assert.Same(claimed.Value, claimed.Value.Claim("ABCD12345CB", Times.T0.AddHours(2)).Value);
    }

    [Fact]
    public void Claim_ARegisteredAccount_IsRefused() =>
        Assert.Equal(ErrorCode.InvalidRequest, Opened().Claim("ABCD12345CB", Times.T0).Error?.Code);

    [Fact]
    public void Claim_WithAnotherReference_IsRefusedNamingIt()
    {
        var refused = Opened(MerchantAccountKind.MerchantAccount).Claim("OTHER", Times.T0);

        Assert.Equal(ErrorCode.InvalidParameterValue, refused.Error?.Code);
        Assert.Contains("'uniqueReferenceId'", refused.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Delete_Active_IsDeleted()
    {
        var deleted = Opened().Delete(Times.T0.AddDays(1));

        Assert.Equal(MerchantAccountState.Deleted, deleted.Value!.State);
        Assert.Equal(Times.T0.AddDays(1), deleted.Value.DeletedAt);
        Assert.Equal(Times.T0.AddDays(1), deleted.Value.UpdatedAt);
    }

    /// <summary>Every state × operation: a claimed account is its merchant's, a deleted one does not exist.</summary>
    [Theory]
    [InlineData(MerchantAccountState.Claimed, ErrorCode.InvalidRequest, ErrorCode.InvalidRequest, null)]
    [InlineData(MerchantAccountState.Deleted, ErrorCode.ResourceNotFound, ErrorCode.ResourceNotFound, ErrorCode.ResourceNotFound)]
    [InlineData(MerchantAccountState.Active, null, null, null)]
    public void Operations_ByState(MerchantAccountState state, ErrorCode? update, ErrorCode? delete, ErrorCode? claim)
    {
        var account = Opened(MerchantAccountKind.MerchantAccount) with { State = state };

        Assert.Equal(update, account.Update(null, null, null, "{}", Times.T0).Error?.Code);
        Assert.Equal(delete, account.Delete(Times.T0).Error?.Code);
        Assert.Equal(claim, account.Claim("ABCD12345CB", Times.T0).Error?.Code);
    }

    [Fact]
    public void CountryCode_TwoUpperCaseLetters_Only()
    {
        Assert.Null(MerchantAccount.CountryCode("c", "JP"));
        Assert.NotNull(MerchantAccount.CountryCode("c", null));
        Assert.NotNull(MerchantAccount.CountryCode("c", "J"));
        Assert.NotNull(MerchantAccount.CountryCode("c", "J1"));
    }
}
