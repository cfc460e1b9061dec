using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

public sealed class AuthorizationHeaderTests
{
    private const string Valid =
        "AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=SANDBOX-AFVX7ULWSGBZ5535PCUQOY7B, SignedHeaders=accept;x-amz-pay-date, Signature=4+Tb/w==";

    [Fact]
    public void TryParse_SpecExample_ReturnsAllParts()
    {
        var error = AuthorizationHeader.TryParse(Valid, out var header);

        Assert.Equal(AuthorizationHeaderParseError.None, error);
        Assert.Equal(new AuthorizationHeader(SignatureAlgorithm.RsassaPssV2, "SANDBOX-AFVX7ULWSGBZ5535PCUQOY7B", "accept;x-amz-pay-date", "4+Tb/w=="), header);
    }

    [Fact]
    public void Format_OfParsedHeader_ReproducesTheInput()
    {
        AuthorizationHeader.TryParse(Valid, out var header);

        Assert.Equal(Valid, header!.Format());
    }

    [Fact]
    public void TryParse_V1Name_IsRsassaPss()
    {
        var error = AuthorizationHeader.TryParse("AMZN-PAY-RSASSA-PSS PublicKeyId=K, SignedHeaders=a, Signature=s", out var header);

        Assert.Equal(AuthorizationHeaderParseError.None, error);
        Assert.Equal(SignatureAlgorithm.RsassaPss, header!.Algorithm);
    }

    [Fact]
    public void TryParse_SignatureWithEqualsSigns_SplitsOnTheFirstEqualsOnly()
    {
        AuthorizationHeader.TryParse("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=a, Signature=ab=c==", out var header);

        Assert.Equal("ab=c==", header!.Signature);
    }

    [Fact]
    public void TryParse_ParametersInAnyOrder_AndUnknownKeys_AreAccepted()
    {
        var error = AuthorizationHeader.TryParse("AMZN-PAY-RSASSA-PSS-V2 Signature=s, Extra=1, SignedHeaders=a, PublicKeyId=K", out var header);

        Assert.Equal(AuthorizationHeaderParseError.None, error);
        Assert.Equal(new AuthorizationHeader(SignatureAlgorithm.RsassaPssV2, "K", "a", "s"), header);
    }

    [Theory]
    [InlineData(null, AuthorizationHeaderParseError.Malformed)]
    [InlineData("", AuthorizationHeaderParseError.Malformed)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2", AuthorizationHeaderParseError.Malformed)]
    [InlineData(" AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=a, Signature=s", AuthorizationHeaderParseError.Malformed)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=a, Signature", AuthorizationHeaderParseError.Malformed)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=a, Signature=s, ", AuthorizationHeaderParseError.Malformed)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, =x, SignedHeaders=a, Signature=s", AuthorizationHeaderParseError.Malformed)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 ,PublicKeyId=K, SignedHeaders=a, Signature=s", AuthorizationHeaderParseError.Malformed)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=a, Signature=s, =", AuthorizationHeaderParseError.Malformed)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, PublicKeyId=L, SignedHeaders=a, Signature=s", AuthorizationHeaderParseError.Malformed)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=a, SignedHeaders=b, Signature=s", AuthorizationHeaderParseError.Malformed)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=a, Signature=s, Signature=t", AuthorizationHeaderParseError.Malformed)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V3 PublicKeyId=K, SignedHeaders=a, Signature=s", AuthorizationHeaderParseError.UnknownAlgorithm)]
    [InlineData("amzn-pay-rsassa-pss-v2 PublicKeyId=K, SignedHeaders=a, Signature=s", AuthorizationHeaderParseError.UnknownAlgorithm)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V3 garbage", AuthorizationHeaderParseError.UnknownAlgorithm)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 SignedHeaders=a, Signature=s", AuthorizationHeaderParseError.MissingPublicKeyId)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=, SignedHeaders=a, Signature=s", AuthorizationHeaderParseError.MissingPublicKeyId)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 publickeyid=K, SignedHeaders=a, Signature=s", AuthorizationHeaderParseError.MissingPublicKeyId)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, Signature=s", AuthorizationHeaderParseError.MissingSignedHeaders)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=a", AuthorizationHeaderParseError.MissingSignature)]
    [InlineData("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K, SignedHeaders=a, Signature=", AuthorizationHeaderParseError.MissingSignature)]
    public void TryParse_BadValue_ReportsTheProblem(string? value, AuthorizationHeaderParseError expected)
    {
        var error = AuthorizationHeader.TryParse(value, out var header);

        Assert.Equal(expected, error);
        Assert.Null(header);
    }
}
