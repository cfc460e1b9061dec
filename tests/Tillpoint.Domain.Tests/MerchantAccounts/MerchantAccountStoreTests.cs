using Tillpoint.Domain.MerchantAccounts;

namespace Tillpoint.Domain.Tests.MerchantAccounts;

public sealed class MerchantAccountStoreTests
{
    private static readonly StoreDetails Rufus = new(
        "Rufus's Cafe", ["https://rufus.example"], ["https://rufus.example/review"], "http://rufus.example/privacy", "https://rufus.example/logo.png");

    private static readonly StoreDetails NoChange = new(null, null, null, null, null);

    private static MerchantAccount Opened() => MerchantAccount.Open(
        new NewMerchantAccount(MerchantAccountKind.MerchantAccount, "ABCD12345CB", Currency.JPY, new LegalEntity("CORPORATE", "Rufus", "JP"), null, "rufus@abc.com", "{}"),
        "AMERCHANT0001", "PARTNER", ReleaseEnvironment.Sandbox, "0f", Times.T0);

    private static MerchantAccount WithStore(string storeId = "store-1") => Opened().AddStore(Rufus, storeId, Times.T0.AddHours(1)).Value!;

    [Fact]
    public void AddStore_KeepsEveryFieldGiven_AndIsTheAccountsNewestStore()
    {
        var account = WithStore().AddStore(Rufus with { AllowedRedirectUrls = null, PrivacyPolicyUrl = null, MerchantLogoUrl = null }, "store-2", Times.T0.AddHours(2)).Value!;

        Assert.Equal(["store-1", "store-2"], account.Stores.Select(s => s.StoreId));
        var first = account.Stores[0];
        Assert.Equal(("Rufus's Cafe", "https://rufus.example", "https://rufus.example/review"), (first.StoreName, first.AllowedOriginDomains[0], first.AllowedRedirectUrls[0]));
        Assert.Equal(("http://rufus.example/privacy", "https://rufus.example/logo.png"), (first.PrivacyPolicyUrl, first.MerchantLogoUrl));
        Assert.Equal((Times.T0.AddHours(1), Times.T0.AddHours(1)), (first.CreatedAt, first.UpdatedAt));
        var second = account.Stores[1];
        Assert.Empty(second.AllowedRedirectUrls);
        Assert.Null(second.PrivacyPolicyUrl);
        Assert.Equal(Times.T0.AddHours(2), account.UpdatedAt);
        Assert.True(account.HasStore("store-2"));
        Assert.False(account.HasStore("store-3"));
    }

    [Fact]
    public void ValidateNew_SeveralBadFields_NamesThemInTheOrderOfTheBody()
    {
        var details = new StoreDetails(" ", [], ["http://rufus.example/review"], "ftp://rufus.example/privacy", "http://rufus.example/logo.png");
        var fixes = new (string Field, Func<StoreDetails, StoreDetails> Fix)[]
        {
            // What a new store must have comes first, then each field's own checks.
            ("storeName", d => d with { StoreName = new string('n', StoreDetails.StoreNameMaxLength + 1) }),
            ("allowedOriginDomains", d => d with { AllowedOriginDomains = ["https://rufus.example/path"] }),
            ("storeName", d => d with { StoreName = "Rufus's Cafe" }),
            ("allowedOriginDomains", d => d with { AllowedOriginDomains = ["https://rufus.example"] }),
            ("allowedRedirectURLs", d => d with { AllowedRedirectUrls = null }),
            ("privacyPolicyUrl", d => d with { PrivacyPolicyUrl = null }),
            ("merchantLogoUrl", d => d with { MerchantLogoUrl = null }),
        };
        foreach (var (field, fix) in fixes)
        {
            var error = details.ValidateNew();
            Assert.True(error?.Message.Contains($"'{field}", StringComparison.Ordinal) == true, $"expected {field} named first: {error?.Message}");
            details = fix(details);
        }

        Assert.Null(details.ValidateNew());
    }

