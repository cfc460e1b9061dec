using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace Tillpoint.Shop.Web;

/// <summary>
/// A piece of HTML that is safe to write as it is. Made with <see cref="Of"/>, whose interpolation holes are
/// HTML-encoded unless they are <see cref="Html"/> themselves, so a page cannot forget to encode a buyer's name.
/// </summary>
public readonly struct Html
{
    private readonly string? _value;

    private Html(string value) => _value = value;

    public static Html Empty => default;

    /// <summary>Builds HTML from a template: <c>Html.Of($"&lt;p&gt;{name}&lt;/p&gt;")</c>.</summary>
    public static Html Of(HtmlTemplate template) => new(template.ToString());

    /// <summary>Joins pieces, e.g. one per row.</summary>
    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p._value)));

    /// <summary>Lines of text (an address), each encoded, separated by <c>&lt;br&gt;</c>; empty lines are left out.</summary>
    public static Html Lines(IEnumerable<string?> lines) =>
        Join(lines.Where(l => !string.IsNullOrEmpty(l)).Select((l, i) => i == 0 ? Of($"{l}") : Of($"<br>{l}")));

    /// <summary>Marks text as already safe; only for constants and for HTML built here.</summary>
    internal static Html Trusted(string value) => new(value);

    public override string ToString() => _value ?? string.Empty;
}

/// <summary>The interpolation handler behind <see cref="Html.Of"/>: literals as written, holes encoded.</summary>
[InterpolatedStringHandler]
public ref struct HtmlTemplate
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;
    private readonly StringBuilder _builder;

    public HtmlTemplate(int literalLength, int formattedCount) => _builder = new StringBuilder(literalLength + (formattedCount * 16));

    public readonly void AppendLiteral(string value) => _builder.Append(value);

    public readonly void AppendFormatted(Html value) => _builder.Append(value.ToString());

    public readonly void AppendFormatted(string? value) => _builder.Append(Encoder.Encode(value ?? string.Empty));

    public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public readonly void AppendFormatted<T>(T value, string? format) =>
        _builder.Append(Encoder.Encode(value is IFormattable formattable ? formattable.ToString(format, CultureInfo.InvariantCulture) : value?.ToString() ?? string.Empty));

    public override readonly string ToString() => _builder.ToString();
}
