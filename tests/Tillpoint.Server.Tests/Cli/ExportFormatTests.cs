using System.Text.Json;
using Tillpoint.Domain;
using Tillpoint.Server.Exports;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Cli;

/// <summary>The export formats on their own: RFC 4180 quoting, JSON values, and which events move money.</summary>
public sealed class ExportFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static string Write(ExportFormat format, string[] columns, params object?[][] rows)
    {
        using var text = new StringWriter();
        var sink = ExportSink.Create(format, text, columns);
        sink.Begin();
        foreach (var row in rows)
        {
            sink.Write(row);
        }

        sink.End();
        return text.ToString();
    }

    [Fact]
    public void Csv_QuotesFieldsWithCommasQuotesAndLineEnds_AndDoublesQuotes()
    {
        var csv = Write(ExportFormat.Csv, ["a", "b", "c", "d", "e"], ["plain", "one, two", "say \"hi\"", "line\r\nbreak", null], [7L, "", "x", "y", "z"]);

        Assert.Equal("a,b,c,d,e\r\nplain,\"one, two\",\"say \"\"hi\"\"\",\"line\r\nbreak\",\r\n7,,x,y,z\r\n", csv);
    }

    [Fact]
    public void Json_IsOneArray_WithNullsAndNumbers_AndJsonlIsOneObjectPerLine()
    {
        var json = Write(ExportFormat.Json, ["eventId", "detail"], [1L, "a \"b\""], [2L, null]);
        var jsonl = Write(ExportFormat.Jsonl, ["eventId", "detail"], [1L, "x"], [2L, null]);

        var rows = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        Assert.Equal([1L, 2L], rows.Select(r => r.GetProperty("eventId").GetInt64()));
        Assert.Equal("a \"b\"", rows[0].GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("detail").ValueKind);
        Assert.Equal("{\"eventId\":1,\"detail\":\"x\"}\n{\"eventId\":2,\"detail\":null}\n", jsonl);
    }

    [Theory]
    [InlineData(ObjectType.Charge, null, "Authorized", new[] { "Authorization" })]
    [InlineData(ObjectType.Charge, "Authorized", "Captured", new[] { "Capture" })]
    [InlineData(ObjectType.Charge, "AuthorizationInitiated", "Captured", new[] { "Authorization", "Capture" })]
    [InlineData(ObjectType.Charge, "CaptureInitiated", "Captured", new[] { "Capture" })]
    [InlineData(ObjectType.Charge, null, "AuthorizationInitiated", new string[0])]
    [InlineData(ObjectType.Charge, "Authorized", "Canceled", new string[0])]
    [InlineData(ObjectType.Charge, null, "Declined", new string[0])]
    [InlineData(ObjectType.Refund, "RefundInitiated", "Refunded", new[] { "Refund" })]
    [InlineData(ObjectType.Refund, null, "RefundInitiated", new string[0])]
    [InlineData(ObjectType.Refund, "RefundInitiated", "Declined", new string[0])]
    [InlineData(ObjectType.ChargePermission, null, "Chargeable", new string[0])]
    [InlineData(ObjectType.CheckoutSession, "Open", "Completed", new string[0])]
    public void Movements_AreAuthorizationsCapturesAndSettledRefunds(ObjectType type, string? from, string to, string[] expected)
    {
        var e = new DomainEvent(type, "X", "P", from, to, null, new Money(1200m, Currency.JPY), At);

        Assert.Equal(expected, ExportRows.Movements(e));
    }

    [Fact]
    public void SettlementRow_OfARefund_NamesItsCharge_AndKeepsTheCurrencysScale()
    {
        var stored = new StoredEvent(
            42, "M", ReleaseEnvironment.Live, new DomainEvent(ObjectType.Refund, "P-R1", "P", "RefundInitiated", "Refunded", null, new Money(1200m, Currency.JPY), At));

        var row = Assert.Single(ExportRows.Rows(ExportKind.Settlement, stored, _ => "order-7", _ => "P-C1"));

        Assert.Equal(
            ["2026-11-27T12:00:00.000Z", "Live", "Refund", "P", "P-C1", "P-R1", "order-7", "Refunded", "1200", "JPY", null, 42L],
            row);
    }
}