    [Fact]
    public void ValidateNew_WithoutAName_NamesTheName_BeforeMissingOrigins()
    {
        Assert.Contains("'storeName'", new StoreDetails(null, null, null, null, null).ValidateNew()!.Message, StringComparison.Ordinal);
        Assert.Contains("'allowedOriginDomains'", new StoreDetails("Rufus", null, null, null, null).ValidateNew()!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateChange_ANameOfBlanksOverItsLimit_IsMissing_NotTooLong() =>
        Assert.Equal(ErrorCode.MissingParameterValue, (NoChange with { StoreName = new string(' ', StoreDetails.StoreNameMaxLength + 1) }).ValidateChange()?.Code);

    [Fact]
    public void ValidateChange_EmptyOrigins_AreMissing_BeforeABadReturnPageIsNamed()
    {
        var error = (NoChange with { AllowedOriginDomains = [], AllowedRedirectUrls = ["http://rufus.example/review"] }).ValidateChange();

        Assert.Equal(ErrorCode.MissingParameterValue, error?.Code);
        Assert.Contains("'allowedOriginDomains'", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateChange_AnOriginLongerThanItsLimit_IsRefused()
    {
        var origin = Origin(StoreDetails.OriginMaxLength);
        var longer = Origin(StoreDetails.OriginMaxLength + 1);

        Assert.Null((NoChange with { AllowedOriginDomains = [origin] }).ValidateChange());
        Assert.Equal(ErrorCode.InvalidParameterValue, (NoChange with { AllowedOriginDomains = [longer] }).ValidateChange()?.Code);
    }

    /// <summary>An https origin of exactly <paramref name="length"/> characters, its host in labels short enough for DNS.</summary>
    private static string Origin(int length)
    {
        var labels = string.Concat(Enumerable.Range(0, length - "https://".Length - ".com".Length).Select(i => i % 10 == 9 ? '.' : 'a'));
        return $"https://{labels.TrimEnd('.')}{(labels.EndsWith('.') ? "a" : string.Empty)}.com";
    }

    [Fact]
    public void AddStore_PastTheLimit_IsRefused()
    {
        var account = Opened();
        for (var i = 0; i < MerchantAccount.MaxStores; i++)
        {
            account = account.AddStore(Rufus, $"store-{i}", Times.T0).Value!;
        }

        Assert.Equal(ErrorCode.InvalidRequest, account.AddStore(Rufus, "one-more", Times.T0).Error?.Code);
    }

    [Fact]
    public void UpdateStore_ReplacesWhatIsGiven_KeepsTheRest_AndTheOtherStores()
    {
        var account = WithStore().AddStore(Rufus, "store-2", Times.T0).Value!;

        var updated = account.UpdateStore("store-1", NoChange with { StoreName = "Tea Room", AllowedRedirectUrls = [] }, Times.T0.AddDays(1)).Value!;

        var store = updated.Stores[0];
        Assert.Equal(("Tea Room", "https://rufus.example", "https://rufus.example/logo.png"), (store.StoreName, store.AllowedOriginDomains[0], store.MerchantLogoUrl));
        Assert.Empty(store.AllowedRedirectUrls);
        Assert.Equal((Times.T0.AddHours(1), Times.T0.AddDays(1)), (store.CreatedAt, store.UpdatedAt));
        Assert.Same(account.Stores[1], updated.Stores[1]);
        Assert.Equal(2, updated.Stores.Count);
        var origins = updated.UpdateStore("store-2", NoChange with { AllowedOriginDomains = ["https://b.example"], PrivacyPolicyUrl = "https://b.example/p", MerchantLogoUrl = "https://b.example/l" }, Times.T0).Value!.Stores[1];
        Assert.Equal(("https://b.example", "https://b.example/p", "https://b.example/l"), (origins.AllowedOriginDomains[0], origins.PrivacyPolicyUrl, origins.MerchantLogoUrl));
    }

    [Fact]
    public void UpdateStore_OfAnUnknownStore_IsNotFound() =>
        Assert.Equal(ErrorCode.ResourceNotFound, WithStore().UpdateStore("store-9", NoChange, Times.T0).Error?.Code);

    /// <summary>Every state × store operation: a claimed account is its merchant's, a deleted one does not exist.</summary>
    [Theory]
    [InlineData(MerchantAccountState.Active, null)]
    [InlineData(MerchantAccountState.Claimed, ErrorCode.InvalidRequest)]
    [InlineData(MerchantAccountState.Deleted, ErrorCode.ResourceNotFound)]
    public void StoreOperations_ByState(MerchantAccountState state, ErrorCode? expected)
    {
        var account = WithStore() with { State = state };

        Assert.Equal(expected, account.AddStore(Rufus, "store-2", Times.T0).Error?.Code);
        Assert.Equal(expected, account.UpdateStore("store-1", NoChange, Times.T0).Error?.Code);
    }

    public static TheoryData<string, StoreDetails, ErrorCode, string> BadNewStores() => new()
    {
        { "no name", Rufus with { StoreName = null }, ErrorCode.MissingParameterValue, "storeName" },
        { "blank name", Rufus with { StoreName = " " }, ErrorCode.MissingParameterValue, "storeName" },
        { "name too long", Rufus with { StoreName = new string('n', StoreDetails.StoreNameMaxLength + 1) }, ErrorCode.InvalidParameterValue, "storeName" },
        { "no origins", Rufus with { AllowedOriginDomains = null }, ErrorCode.MissingParameterValue, "allowedOriginDomains" },
        { "empty origins", Rufus with { AllowedOriginDomains = [] }, ErrorCode.MissingParameterValue, "allowedOriginDomains" },
        { "empty origin", Rufus with { AllowedOriginDomains = [""] }, ErrorCode.MissingParameterValue, "allowedOriginDomains[0]" },
        { "origin with a path", Rufus with { AllowedOriginDomains = ["https://rufus.example/a"] }, ErrorCode.InvalidParameterValue, "allowedOriginDomains[0]" },
        { "origin with a fragment", Rufus with { AllowedOriginDomains = ["https://rufus.example#a"] }, ErrorCode.InvalidParameterValue, "allowedOriginDomains[0]" },
        { "origin with a user", Rufus with { AllowedOriginDomains = ["https://me@rufus.example"] }, ErrorCode.InvalidParameterValue, "allowedOriginDomains[0]" },
        { "origin over http", Rufus with { AllowedOriginDomains = ["https://a.example", "http://rufus.example"] }, ErrorCode.InvalidParameterValue, "allowedOriginDomains[1]" },
        { "origin too long", Rufus with { AllowedOriginDomains = ["https://" + new string('o', StoreDetails.OriginMaxLength) + ".example"] }, ErrorCode.InvalidParameterValue, "allowedOriginDomains[0]" },
        { "origin twice", Rufus with { AllowedOriginDomains = ["https://a.example", "https://A.example"] }, ErrorCode.InvalidParameterValue, "allowedOriginDomains[1]" },
        { "too many origins", Rufus with { AllowedOriginDomains = [.. Enumerable.Range(0, StoreDetails.MaxListEntries + 1).Select(i => $"https://s{i}.example")] }, ErrorCode.InvalidParameterValue, "allowedOriginDomains" },
        { "redirect over http", Rufus with { AllowedRedirectUrls = ["http://rufus.example/r"] }, ErrorCode.InvalidParameterValue, "allowedRedirectURLs[0]" },
        { "redirect twice", Rufus with { AllowedRedirectUrls = ["https://rufus.example/r", "https://rufus.example/r"] }, ErrorCode.InvalidParameterValue, "allowedRedirectURLs[1]" },
        { "redirect not absolute", Rufus with { AllowedRedirectUrls = ["/review"] }, ErrorCode.InvalidParameterValue, "allowedRedirectURLs[0]" },
        { "privacy policy over ftp", Rufus with { PrivacyPolicyUrl = "ftp://rufus.example/p" }, ErrorCode.InvalidParameterValue, "privacyPolicyUrl" },
        { "privacy policy with a user", Rufus with { PrivacyPolicyUrl = "https://me@rufus.example/p" }, ErrorCode.InvalidParameterValue, "privacyPolicyUrl" },
        { "privacy policy too long", Rufus with { PrivacyPolicyUrl = "https://rufus.example/" + new string('p', StoreDetails.UrlMaxLength) }, ErrorCode.InvalidParameterValue, "privacyPolicyUrl" },
        { "logo over http", Rufus with { MerchantLogoUrl = "http://rufus.example/l.png" }, ErrorCode.InvalidParameterValue, "merchantLogoUrl" },
    };

    [Theory]
    [MemberData(nameof(BadNewStores))]
    public void AddStore_EachBadField_IsRefusedNamingIt(string why, StoreDetails details, ErrorCode code, string field)
    {
        var error = Opened().AddStore(details, "store-1", Times.T0).Error;

        Assert.True(error is not null, why);
        Assert.Equal(code, error.Code);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateStore_EachBadField_IsRefused_AndNothingGivenIsNoChange()
    {
        var account = WithStore();

        Assert.Equal(ErrorCode.MissingParameterValue, account.UpdateStore("store-1", NoChange with { StoreName = "" }, Times.T0).Error?.Code);
        Assert.Equal(ErrorCode.MissingParameterValue, account.UpdateStore("store-1", NoChange with { AllowedOriginDomains = [] }, Times.T0).Error?.Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, account.UpdateStore("store-1", NoChange with { MerchantLogoUrl = "logo" }, Times.T0).Error?.Code);
        Assert.Equal(account.Stores[0] with { UpdatedAt = Times.T0 }, account.UpdateStore("store-1", NoChange, Times.T0).Value!.Stores[0]);
    }

    [Fact]
    public void TheLimits_AreAccepted()
    {
        var details = new StoreDetails(
            new string('n', StoreDetails.StoreNameMaxLength),
            [.. Enumerable.Range(0, StoreDetails.MaxListEntries - 1).Select(i => $"https://s{i}.example"), "http://localhost:5000"],
            [.. Enumerable.Range(0, StoreDetails.MaxListEntries - 1).Select(i => $"https://s{i}.example/r"), "http://127.0.0.1:5000/review"],
            "https://rufus.example/" + new string('p', StoreDetails.UrlMaxLength - 22),
            "http://localhost/logo.png");

        Assert.Null(details.ValidateNew());
        Assert.Null(new StoreDetails(null, ["https://" + new string('o', StoreDetails.OriginMaxLength - 16) + ".example", "https://b.example/"], null, null, null).ValidateChange());
    }

    [Theory]
    [InlineData(MerchantAccountApi.Auto, false, MerchantAccountKind.AmazonPayAccount)]
    [InlineData(MerchantAccountApi.Auto, true, MerchantAccountKind.MerchantAccount)]
    [InlineData(MerchantAccountApi.Register, false, MerchantAccountKind.AmazonPayAccount)]
    [InlineData(MerchantAccountApi.Register, true, MerchantAccountKind.AmazonPayAccount)]
    [InlineData(MerchantAccountApi.Create, false, MerchantAccountKind.MerchantAccount)]
    [InlineData(MerchantAccountApi.Create, true, MerchantAccountKind.MerchantAccount)]
    public void Routing_AutoFollowsTheRequest_TheOthersFixTheGeneration(MerchantAccountApi api, bool requestSaysCreate, MerchantAccountKind expected) =>
        Assert.Equal(expected, MerchantAccountRouting.Choose(api, requestSaysCreate));
}
