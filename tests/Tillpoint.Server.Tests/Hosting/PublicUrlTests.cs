namespace Tillpoint.Server.Tests.Hosting;

/// <summary>
/// The public URL <c>tillpoint serve</c> takes when none is given: the plain-HTTP listener when every listener is on
/// loopback (the buyer's browser is on this machine and trusts no self-signed certificate), none otherwise.
/// </summary>
public sealed class PublicUrlTests
{
    [Theory]
    [InlineData("https://127.0.0.1:8443;http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://localhost:8080;https://localhost:8443", "http://localhost:8080/")]
    [InlineData("https://[::1]:8443;http://[::1]:9090", "http://[::1]:9090/")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    [InlineData("https://127.0.0.1:8443", null)]
    [InlineData("https://0.0.0.0:8443;http://127.0.0.1:8080", null)]
    [InlineData("https://*:8443;http://127.0.0.1:8080", null)]
    [InlineData("https://+:8443;http://127.0.0.1:8080", null)]
    [InlineData("https://127.0.0.1:8443;http://pay.example.test:8080", null)]
    [InlineData("https://127.0.0.1:8443;http://192.168.1.20:8080", null)]
    public void LoopbackPublicUrl_IsTheHttpListener_OnlyWhenEveryListenerIsOnLoopback(string urls, string? expected)
    {
        var publicUrl = ServerOptions.LoopbackPublicUrl(urls.Split(';'));

        Assert.Equal(expected, publicUrl?.AbsoluteUri);
    }
}
