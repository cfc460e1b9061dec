using System.Buffers;
using System.Text.Json;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Server.Exports;

/// <summary>What <c>tillpoint export</c> writes: one row per money movement, or the raw events.</summary>
internal enum ExportKind
{
    /// <summary>Every money movement: authorizations, captures and refunds.</summary>
    Settlement,

    /// <summary>Authorizations and captures only.</summary>
    Charges,

    /// <summary>Refunds only.</summary>
    Refunds,

    /// <summary>Every stored state change, of every object type.</summary>
    Events,
}

internal enum ExportFormat
{
    /// <summary>RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, a quote or a line end.</summary>
    Csv,

    /// <summary>One JSON array of objects, streamed.</summary>
    Json,

    /// <summary>JSON lines: one object per line.</summary>
    Jsonl,
}

/// <summary>
/// The columns and rows of an export, pure functions of the stored events. Column names are the CSV header and the
/// JSON property names alike; scripts rely on them, so add columns at the end only.
/// </summary>
internal static class ExportRows
{
    public static readonly string[] SettlementColumns =
    [
        "time", "environment", "movement", "chargePermissionId", "chargeId", "refundId", "merchantReferenceId", "state", "amount",
        "currency", "reasonCode", "eventId",
    ];

    public static readonly string[] EventColumns =
    [
        "eventId", "time", "environment", "objectType", "objectId", "chargePermissionId", "fromState", "toState", "reasonCode",
        "amount", "currency", "detail",
    ];

    public static string[] Columns(ExportKind kind) => kind switch
    {
        ExportKind.Settlement or ExportKind.Charges or ExportKind.Refunds => SettlementColumns,
        ExportKind.Events => EventColumns,
    };

    /// <summary>Times in exports: ISO 8601 in UTC to the millisecond, as stored.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The rows one stored event gives for <paramref name="kind"/>: none, one, or (an authorization captured at once) two.</summary>
    /// <remarks>
    /// Events name a refund but not its charge, and no event carries the merchant's reference: those come from the
    /// objects, through <paramref name="merchantReference"/> (by charge permission id) and <paramref name="chargeOfRefund"/>.
    /// </remarks>
    public static IEnumerable<object?[]> Rows(
        ExportKind kind, StoredEvent stored, Func<string, string?> merchantReference, Func<string, string?> chargeOfRefund)
    {
        if (kind == ExportKind.Events)
        {
            var e = stored.Event;
            yield return
            [
                stored.EventId, Time(e.At), stored.Environment.ToString(), e.ObjectType.ToString(), e.ObjectId, e.ChargePermissionId,
                e.FromState, e.ToState, e.ReasonCode, e.Amount?.ToAmountString(), e.Amount?.Currency.ToString(), e.Detail,
            ];
            yield break;
        }

        foreach (var movement in Movements(stored.Event))
        {
            var wanted = kind switch
            {
                ExportKind.Settlement => true,
                ExportKind.Charges => movement != "Refund",
                ExportKind.Refunds => movement == "Refund",
                ExportKind.Events => false,
            };
            if (!wanted || stored.Event.Amount is not { } amount)
            {
                continue;
            }

            var e = stored.Event;
            var isRefund = e.ObjectType == ObjectType.Refund;
            yield return
            [
                Time(e.At), stored.Environment.ToString(), movement, e.ChargePermissionId, isRefund ? chargeOfRefund(e.ObjectId) : e.ObjectId,
                isRefund ? e.ObjectId : null, e.ChargePermissionId is { } permission ? merchantReference(permission) : null, e.ToState,
                amount.ToAmountString(), amount.Currency.ToString(), e.ReasonCode, stored.EventId,
            ];
        }
    }

    /// <summary>
    /// The money an event moved. A charge captured straight from AuthorizationInitiated (captureNow, settled later) was
    /// authorized and captured in one change, so it counts as both. Events of object types other than the checkout's
    /// own count whenever they carry an amount.
    /// </summary>
    public static IReadOnlyList<string> Movements(DomainEvent e)
    {
        switch (e.ObjectType)
        {
            case ObjectType.Charge when Enum.TryParse<ChargeState>(e.ToState, out var state):
                return state switch
                {
                    ChargeState.Authorized => ["Authorization"],
                    ChargeState.Captured when e.FromState == nameof(ChargeState.AuthorizationInitiated) => ["Authorization", "Capture"],
                    ChargeState.Captured => ["Capture"],
                    ChargeState.AuthorizationInitiated or ChargeState.CaptureInitiated or ChargeState.Canceled or ChargeState.Declined => [],
                };
            case ObjectType.Refund when Enum.TryParse<RefundState>(e.ToState, out var state):
                return state switch
                {
                    RefundState.Refunded => ["Refund"],
                    RefundState.RefundInitiated or RefundState.Declined => [],
                };
            case ObjectType.Charge:
            case ObjectType.Refund:
            case ObjectType.CheckoutSession:
            case ObjectType.ChargePermission:
                return [];
        }

        // Any other kind of object whose change carries an amount moved money the way its own events say: it is a
        // movement named for the object and its new state, so settlement reports and exports show every such change.
        return e.Amount is null ? [] : [$"{e.ObjectType}{e.ToState}"];
    }
}

/// <summary>Writes export rows in one format, a row at a time, so an export never holds more than a page.</summary>
internal abstract class ExportSink(TextWriter writer)
{
    protected TextWriter Writer => writer;

    public static ExportSink Create(ExportFormat format, TextWriter writer, string[] columns) => format switch
    {
        ExportFormat.Csv => new CsvSink(writer, columns),
        ExportFormat.Json => new JsonSink(writer, columns, lines: false),
        ExportFormat.Jsonl => new JsonSink(writer, columns, lines: true),
    };

    public abstract void Begin();

    public abstract void Write(object?[] row);

    public abstract void End();

    private sealed class CsvSink(TextWriter writer, string[] columns) : ExportSink(writer)
    {
        public override void Begin() => Line(columns);

        public override void Write(object?[] row) => Line(row);

        public override void End()
        {
        }

        private void Line(object?[] fields)
        {
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    Writer.Write(',');
                }

                Writer.Write(Field(fields[i]));
            }

            // RFC 4180 ends records with CRLF, whatever the platform.
            Writer.Write("\r\n");
        }

        public static string Field(object? value)
        {
            var text = value switch
            {
                null => string.Empty,
                long number => number.ToString(CultureInfo.InvariantCulture),
                string s => s,
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
            };
            return text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        }
    }

    private sealed class JsonSink(TextWriter writer, string[] columns, bool lines) : ExportSink(writer)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();
        private bool _first = true;

        public override void Begin()
        {
            if (!lines)
            {
                Writer.Write('[');
            }
        }

        public override void Write(object?[] row)
        {
            _buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(_buffer))
            {
                json.WriteStartObject();
                for (var i = 0; i < columns.Length; i++)
                {
                    switch (row[i])
                    {
                        case null:
                            json.WriteNull(columns[i]);
                            break;
                        case long number:
                            json.WriteNumber(columns[i], number);
                            break;
                        case var value:
                            json.WriteString(columns[i], Convert.ToString(value, CultureInfo.InvariantCulture));
                            break;
                    }
                }

                json.WriteEndObject();
            }

            if (!lines)
            {
                Writer.Write(_first ? "\n" : ",\n");
            }

            Writer.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
            if (lines)
            {
                Writer.Write('\n');
            }

            _first = false;
        }

        public override void End()
        {
            if (!lines)
            {
                Writer.Write(_first ? "]\n" : "\n]\n");
            }
        }
    }
}
