using Tillpoint.Domain;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Storage.Tests;

public abstract class AggregateStoreTests : IDisposable
{
    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected AggregateStoreTests(StoreHarness harness)
    {
        _harness = harness;
        _store = harness.Open();
    }

    public void Dispose()
    {
        _store.Dispose();
        _harness.Dispose();
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public async Task Save_NewSession_InsertsVersion1()
    {
        var saved = await _store.WriteAsync(w => w.Save(Objects.Session("cs-1")));

        Assert.Equal(1, saved.Version);
        var stored = _store.Read(r => r.GetCheckoutSession(Objects.MerchantA, "cs-1"));
        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
        Assert.Equal(1, _harness.Scalar("SELECT version FROM checkout_sessions WHERE checkout_session_id = 'cs-1'"));
    }

    [SkippableFact]
    public async Task Save_TheReturnedObjectAgain_GivesVersion2AndNewState()
    {
        var first = await _store.WriteAsync(w => w.Save(Objects.Session("cs-1")));

        var second = await _store.WriteAsync(w => w.Save(first with { State = CheckoutSessionState.Canceled, ReasonCode = CheckoutSessionReasonCode.BuyerCanceled }));

        Assert.Equal(2, second.Version);
        var stored = _store.Read(r => r.GetCheckoutSession(Objects.MerchantA, "cs-1"))!;
        Assert.Equal(2, stored.Version);
        Assert.Equal(CheckoutSessionState.Canceled, stored.State);
        Assert.Equal(CheckoutSessionReasonCode.BuyerCanceled, stored.ReasonCode);
        Assert.Equal(2, _harness.Scalar("SELECT version FROM checkout_sessions WHERE checkout_session_id = 'cs-1'"));
        Assert.Equal(1, _harness.Scalar("SELECT count(*) FROM checkout_sessions WHERE state = 'Canceled'"));
    }

    [SkippableFact]
    public async Task Save_VersionsOfEveryAggregateCountUp()
    {
        var (permission, charge) = await _store.WriteAsync(w =>
            (w.Save(Objects.Permission("S01-1")), w.Save(Objects.Charge("S01-1-C1", "S01-1"))));

        Assert.Equal(1, permission.Version);
        Assert.Equal(1, charge.Version);

        var (permission2, charge2) = await _store.WriteAsync(w =>
            (w.Save(permission), w.Save(charge with { State = ChargeState.Captured, CaptureAmount = charge.ChargeAmount })));

        Assert.Equal(2, permission2.Version);
        Assert.Equal(2, charge2.Version);
        Assert.Equal(ChargeState.Captured, _store.Read(r => r.GetCharge(Objects.MerchantA, "S01-1-C1"))!.State);
    }

    [SkippableFact]
    public async Task Save_StaleVersionInsideWrite_ThrowsConcurrencyConflict()
    {
        var v1 = await _store.WriteAsync(w => w.Save(Objects.Session("cs-1")));
        await _store.WriteAsync(w => w.Save(v1));

        // Thrown at the save, or where the store holds writes at its commit; either way the write fails.
        var thrown = await Record.ExceptionAsync(() => _store.WriteAsync(w => w.Save(v1 with { SupplementaryData = "stale" })));

        Assert.IsType<ConcurrencyConflictException>(thrown);
        var stored = _store.Read(r => r.GetCheckoutSession(Objects.MerchantA, "cs-1"))!;
        Assert.Equal(2, stored.Version);
        Assert.Null(stored.SupplementaryData);
    }

    [SkippableFact]
    public async Task Save_StaleChargeVersion_ThrowsConcurrencyConflict()
    {
        var v1 = await _store.WriteAsync(w => w.Save(Objects.Charge("C1", "P1")));
        await _store.WriteAsync(w => w.Save(v1));

        // Thrown at the save, or where the store holds writes at its commit; either way the write fails.
        var thrown = await Record.ExceptionAsync(() => _store.WriteAsync(w => w.Save(v1)));

        Assert.IsType<ConcurrencyConflictException>(thrown);
    }

    [SkippableFact]
    public async Task Save_UnknownRowWithNonZeroVersion_ThrowsConcurrencyConflict()
    {
        // Thrown at the save, or where the store holds writes at its commit; either way the write fails.
        var thrown = await Record.ExceptionAsync(() => _store.WriteAsync(w => w.Save(Objects.Permission("P-missing") with { Version = 3 })));

        Assert.IsType<ConcurrencyConflictException>(thrown);
    }

    [SkippableFact]
    public async Task WriteAsync_ConflictEveryTime_FaultsWithConflictAfterTheRetries()
    {
        using var store = _harness.Open(_harness.Options with { MaxConflictRetries = 3 });
        var v1 = await store.WriteAsync(w => w.Save(Objects.Session("cs-1")));
        await store.WriteAsync(w => w.Save(v1));
        var attempts = 0;

        var write = store.WriteAsync(w =>
        {
            attempts++;
            w.Append(Objects.MerchantA, ReleaseEnvironment.Sandbox, [Objects.Event("cs-1", null, "Open", "Canceled", null, 1)]);
            return w.Save(v1);
        });

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => write);
        Assert.Equal(4, attempts);
        Assert.Empty(store.Read(r => r.GetEvents(Objects.MerchantA, "cs-1")));
        Assert.Equal(2, store.Read(r => r.GetCheckoutSession(Objects.MerchantA, "cs-1"))!.Version);
    }

