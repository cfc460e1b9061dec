using Tillpoint.Shop.Web;

namespace Tillpoint.Shop.Tests.Units;

public sealed class HtmlTests
{
    [Fact]
    public void Of_EncodesEveryHole_ButNotNestedHtml()
    {
        var name = "<script>alert(\"x\")</script> & co";
        var inner = Html.Of($"<b>{name}</b>");

        var page = Html.Of($"<p title=\"{name}\">{inner} {42.5m}</p>").ToString();

        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("&quot;x&quot;", page, StringComparison.Ordinal);
        Assert.StartsWith("<p title=\"", page, StringComparison.Ordinal);
        Assert.Contains("<b>&lt;script&gt;", page, StringComparison.Ordinal);
        Assert.EndsWith(" 42.5</p>", page, StringComparison.Ordinal);
    }
}
