namespace Tillpoint.Server.Exports;

/// <summary>
/// One export run: reads the range a page at a time and hands each page's rows to a sink. <c>tillpoint export</c> and the
/// API's reports both read the ledger through it, so a report and an export of the same range agree row for row.
/// </summary>
internal sealed class LedgerExport(ITillpointStore store, EventRange range, ExportKind kind, int pageSize)
{
    /// <summary>Charge permissions and refunds whose lookups an export remembers before it starts over.</summary>
    private const int MaxLookupsCached = 10_000;

    private readonly Dictionary<string, string?> _merchantReferences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _chargesOfRefunds = new(StringComparer.Ordinal);

    public ExportKind Kind => kind;

    public long EventsRead { get; private set; }

    public long RowsWritten { get; private set; }

    public long Count() => store.Read(reader => reader.CountEvents(range));

    public void Write(ExportSink sink, Action<int>? progress, CancellationToken cancellationToken)
    {
        sink.Begin();
        EventCursor? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = store.Read(reader =>
            {
                var events = reader.GetEventPage(range, after, pageSize);
                Resolve(reader, events);
                return events;
            });
            foreach (var stored in page)
            {
                foreach (var row in ExportRows.Rows(kind, stored, id => _merchantReferences.GetValueOrDefault(id), id => _chargesOfRefunds.GetValueOrDefault(id)))
                {
                    sink.Write(row);
                    RowsWritten++;
                }
            }

            EventsRead += page.Count;
            progress?.Invoke(page.Count);
            if (page.Count < pageSize)
            {
                break;
            }

            after = new EventCursor(page[^1].Event.At, page[^1].EventId);
        }

        sink.End();
    }

    /// <summary>Looks up, in the page's own read, the merchant references and refunds' charges its rows need.</summary>
    private void Resolve(IStoreReader reader, IReadOnlyList<StoredEvent> events)
    {
        if (kind == ExportKind.Events)
        {
            return;
        }

        if (_merchantReferences.Count > MaxLookupsCached)
        {
            _merchantReferences.Clear();
        }

        if (_chargesOfRefunds.Count > MaxLookupsCached)
        {
            _chargesOfRefunds.Clear();
        }

        foreach (var stored in events)
        {
            var e = stored.Event;
            if (ExportRows.Movements(e).Count == 0)
            {
                continue;
            }

            if (e.ChargePermissionId is { } permissionId && !_merchantReferences.ContainsKey(permissionId))
            {
                _merchantReferences[permissionId] = reader.GetChargePermission(range.MerchantId, permissionId)?.MerchantMetadata.MerchantReferenceId;
            }

            if (e.ObjectType == ObjectType.Refund && !_chargesOfRefunds.ContainsKey(e.ObjectId))
            {
                _chargesOfRefunds[e.ObjectId] = reader.GetRefund(range.MerchantId, e.ObjectId)?.ChargeId;
            }
        }
    }
}
