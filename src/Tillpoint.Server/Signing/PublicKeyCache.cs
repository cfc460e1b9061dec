using System.Collections.Concurrent;
using Tillpoint.Protocol.Signing;
using Tillpoint.Storage;

namespace Tillpoint.Server.Signing;

/// <summary>A merchant key ready to verify with: parsed once, not on every request.</summary>
internal sealed record CachedKey(PublicKeyRecord Record, RsaVerificationKey Key);

/// <summary>
/// Caches parsed public keys. Entries are re-read from the store after <see cref="ServerOptions.KeyCacheTtl"/>, which
/// bounds how long a key revoked elsewhere (by the CLI, or by another node) keeps working. Measured on the
/// monotonic tick count: the sandbox clock can be moved and must not keep keys alive.
/// </summary>
internal sealed class PublicKeyCache(ITillpointStore store, ServerOptions options)
{
    // A null key caches an unknown or revoked id too, so a flood of bad ids is not a flood of queries.
    private readonly ConcurrentDictionary<string, (CachedKey? Key, long LoadedAt)> _entries = new(StringComparer.Ordinal);

    /// <summary>The usable (registered, not revoked) key, or null.</summary>
    public CachedKey? Find(string publicKeyId)
    {
        var now = Environment.TickCount64;
        if (_entries.TryGetValue(publicKeyId, out var entry) && now - entry.LoadedAt < options.KeyCacheTtl.TotalMilliseconds)
        {
            return entry.Key;
        }

        var record = store.Read(reader => reader.GetPublicKey(publicKeyId));
        CachedKey? key = null;
        if (record is { RevokedAt: null })
        {
            key = entry.Key is { } previous && previous.Record.PublicKeyPem == record.PublicKeyPem
                ? previous with { Record = record }
                : new CachedKey(record, RsaVerificationKey.FromPem(record.PublicKeyPem));
        }

        _entries[publicKeyId] = (key, now);
        return key;
    }
}