    [SkippableFact]
    public async Task WriteAsync_ConflictEveryTime_WithDefaultOptions_RunsTheCommandSixTimes()
    {
        var v1 = await _store.WriteAsync(w => w.Save(Objects.Session("cs-1")));
        await _store.WriteAsync(w => w.Save(v1));
        var attempts = 0;

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.WriteAsync(w =>
        {
            attempts++;
            return w.Save(v1);
        }));

        Assert.Equal(_harness.Options.MaxConflictRetries + 1, attempts);
        Assert.Contains("cs-1", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task WriteAsync_ConflictThenFreshRead_SucceedsOnRetry()
    {
        var v1 = await _store.WriteAsync(w => w.Save(Objects.Session("cs-1")));
        await _store.WriteAsync(w => w.Save(v1));
        var attempts = 0;

        var saved = await _store.WriteAsync(w =>
        {
            attempts++;
            var current = attempts == 1 ? v1 : w.GetCheckoutSession(Objects.MerchantA, "cs-1")!;
            w.Append(Objects.MerchantA, ReleaseEnvironment.Sandbox, [Objects.Event("cs-1", null, null, "Open", null, attempts)]);
            return w.Save(current with { SupplementaryData = "retried" });
        });

        Assert.Equal(2, attempts);
        Assert.Equal(3, saved.Version);
        Assert.Equal("retried", _store.Read(r => r.GetCheckoutSession(Objects.MerchantA, "cs-1"))!.SupplementaryData);
        // Only the successful attempt's event remains.
        var e = Assert.Single(_store.Read(r => r.GetEvents(Objects.MerchantA, "cs-1")));
        Assert.Equal(Times.T0.AddMinutes(2), e.Event.At);
    }

    [SkippableFact]
    public async Task WriteAsync_ReturnsTheCommandsResult()
    {
        Assert.Equal("answer", await _store.WriteAsync(_ => "answer"));
    }

    [SkippableFact]
    public async Task WriteSession_SeesItsOwnUncommittedWrites()
    {
        var seen = await _store.WriteAsync(w =>
        {
            w.Save(Objects.Session("cs-1"));
            return w.GetCheckoutSession(Objects.MerchantA, "cs-1")?.Version;
        });

        Assert.Equal(1, seen);
    }

    [SkippableFact]
    public async Task FindCheckoutSession_ById_FindsItWithoutTheMerchant()
    {
        await _store.WriteAsync(w => w.Save(Objects.Session("cs-b", Objects.MerchantB)));

        var found = _store.Read(r => r.FindCheckoutSession("cs-b"));

        Assert.NotNull(found);
        Assert.Equal(Objects.MerchantB, found.MerchantId);
        Assert.Null(_store.Read(r => r.FindCheckoutSession("cs-unknown")));
    }

    [SkippableFact]
    public async Task Getters_AnotherMerchantsId_ReturnNothing()
    {
        await _store.WriteAsync(w =>
        {
            w.Save(Objects.Session("cs-1"));
            w.Save(Objects.Permission("P1"));
            w.Save(Objects.Charge("P1-C1", "P1"));
            w.Append(Objects.MerchantA, ReleaseEnvironment.Sandbox, [Objects.Event("P1-C1", "P1", null, "Authorized", Objects.Usd(14m), 1)]);
            return 0;
        });

        Assert.NotNull(_store.Read(r => r.GetCharge(Objects.MerchantA, "P1-C1")));
        Assert.Null(_store.Read(r => r.GetCharge(Objects.MerchantB, "P1-C1")));
        Assert.Null(_store.Read(r => r.GetChargePermission(Objects.MerchantB, "P1")));
        Assert.Null(_store.Read(r => r.GetCheckoutSession(Objects.MerchantB, "cs-1")));
        Assert.Empty(_store.Read(r => r.GetChargesOfPermission(Objects.MerchantB, "P1")));
        Assert.Empty(_store.Read(r => r.GetEvents(Objects.MerchantB, "P1-C1")));
        Assert.Empty(_store.Read(r => r.GetEvents(Objects.MerchantB, "P1")));
    }

    [SkippableFact]
    public async Task Getters_UnknownIds_ReturnNothing()
    {
        await _store.WriteAsync(w => w.Save(Objects.Permission("P1")));

        Assert.Null(_store.Read(r => r.GetCharge(Objects.MerchantA, "nope")));
        Assert.Null(_store.Read(r => r.GetChargePermission(Objects.MerchantA, "nope")));
        Assert.Null(_store.Read(r => r.GetCheckoutSession(Objects.MerchantA, "nope")));
        Assert.Empty(_store.Read(r => r.GetChargesOfPermission(Objects.MerchantA, "P1")));
    }

    [SkippableFact]
    public async Task Getters_IdsHoldingANulCharacter_FindNothing()
    {
        // Ids come from requests; PostgreSQL text cannot hold U+0000, and a lookup must still just find nothing.
        await _store.WriteAsync(w => w.Save(Objects.Permission("P1")));
        const string Nul = "P1\u0000";

        Assert.Null(_store.Read(r => r.GetChargePermission(Objects.MerchantA, Nul)));
        Assert.Null(_store.Read(r => r.FindCheckoutSession(Nul)));
        Assert.Null(_store.Read(r => r.GetCharge(Objects.MerchantA, Nul)));
        Assert.Null(_store.Read(r => r.GetRefund(Nul, "R1")));
        Assert.Empty(_store.Read(r => r.GetChargesOfPermission(Objects.MerchantA, Nul)));
        Assert.Empty(_store.Read(r => r.GetRefundsOfCharge(Objects.MerchantA, Nul)));
        Assert.Empty(_store.Read(r => r.GetEvents(Objects.MerchantA, Nul)));
        Assert.Null(_store.Read(r => r.GetPublicKey(Nul)));
        Assert.Null(_store.Read(r => r.GetMerchant(Nul)));
        Assert.Null(await _store.WriteAsync(w => w.GetCheckoutSession(Objects.MerchantA, Nul)));
    }

    [SkippableFact]
    public async Task GetChargesOfPermission_ReturnsItsChargesInCreationOrder()
    {
        await _store.WriteAsync(w =>
        {
            w.Save(Objects.Charge("P1-C3", "P1", createdAt: Times.T0.AddMinutes(3)));
            w.Save(Objects.Charge("P1-C1", "P1", createdAt: Times.T0.AddMinutes(1)));
            w.Save(Objects.Charge("P2-C1", "P2", createdAt: Times.T0.AddMinutes(2)));
            w.Save(Objects.Charge("P1-C2", "P1", createdAt: Times.T0.AddMinutes(2)));
            return 0;
        });

        var charges = _store.Read(r => r.GetChargesOfPermission(Objects.MerchantA, "P1"));

        Assert.Equal(["P1-C1", "P1-C2", "P1-C3"], charges.Select(c => c.ChargeId));
    }

    [SkippableFact]
    public async Task Save_RichSession_RoundTripsEveryField()
    {
        var original = Objects.RichSession("cs-rich") with
        {
            State = CheckoutSessionState.Completed,
            ChargePermissionId = "S01-1",
            ChargeId = "S01-1-C1",
            ReasonDescription = "described",
        };

        await _store.WriteAsync(w => w.Save(original));
        var stored = _store.Read(r => r.GetCheckoutSession(Objects.MerchantA, "cs-rich"))!;

        Assert.Equal(original.WebCheckoutDetails, stored.WebCheckoutDetails);
        Assert.Equal(original.PaymentDetails, stored.PaymentDetails);
        Assert.Equal("14.00", stored.PaymentDetails.ChargeAmount!.Value.ToAmountString());
        Assert.Equal(original.MerchantMetadata, stored.MerchantMetadata);
        Assert.Equal(original.Scopes!, stored.Scopes!);
        Assert.Equal(original.PlatformId, stored.PlatformId);
        Assert.Equal(original.ProviderReferenceId, stored.ProviderReferenceId);
        Assert.Equal(original.SupplementaryData, stored.SupplementaryData);
        Assert.Equal(original.AddressDetails, stored.AddressDetails);
        Assert.Equal(original.Selection, stored.Selection);
        Assert.Equal(original.DeliverySpecifications!.SpecialRestrictions!, stored.DeliverySpecifications!.SpecialRestrictions!);
        Assert.Equal(original.DeliverySpecifications.AddressRestrictionType, stored.DeliverySpecifications.AddressRestrictionType);
        var rule = stored.DeliverySpecifications.AddressRestrictions!["US"];
        Assert.Equal(["WA", "OR"], rule.StatesOrRegions);
        Assert.Equal(["98109"], rule.ZipCodes);
        Assert.True(stored.Processed);
        Assert.Equal(CheckoutSessionState.Completed, stored.State);
        Assert.Equal("described", stored.ReasonDescription);
        Assert.Equal("S01-1", stored.ChargePermissionId);
        Assert.Equal("S01-1-C1", stored.ChargeId);
        Assert.Equal(original.CreationTimestamp, stored.CreationTimestamp);
        Assert.Equal(original.LastUpdatedTimestamp, stored.LastUpdatedTimestamp);
        Assert.Equal(original.ExpirationTimestamp, stored.ExpirationTimestamp);
        Assert.Equal(original.Environment, stored.Environment);
        Assert.Equal(original.StoreId, stored.StoreId);
    }

    [SkippableFact]
    public async Task Save_PendingCharge_RoundTripsItsPendingStep()
    {
        var original = Objects.Charge("P1-C1", "P1") with
        {
            State = ChargeState.CaptureInitiated,
            CaptureAmount = Objects.Usd(16.10m),
            SoftDescriptor = "SHOP",
            PendingUntil = Times.T0.AddSeconds(30),
            PendingOutcome = PendingOutcome.Capture,
            MerchantMetadata = new MerchantMetadata("ref", null, null, null),
        };

        await _store.WriteAsync(w => w.Save(original));
        var stored = _store.Read(r => r.GetCharge(Objects.MerchantA, "P1-C1"))!;

        Assert.Equal(original with { Version = 1 }, stored);
        Assert.Equal("AMZ* SHOP", stored.StatementDescriptor);
        Assert.Equal(ChargeState.Captured, stored.AsOf(Times.T0.AddMinutes(1)).Value.State);
    }

    [SkippableFact]
    public async Task Save_Permission_RoundTripsItsFields()
    {
        var original = Objects.Permission("P1");

        await _store.WriteAsync(w => w.Save(original));
        var stored = _store.Read(r => r.GetChargePermission(Objects.MerchantA, "P1"))!;

        Assert.Equal(original.Buyer, stored.Buyer);
        Assert.Equal(original.ShippingAddress, stored.ShippingAddress);
        Assert.Equal(original.AmountLimit, stored.AmountLimit);
        Assert.Equal(original.Reasons, stored.Reasons);
        Assert.Equal(original.MerchantMetadata, stored.MerchantMetadata);
        Assert.Equal(original.ExpirationTimestamp, stored.ExpirationTimestamp);
        Assert.Equal(original.PresentmentCurrency, stored.PresentmentCurrency);
        Assert.Equal(1, stored.Version);
    }
}

public sealed class SqliteAggregateStoreTests() : AggregateStoreTests(new SqliteHarness());

public sealed class PostgresAggregateStoreTests(PostgresDatabaseFixture database) : AggregateStoreTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
