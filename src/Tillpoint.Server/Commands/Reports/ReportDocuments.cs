using Tillpoint.Domain.Reports;
using Tillpoint.Server.Exports;

namespace Tillpoint.Server.Commands.Reports;

/// <summary>
/// A report's document: the ledger's rows for its period, read through <see cref="LedgerExport"/> (the reader behind
/// <c>tillpoint export</c>), written as CSV under the column names of Amazon's flat files where Amazon documents one.
/// </summary>
internal static class ReportDocuments
{
    private const int EventsPerPage = 1000;

    /// <summary>
    /// The settlement row of <see cref="ExportRows.SettlementColumns"/> under report names: Amazon's documented
    /// TransactionPostedDate, TransactionType, SellerReferenceId and TransactionAmount, then Tillpoint's own.
    /// </summary>
    public static readonly string[] MovementColumns =
    [
        "TransactionPostedDate", "Environment", "TransactionType", "AmazonChargePermissionId", "AmazonChargeId", "AmazonRefundId",
        "SellerReferenceId", "TransactionStatus", "TransactionAmount", "CurrencyCode", "ReasonCode", "EventId",
    ];

    /// <summary>The event row of <see cref="ExportRows.EventColumns"/> under report names, for the charge permission reports.</summary>
    public static readonly string[] PermissionColumns =
    [
        "EventId", "TransactionPostedDate", "Environment", "ObjectType", "AmazonChargePermissionId", "ChargePermissionId", "FromState",
        "ToState", "ReasonCode", "Amount", "CurrencyCode", "Detail",
    ];

    private const int Movement = 2;
    private const int ObjectTypeColumn = 3;

    /// <summary>The document of <paramref name="report"/> and how many rows it has; no rows means no data for its period.</summary>
    public static (byte[] Document, long Rows) Build(ITillpointStore store, Report report)
    {
        var (kind, columns, wanted) = Shape(report.ReportType);
        var range = new EventRange(report.MerchantId, report.Environment, report.StartTime, report.EndTime);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var sink = new FilteredSink(ExportSink.Create(ExportFormat.Csv, text, columns), wanted);
        new LedgerExport(store, range, kind, EventsPerPage).Write(sink, progress: null, CancellationToken.None);
        return (Encoding.UTF8.GetBytes(text.ToString()), sink.Rows);
    }

    /// <summary>Every money movement of a period: the settlement report's rows, which the disbursements add up.</summary>
    public static void Movements(ITillpointStore store, EventRange range, Action<object?[]> row) =>
        new LedgerExport(store, range, ExportKind.Settlement, EventsPerPage)
            .Write(new CallbackSink(row), progress: null, CancellationToken.None);

    /// <summary>
    /// Which rows a type lists: settlement and multi-currency reports every movement (Tillpoint converts no currency, so
    /// presentment equals settlement); the transaction reports their own movement; the order reference and billing
    /// agreement reports the charge permissions' changes.
    /// </summary>
    private static (ExportKind Kind, string[] Columns, Func<object?[], bool> Wanted) Shape(string reportType) => reportType switch
    {
        ReportTypes.Authorization => (ExportKind.Settlement, MovementColumns, row => Is(row[Movement], "Authorization")),
        ReportTypes.Capture => (ExportKind.Settlement, MovementColumns, row => Is(row[Movement], "Capture")),
        ReportTypes.Refund => (ExportKind.Settlement, MovementColumns, row => Is(row[Movement], "Refund")),
        ReportTypes.OrderReference or ReportTypes.BillingAgreement =>
            (ExportKind.Events, PermissionColumns, row => Is(row[ObjectTypeColumn], nameof(ObjectType.ChargePermission))),
        _ => (ExportKind.Settlement, MovementColumns, _ => true),
    };

    private static bool Is(object? value, string expected) => value is string text && text == expected;

    /// <summary>Ids in Amazon's shapes: numeric report and schedule ids, <c>amzn1.tortuga.0.{uuid}.{14 digits}</c> documents.</summary>
    public static string NewReportId(RandomSource random) => Digits(random, 11);

    public static string NewReportScheduleId(RandomSource random) => Digits(random, 11);

    public static string NewReportDocumentId(RandomSource random) => $"amzn1.tortuga.0.{random.NewGuid():D}.{Digits(random, 14)}";

    private static string Digits(RandomSource random, int count) =>
        string.Concat(Enumerable.Range(0, count).Select(i => (char)('0' + random.GetInt32(i == 0 ? 1 : 0, 10))));

    /// <summary>Passes on the rows a report wants and counts them.</summary>
    private sealed class FilteredSink(ExportSink inner, Func<object?[], bool> wanted) : ExportSink(TextWriter.Null)
    {
        public long Rows { get; private set; }

        public override void Begin() => inner.Begin();

        public override void Write(object?[] row)
        {
            if (wanted(row))
            {
                inner.Write(row);
                Rows++;
            }
        }

        public override void End() => inner.End();
    }

    private sealed class CallbackSink(Action<object?[]> row) : ExportSink(TextWriter.Null)
    {
        public override void Begin()
        {
        }

        public override void Write(object?[] values) => row(values);

        public override void End()
        {
        }
    }
}
