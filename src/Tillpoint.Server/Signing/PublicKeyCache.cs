using System.Collections.Concurrent;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Server.Signing;

/// <summary>
/// A merchant key ready to verify with: parsed once, not on every request. The roles granted to its merchant ride along,
/// read with the key, so checking an operation's role costs no query of its own.
/// </summary>
internal sealed record CachedKey(PublicKeyRecord Record, RsaVerificationKey Key, IReadOnlyList<MerchantRole> Roles);

/// <summary>
/// Caches parsed public keys and their merchants' roles. Entries are re-read from the store after
/// <see cref="ServerOptions.KeyCacheTtl"/>, which bounds how long a key revoked, or a role granted or revoked, elsewhere
/// (by the CLI, or on another node) takes to show. Measured on the wall clock's
/// monotonic timestamp (<see cref="ServerOptions.SignatureClock"/>): the sandbox clock can be moved and must not keep keys alive.
/// </summary>
/// <remarks>
/// Key ids arrive from anyone, before any signature is checked, so nothing here may grow with what callers send:
/// ids of the wrong shape are refused before any lookup, usable keys are bounded by the keys registered, and ids that
/// name no usable key are remembered only in a small table that is emptied when full.
/// </remarks>
internal sealed class PublicKeyCache(ITillpointStore store, ServerOptions options)
{
    /// <summary>How many ids without a usable key are remembered at most.</summary>
    internal const int MaxUnusableEntries = 1_024;

    private readonly ConcurrentDictionary<string, (CachedKey Key, long LoadedAt)> _usable = new(StringComparer.Ordinal);

    // Remembering misses for a while keeps a client retrying with a wrong or revoked id from costing a query each time.
    private readonly ConcurrentDictionary<string, long> _unusable = new(StringComparer.Ordinal);

    /// <summary>How many ids are cached, usable or not; for tests.</summary>
    internal int EntryCount => _usable.Count + _unusable.Count;

    /// <summary>The usable (registered, not revoked) key, or null.</summary>
    public CachedKey? Find(string publicKeyId)
    {
        if (!PublicKeyIds.IsWellFormed(publicKeyId))
        {
            return null;
        }

        var now = options.SignatureClock.GetTimestamp();
        var cached = _usable.TryGetValue(publicKeyId, out var usable) ? usable.Key : null;
        if (cached is not null && IsFresh(usable.LoadedAt, now))
        {
            return cached;
        }

        if (_unusable.TryGetValue(publicKeyId, out var missedAt) && IsFresh(missedAt, now))
        {
            return null;
        }

        var (record, roles) = store.Read(reader => reader.GetPublicKey(publicKeyId) is { RevokedAt: null } found
            ? (found, reader.GetMerchantRoles(found.MerchantId))
            : (null, []));
        if (record is null)
        {
            _usable.TryRemove(publicKeyId, out _);
            RememberUnusable(publicKeyId, now);
            return null;
        }

        var key = cached is not null && cached.Record.PublicKeyPem == record.PublicKeyPem
            ? cached with { Record = record, Roles = roles }
            : new CachedKey(record, RsaVerificationKey.FromPem(record.PublicKeyPem), roles);
        _usable[publicKeyId] = (key, now);
        _unusable.TryRemove(publicKeyId, out _);
        return key;
    }

    /// <summary>
    /// Forgets the merchant's keys, so the next request re-reads them with its roles: a change the operator made on this
    /// node shows at once here, and within <see cref="ServerOptions.KeyCacheTtl"/> on the others.
    /// </summary>
    public void ForgetMerchant(string merchantId)
    {
        foreach (var (id, entry) in _usable)
        {
            if (entry.Key.Record.MerchantId == merchantId)
            {
                _usable.TryRemove(id, out _);
            }
        }
    }

    private bool IsFresh(long loadedAt, long now) => options.SignatureClock.GetElapsedTime(loadedAt, now) < options.KeyCacheTtl;

    private void RememberUnusable(string publicKeyId, long now)
    {
        if (_unusable.Count >= MaxUnusableEntries)
        {
            // Rather forget every miss than grow without bound under a spray of well-formed but unknown ids.
            _unusable.Clear();
        }

        _unusable[publicKeyId] = now;
    }
}
