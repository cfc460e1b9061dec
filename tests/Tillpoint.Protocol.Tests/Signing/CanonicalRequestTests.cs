using System.Text;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

/// <summary>Canonicalisation rules not covered by the vector files.</summary>
public sealed class CanonicalRequestTests
{
    private const string EmptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("a=b+c", "a=b%2Bc")]                       // '+' is a literal plus, not a space
    [InlineData("a=%2c&b=%7e&c=%7E", "a=%2C&b=~&c=~")]     // decoded, then re-encoded with upper-case hex
    [InlineData("b=2&a=2&a=1", "a=1&a=2&b=2")]             // name, then value
    [InlineData("a=b=c", "a=b%3Dc")]                        // split on the first '=' only
    [InlineData("flag&a=1", "a=1&flag=")]                   // no '=' means an empty value
    [InlineData("a=1&&b=2&", "a=1&b=2")]                    // empty parameters carry nothing
    [InlineData("a=%G1%4", "a=%25G1%254")]                  // malformed escapes are literal '%'
    [InlineData("f%20oo=b ar", "f%20oo=b%20ar")]
    [InlineData("%E1%88%B4=bar", "%E1%88%B4=bar")]
    [InlineData("\u1234=bar", "%E1%88%B4=bar")]             // unencoded UTF-8 is encoded
    [InlineData("Z=1&a=1&_=1", "Z=1&_=1&a=1")]              // ordinal order, not culture order
    [InlineData("=x&a=1", "=x&a=1")]                           // an empty name keeps its value
    [InlineData("k=%6f%6F", "k=oo")]
    [InlineData("k=AZaz09-._~", "k=AZaz09-._~")]               // every edge of the unreserved set stays as it is
    [InlineData("k=@[`{/:%7F", "k=%40%5B%60%7B%2F%3A%7F")]   // the characters just outside it are encoded
    [InlineData("k=%30%39%41%46%61%66", "k=09AFaf")]           // every edge of the hex digits decodes
    [InlineData("k=%0A%A0%Fa%aF", "k=%0A%A0%FA%AF")]
    [InlineData("k=%/0%:0%@0%G0%`0%g0", "k=%25%2F0%25%3A0%25%400%25G0%25%600%25g0")] // just outside them, '%' is literal
    [InlineData("k=%0/%0:%0@%0G%0`%0g", "k=%250%2F%250%3A%250%40%250G%250%60%250g")]
    public void CanonicalQueryString_RawQuery_IsCanonicalised(string? rawQuery, string expected)
    {
        Assert.Equal(expected, CanonicalRequest.CanonicalQueryString(rawQuery));
    }

    [Fact]
    public void CanonicalQueryString_RawAndDecodedOverloads_AgreeForLongValues()
    {
        // Longer than the stack buffers, so the pooled-buffer path runs too.
        var value = new string('é', 700) + " !*'()";
        var raw = "x=" + Uri.EscapeDataString(value) + "&a=1";

        var fromRaw = CanonicalRequest.CanonicalQueryString(raw);
        var fromPairs = CanonicalRequest.CanonicalQueryString([new("x", value), new("a", "1")]);

        Assert.Equal(fromPairs, fromRaw);
        Assert.StartsWith("a=1&x=%C3%A9%C3%A9", fromRaw, StringComparison.Ordinal);
        Assert.EndsWith("%20%21%2A%27%28%29", fromRaw, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_HeaderValues_AreTrimmedAndInnerWhitespaceCollapsed()
    {
        var headers = new Dictionary<string, string> { ["user-agent"] = " \tSDK/1.0   (Linux;\t\t x64)  ", ["x-amz-pay-date"] = "20261127T120000Z" };

        var result = CanonicalRequest.Build("GET", "/", null, "user-agent;x-amz-pay-date", headers.GetValueOrDefault, []);

        Assert.Equal(
            "GET\n/\n\nuser-agent:SDK/1.0 (Linux; x64)\nx-amz-pay-date:20261127T120000Z\n\nuser-agent;x-amz-pay-date\n" + EmptyBodyHash,
            result.CanonicalRequest);
    }

    [Fact]
    public void Build_MixedCaseSignedHeaders_AreWrittenVerbatim_WithLowerCaseLinesAndLookups()
    {
        var asked = new List<string>();
        string? Lookup(string name)
        {
            asked.Add(name);
            return "v";
        }

        var result = CanonicalRequest.Build("GET", "/", null, "Accept;X-Custom-Thing", Lookup, []);

        Assert.Equal(["accept", "x-custom-thing"], asked);
        Assert.Equal("GET\n/\n\naccept:v\nx-custom-thing:v\n\nAccept;X-Custom-Thing\n" + EmptyBodyHash, result.CanonicalRequest);
    }

    [Fact]
    public void Build_DeclaredHeaderAbsent_ReportsItsLowerCaseName()
    {
        var headers = new Dictionary<string, string> { ["accept"] = "application/json" };

        var result = CanonicalRequest.Build("GET", "/", null, "accept;X-Amz-Pay-Date", headers.GetValueOrDefault, []);

        Assert.Null(result.CanonicalRequest);
        Assert.Equal("x-amz-pay-date", result.MissingHeader);
    }

    [Fact]
    public void Build_EmptyNameInSignedHeaders_IsAMissingHeader_WithoutAskingTheLookup()
    {
        var result = CanonicalRequest.Build("GET", "/", null, "accept;;x", name => name.Length == 0 ? throw new InvalidOperationException() : "v", []);

        Assert.Null(result.CanonicalRequest);
        Assert.Equal(string.Empty, result.MissingHeader);
    }

    [Fact]
    public void Build_RawPathAndLowerCaseMethod_PathVerbatimMethodUpperCased()
    {
        var result = CanonicalRequest.Build("delete", "/sandbox/v2/a%7Eb//c/", "q=1", "h", _ => "v", Encoding.UTF8.GetBytes("{}"));

        Assert.Equal("DELETE\n/sandbox/v2/a%7Eb//c/\nq=1\nh:v\n\nh\n" + CanonicalRequest.HexSha256("{}"u8), result.CanonicalRequest);
    }

    [Fact]
    public void Build_MethodAndHeaderNames_FoldOnlyAsciiLetters()
    {
        var asked = new List<string>();
        string? Lookup(string name)
        {
            asked.Add(name);
            return "v";
        }

        var result = CanonicalRequest.Build("`az{", "/", null, "@AZ[", Lookup, []);

        Assert.Equal(["@az["], asked);
        Assert.StartsWith("`AZ{\n/\n\n@az[:v\n", result.CanonicalRequest, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EmptyPath_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => CanonicalRequest.Build("GET", "", null, "h", _ => "v", []));
    }

    [Fact]
    public void Build_WhenTheHeaderLookupCanonicalisesToo_EachKeepsItsOwnText()
    {
        // The builder is reused per thread; a lookup that signs something itself must not write into the outer request.
        CanonicalRequest.CanonicalQueryString("warm=1");
        string? Lookup(string name) => CanonicalRequest.CanonicalQueryString("b=2&a=1");

        var result = CanonicalRequest.Build("GET", "/", "z=9", "h", Lookup, []);

        Assert.Equal("GET\n/\nz=9\nh:a=1&b=2\n\nh\n" + EmptyBodyHash, result.CanonicalRequest);
        Assert.Equal("c=3", CanonicalRequest.CanonicalQueryString("c=3"));
    }

    [Fact]
    public void StringToSign_OfACanonicalRequestLongerThanTheStackBuffer_HashesAllOfIt()
    {
        var canonical = new string('é', 3000);

        var stringToSign = CanonicalRequest.StringToSign(SignatureAlgorithm.RsassaPssV2, canonical);

        Assert.Equal("AMZN-PAY-RSASSA-PSS-V2\n" + CanonicalRequest.HexSha256(Encoding.UTF8.GetBytes(canonical)), stringToSign);
    }

    [Fact]
    public void HexSha256_OfNothing_IsTheEmptyBodyHash()
    {
        Assert.Equal(EmptyBodyHash, CanonicalRequest.HexSha256([]));
    }

    [Fact]
    public void StringToSign_DocsExampleCanonicalRequest_MatchesPublishedHash()
    {
        // Spec §2.10(a2): the developer docs' /live/v1/ canonical request and its SHA-256.
        const string canonical = "POST\n/live/v1/checkoutSessions\n\naccept:application/json\ncontent-type:application/json\n"
            + "x-amz-pay-date:20190923T231908Z\nx-amz-pay-host:pay-api.amazon.com\nx-amz-pay-idempotency-key:cllHyiNvS8cJ8Zas\n"
            + "x-amz-pay-region:us\n\naccept;content-type;x-amz-pay-date;x-amz-pay-host;x-amz-pay-idempotency-key;x-amz-pay-region\n"
            + "0b6c19dc5bc1883ebd68d3c77ee929922c6b4a59e0a506d96c45e0c024c3295b";

        Assert.Equal("AMZN-PAY-RSASSA-PSS\nc5c55b2d523738b72c0b96f6d5e0d712d9496573490125b191eeb6840c052ffb",
            CanonicalRequest.StringToSign(SignatureAlgorithm.RsassaPss, canonical));
    }
}
