using System.CommandLine.Parsing;

namespace Tillpoint.Server.Cli;

/// <summary>
/// The parsers of every option whose value is not free text. System.CommandLine's own conversions name .NET types in
/// their errors ("as expected type 'System.Int32'"), list suggestions over several lines, and for some types (a URL)
/// throw out of the verb instead of failing the parse. These fail the parse (exit code 2) with one line that says what
/// the option takes, in the words of its help.
/// </summary>
internal static class OptionValues
{
    /// <summary>An absolute http or https URL.</summary>
    public static Uri? Url(ArgumentResult result)
    {
        var text = Token(result);
        if (HttpUrl(text) is { } url)
        {
            return url;
        }

        result.AddError($"{NameOf(result)} must be an absolute http or https URL, such as http://127.0.0.1:8080, not '{text}'.");
        return null;
    }

    /// <summary>The URL when <paramref name="text"/> is an absolute http or https URL, else null.</summary>
    public static Uri? HttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) ? url : null;

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="unit"/> is said in the error.</summary>
    public static Func<ArgumentResult, int> WholeNumber(int min, int max, string? unit = null) => result =>
    {
        var text = Token(result);
        if (TryWholeNumber(text, min, max, out var value))
        {
            return (int)value;
        }

        result.AddError(OutOfRange(NameOf(result), min, max, unit, text));
        return min;
    };

    /// <summary>A whole number, 0 or more (a sequence number).</summary>
    public static long? Sequence(ArgumentResult result)
    {
        var text = Token(result);
        if (TryWholeNumber(text, 0, long.MaxValue, out var value))
        {
            return value;
        }

        result.AddError($"{NameOf(result)} must be a whole number, 0 or more, not '{text}'.");
        return null;
    }

    public static bool TryWholeNumber(string? text, long min, long max, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    public static string OutOfRange(string name, long min, long max, string? unit, string? text) =>
        $"{name} must be between {min} and {max}{(unit is null ? string.Empty : " " + unit)}, not '{text}'.";

    /// <summary>One of <typeparamref name="T"/>'s names, in any case, as the help lists them.</summary>
    public static T Name<T>(ArgumentResult result, T fallback)
        where T : struct, Enum
    {
        var text = Token(result);
        if (TryName<T>(text, out var value))
        {
            return value;
        }

        result.AddError(NotAName<T>(NameOf(result), text));
        return fallback;
    }

    /// <summary>
    /// The default of an option that takes one of <typeparamref name="T"/>'s names: the environment variable
    /// <paramref name="variable"/> when set (a name that is not one fails the parse, naming the variable), else
    /// <paramref name="fallback"/>.
    /// </summary>
    public static T NameFromEnvironment<T>(ArgumentResult result, string variable, T fallback)
        where T : struct, Enum
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (TryName<T>(text, out var value))
        {
            return value;
        }

        result.AddError(NotAName<T>(variable, text));
        return fallback;
    }

    /// <summary>Only the names: Enum.TryParse would also take "1" or "Full,Normal".</summary>
    public static bool TryName<T>(string? text, out T value)
        where T : struct, Enum
    {
        var name = Enum.GetNames<T>().FirstOrDefault(name => string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        value = name is null ? default : Enum.Parse<T>(name);
        return name is not null;
    }

    /// <summary>"--durability must be full or normal, not 'Fast'."</summary>
    public static string NotAName<T>(string source, string? text)
        where T : struct, Enum
    {
        var names = Enum.GetNames<T>().Select(name => name.ToLowerInvariant()).ToList();
        return $"{source} must be {string.Join(", ", names[..^1])} or {names[^1]}, not '{text}'.";
    }

    /// <summary>"full|normal", the help's name for the value of an option that takes one of <typeparamref name="T"/>'s names.</summary>
    public static string HelpName<T>()
        where T : struct, Enum =>
        string.Join('|', Enum.GetNames<T>().Select(name => name.ToLowerInvariant()));

    private static string Token(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;

    private static string NameOf(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
