using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

public sealed class SignatureAlgorithmsTests
{
    [Theory]
    [InlineData(SignatureAlgorithm.RsassaPss, "AMZN-PAY-RSASSA-PSS", 20)]
    [InlineData(SignatureAlgorithm.RsassaPssV2, "AMZN-PAY-RSASSA-PSS-V2", 32)]
    public void NameAndSalt_MatchTheSpec_AndTheNameParsesBack(SignatureAlgorithm algorithm, string name, int salt)
    {
        Assert.Equal(name, SignatureAlgorithms.Name(algorithm));
        Assert.Equal(salt, SignatureAlgorithms.SaltLength(algorithm));
        Assert.True(SignatureAlgorithms.TryParse(name, out var parsed));
        Assert.Equal(algorithm, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("amzn-pay-rsassa-pss")]
    [InlineData("AMZN-PAY-RSASSA-PSS-v2")]
    [InlineData("AMZN-PAY-RSASSA-PSS-V3")]
    [InlineData("AMZN-PAY-RSASSA-PSS ")]
    [InlineData("RsassaPss")]
    public void TryParse_AnythingButTheExactNames_IsRefused(string name)
    {
        Assert.False(SignatureAlgorithms.TryParse(name, out _));
    }

    [Fact]
    public void Name_UndefinedValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SignatureAlgorithms.Name((SignatureAlgorithm)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignatureAlgorithms.SaltLength((SignatureAlgorithm)7));
    }
}
