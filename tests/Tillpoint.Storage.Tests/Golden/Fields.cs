using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Tillpoint.Storage.Tests.Golden;

/// <summary>
/// Field-by-field comparison of records, which compare their lists and dictionaries by reference. Decimals compare
/// with their scale ("14.00" is not "14") and times with their offset, because a stored document keeps both.
/// </summary>
internal static class Fields
{
    public static void AssertEqual(object? expected, object? actual) => AssertEqual(expected, actual, "$");

    /// <summary>
    /// Every settable field of <paramref name="value"/>, nested records, lists and dictionaries included, holds a value
    /// other than its type's default (an enum with one member excepted): a document written from it has every field.
    /// </summary>
    public static void AssertEveryFieldSet(object value) => AssertSet(value, "$", nullable: false);

    /// <summary>The public, settable properties: what a record stores (derived get-only properties are left out).</summary>
    public static IEnumerable<PropertyInfo> Stored(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod is not null && p.GetIndexParameters().Length == 0);

    private static void AssertEqual(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
            return;
        }

        switch (expected)
        {
            case decimal amount:
                Assert.True(
                    actual is decimal d && amount.ToString(CultureInfo.InvariantCulture) == d.ToString(CultureInfo.InvariantCulture),
                    $"{path}: expected {amount}, got {actual}");
                return;
            case DateTimeOffset time:
                Assert.True(actual is DateTimeOffset t && time.EqualsExact(t), $"{path}: expected {time:O}, got {actual:O}");
                return;
            case string or bool or int or long or Enum:
                Assert.True(expected.Equals(actual), $"{path}: expected {expected}, got {actual}");
                return;
            case IDictionary expectedMap:
                var actualMap = Assert.IsAssignableFrom<IDictionary>(actual);
                Assert.True(expectedMap.Count == actualMap.Count, $"{path}: expected {expectedMap.Count} entries, got {actualMap.Count}");
                foreach (DictionaryEntry entry in expectedMap)
                {
                    Assert.True(actualMap.Contains(entry.Key), $"{path}: no entry {entry.Key}");
                    AssertEqual(entry.Value, actualMap[entry.Key], $"{path}[{entry.Key}]");
                }

                return;
            case IEnumerable expectedItems:
                var expectedList = expectedItems.Cast<object?>().ToList();
                var actualList = Assert.IsAssignableFrom<IEnumerable>(actual).Cast<object?>().ToList();
                Assert.True(expectedList.Count == actualList.Count, $"{path}: expected {expectedList.Count} items, got {actualList.Count}");
                for (var i = 0; i < expectedList.Count; i++)
                {
                    AssertEqual(expectedList[i], actualList[i], $"{path}[{i}]");
                }

                return;
        }

        Assert.True(expected.GetType() == actual.GetType(), $"{path}: expected a {expected.GetType().Name}, got a {actual.GetType().Name}");
        var properties = expected.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .ToList();
        Assert.True(properties.Count > 0, $"{path}: a {expected.GetType().Name} has no properties to compare");
        foreach (var property in properties)
        {
            AssertEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }

    /// <summary>A nullable field is set when it is not null; any other field when it differs from its type's default.</summary>
    private static void AssertSet(object? value, string path, bool nullable)
    {
        Assert.True(value is not null, $"{path} is not set");
        var type = value.GetType();
        if (type.IsEnum)
        {
            Assert.True(
                nullable || Enum.GetValues(type).Length == 1 || !value.Equals(Enum.ToObject(type, 0)),
                $"{path} has its type's default, {value}");
            return;
        }

        if (value is string text)
        {
            Assert.True(text.Length > 0, $"{path} is empty");
            return;
        }

        if (value is DateTimeOffset or decimal || type.IsPrimitive)
        {
            Assert.True(nullable || !value.Equals(Activator.CreateInstance(type)), $"{path} has its type's default, {value}");
            return;
        }

        if (value is IDictionary map)
        {
            Assert.True(map.Count > 0, $"{path} is empty");
            foreach (DictionaryEntry entry in map)
            {
                AssertSet(entry.Value, $"{path}[{entry.Key}]", nullable: true);
            }

            return;
        }

        if (value is IEnumerable items)
        {
            var list = items.Cast<object?>().ToList();
            Assert.True(list.Count > 0, $"{path} is empty");
            for (var i = 0; i < list.Count; i++)
            {
                // An item is a value, not a field: only its own fields must be set.
                AssertSet(list[i], $"{path}[{i}]", nullable: true);
            }

            return;
        }

        foreach (var property in Stored(type))
        {
            var mayBeDefault = !property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null;
            AssertSet(property.GetValue(value), $"{path}.{property.Name}", mayBeDefault);
        }
    }
}
