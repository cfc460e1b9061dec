using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Tests.ChargePermissions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

/// <summary>Recurring and PaymentMethodOnFile checkouts: their metadata on create and update, and what Complete makes of them.</summary>
public class RecurringCheckoutTests
{
    private static DomainError CreateFails(CreateCheckoutSession command)
    {
        var created = Build.TryCreate(command);
        Assert.False(created.IsSuccess);
        return created.Error!;
    }

    private static RecurringMetadata Every(FrequencyUnit unit, int? value, Money? amount = null) => new(new Frequency(unit, value), amount);

    [Fact]
    public void Create_Recurring_KeepsTheSubscriptionTerms()
    {
        var session = Build.NewSession(Agreements.Create(ChargePermissionType.Recurring, recurring: Agreements.Monthly));

        Assert.Equal(ChargePermissionType.Recurring, session.ChargePermissionType);
        Assert.Equal(Agreements.Monthly, session.RecurringMetadata);
        Assert.Null(session.PaymentMethodOnFileMetadata);
    }

    [Fact]
    public void Create_SavedWallet_KeepsItsSetup()
    {
        var session = Build.NewSession(Agreements.Create(
            ChargePermissionType.PaymentMethodOnFile, Build.Payment(PaymentIntent.Confirm), savedWallet: new PaymentMethodOnFileMetadata(true)));

        Assert.Equal(new PaymentMethodOnFileMetadata(true), session.PaymentMethodOnFileMetadata);
        Assert.Null(session.RecurringMetadata);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(ChargePermissionType.OneTime)]
    [InlineData(ChargePermissionType.PaymentMethodOnFile)]
    public void Create_RecurringMetadataWithoutRecurring_IsInvalidCombination(ChargePermissionType? type)
    {
        var error = CreateFails(Build.Create(type: type) with { RecurringMetadata = Agreements.Monthly });

        Assert.Equal(ErrorCode.InvalidParameterCombination, error.Code);
        Assert.Contains("recurringMetadata", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(ChargePermissionType.OneTime)]
    [InlineData(ChargePermissionType.Recurring)]
    public void Create_SavedWalletMetadataWithoutPaymentMethodOnFile_IsInvalidCombination(ChargePermissionType? type)
    {
        var error = CreateFails(Build.Create(type: type) with { PaymentMethodOnFileMetadata = new PaymentMethodOnFileMetadata(false) });

        Assert.Equal(ErrorCode.InvalidParameterCombination, error.Code);
        Assert.Contains("paymentMethodOnFileMetadata", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PaymentIntent.Authorize)]
    [InlineData(PaymentIntent.AuthorizeWithCapture)]
    public void Create_SetupOnlyWithAPaymentAtCheckout_IsInvalidCombination(PaymentIntent intent)
    {
        var error = CreateFails(Agreements.Create(
            ChargePermissionType.PaymentMethodOnFile, Build.Payment(intent), savedWallet: new PaymentMethodOnFileMetadata(true)));

        Assert.Equal(ErrorCode.InvalidParameterCombination, error.Code);
        Assert.Contains("setupOnly", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(true, PaymentIntent.Confirm)]
    [InlineData(false, PaymentIntent.Authorize)]
    [InlineData(false, PaymentIntent.AuthorizeWithCapture)]
    public void Create_SavedWalletSetup_AcceptsTheIntentsThatFitIt(bool setupOnly, PaymentIntent? intent)
    {
        var created = Build.TryCreate(Agreements.Create(
            ChargePermissionType.PaymentMethodOnFile, Build.Payment(intent), savedWallet: new PaymentMethodOnFileMetadata(setupOnly)));

        Assert.Null(created.Error);
    }

    [Theory]
    [InlineData(FrequencyUnit.Year, 1)]
    [InlineData(FrequencyUnit.Month, 365)]
    [InlineData(FrequencyUnit.Week, 2)]
    [InlineData(FrequencyUnit.Day, 30)]
    [InlineData(FrequencyUnit.Variable, null)]
    [InlineData(FrequencyUnit.Variable, 1)]
    public void Create_EveryFrequencyUnit_IsAccepted(FrequencyUnit unit, int? value)
    {
        var created = Build.TryCreate(Agreements.Create(ChargePermissionType.Recurring, recurring: Every(unit, value)));

        Assert.Null(created.Error);
        Assert.Equal(new Frequency(unit, value), created.Value.Value.RecurringMetadata!.Frequency);
    }

    [Theory]
    [InlineData(FrequencyUnit.Year)]
    [InlineData(FrequencyUnit.Month)]
    [InlineData(FrequencyUnit.Week)]
    [InlineData(FrequencyUnit.Day)]
    public void Create_FixedFrequencyWithoutValue_IsMissing(FrequencyUnit unit)
    {
        var error = CreateFails(Agreements.Create(ChargePermissionType.Recurring, recurring: Every(unit, null)));

        Assert.Equal(ErrorCode.MissingParameterValue, error.Code);
        Assert.Contains("recurringMetadata.frequency.value", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(366)]
    public void Create_FrequencyValueOutOfRange_IsInvalid(int value)
    {
        var error = CreateFails(Agreements.Create(ChargePermissionType.Recurring, recurring: Every(FrequencyUnit.Month, value)));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("recurringMetadata.frequency.value", error.Message, StringComparison.Ordinal);
        Assert.Contains("from 1 to 365", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(150_000.01)]
    public void Create_RecurringAmountNotPositiveOrOverTheMaximum_IsInvalid(decimal amount)
    {
        var error = CreateFails(Agreements.Create(
            ChargePermissionType.Recurring, recurring: Every(FrequencyUnit.Month, 1, Usd.Of(amount))));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("recurringMetadata.amount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RecurringAmountInAnotherCurrencyThanTheCharge_IsCurrencyMismatch()
    {
        var error = CreateFails(Agreements.Create(
            ChargePermissionType.Recurring, Build.Payment(), Every(FrequencyUnit.Month, 1, new Money(14m, Currency.EUR))));

        Assert.Equal(ErrorCode.CurrencyMismatch, error.Code);
    }

    [Theory]
    [InlineData(ChargePermissionType.Recurring, PaymentIntent.Authorize, 1_000, true)]
    [InlineData(ChargePermissionType.Recurring, PaymentIntent.AuthorizeWithCapture, 1_000.01, false)]
    [InlineData(ChargePermissionType.Recurring, PaymentIntent.Confirm, 5_000, true)]
    [InlineData(ChargePermissionType.PaymentMethodOnFile, PaymentIntent.Authorize, 15_000, true)]
    [InlineData(ChargePermissionType.PaymentMethodOnFile, PaymentIntent.Authorize, 15_000.01, false)]
    [InlineData(ChargePermissionType.OneTime, PaymentIntent.Authorize, 15_000.01, true)]
    public void Create_AFirstChargeOverTheMonthlyLimit_IsInvalid(ChargePermissionType type, PaymentIntent intent, decimal amount, bool accepted)
    {
        var created = Build.TryCreate(Build.Create(payment: Build.Payment(intent, Usd.Of(amount)), type: type));

        Assert.Equal(accepted, created.IsSuccess);
        if (!accepted)
        {
            Assert.Equal(ErrorCode.InvalidParameterValue, created.Error!.Code);
            Assert.Contains("monthly limit", created.Error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Create_JapaneseYenRecurringCap_IsOneHundredThousand()
    {
        var jpy = (decimal amount) => Build.Create(payment: Build.Payment(PaymentIntent.Authorize, new Money(amount, Currency.JPY)), type: ChargePermissionType.Recurring);

        Assert.True(Build.TryCreate(jpy(100_000m)).IsSuccess);
        Assert.Equal(ErrorCode.InvalidParameterValue, CreateFails(jpy(100_001m)).Code);
    }

    [Fact]
    public void Update_TurnsASessionIntoARecurringOne()
    {
        var session = Build.Configured();

        var updated = session.Update(
            new UpdateCheckoutSession(null, null, null, null, null, null, null, null, ChargePermissionType.Recurring, Agreements.Monthly),
            Times.T0.AddSeconds(1),
            Limits.Default);

        Assert.Null(updated.Error);
        Assert.Equal(ChargePermissionType.Recurring, updated.Value.Value.ChargePermissionType);
        Assert.Equal(Agreements.Monthly, updated.Value.Value.RecurringMetadata);
        Assert.Empty(updated.Value.Events);
    }

    [Fact]
    public void Update_ReplacesTheSubscriptionTermsAndKeepsTheType()
    {
        var session = Build.NewSession(Agreements.Create(ChargePermissionType.Recurring, recurring: Agreements.Monthly));
        var weekly = Every(FrequencyUnit.Week, 2);

        var updated = session.Update(
            new UpdateCheckoutSession(null, null, null, null, null, null, null, null, null, weekly), Times.T0, Limits.Default);

        Assert.Equal(weekly, updated.Value.Value.RecurringMetadata);
        Assert.Equal(ChargePermissionType.Recurring, updated.Value.Value.ChargePermissionType);
    }

    [Fact]
    public void Update_RecurringMetadataOnAOneTimeSession_IsInvalidCombinationAndChangesNothing()
    {
        var session = Build.Configured();

        var updated = session.Update(
            new UpdateCheckoutSession(null, null, null, null, null, null, null, null, null, Agreements.Monthly), Times.T0, Limits.Default);

        Assert.Equal(ErrorCode.InvalidParameterCombination, updated.Error!.Code);
    }

    [Fact]
    public void Update_BackToOneTimeWhileTheTermsRemain_IsInvalidCombination()
    {
        var session = Build.NewSession(Agreements.Create(ChargePermissionType.Recurring, recurring: Agreements.Monthly));

        var updated = session.Update(
            new UpdateCheckoutSession(null, null, null, null, null, null, null, null, ChargePermissionType.OneTime), Times.T0, Limits.Default);

        Assert.Equal(ErrorCode.InvalidParameterCombination, updated.Error!.Code);
    }

    [Fact]
    public void Update_AnIntentThatChargesASetupOnlyWallet_IsInvalidCombination()
    {
        var session = Build.NewSession(Agreements.Create(
            ChargePermissionType.PaymentMethodOnFile, Build.Payment(PaymentIntent.Confirm), savedWallet: new PaymentMethodOnFileMetadata(true)));

        var updated = session.Update(
            new UpdateCheckoutSession(null, null, null, new PaymentDetailsUpdate(PaymentIntent.Authorize, null, null, null, null, null), null, null, null, null),
            Times.T0,
            Limits.Default);

        Assert.Equal(ErrorCode.InvalidParameterCombination, updated.Error!.Code);
    }

    [Fact]
    public void Complete_RecurringWithConfirm_MakesAPermissionWithTheTermsAndNoCharge()
    {
        var completed = Agreements.Completed(ChargePermissionType.Recurring);

        var permission = completed.ChargePermission;
        Assert.Null(completed.Charge);
        Assert.Equal(ChargePermissionType.Recurring, permission.ChargePermissionType);
        Assert.Equal(Agreements.Monthly, permission.RecurringMetadata);
        Assert.Null(permission.PaymentMethodOnFileMetadata);
        Assert.Equal(Agreements.RecurringCap, permission.AmountLimit);
        Assert.True(permission.HasMonthlyLimit);
        Assert.Equal(Ledgers.Start.AddDays(396), permission.ExpirationTimestamp);
        Assert.Equal(permission.ExpirationTimestamp, permission.NextDueAt);
    }

    [Theory]
    [InlineData(PaymentIntent.Authorize, ChargeState.Authorized)]
    [InlineData(PaymentIntent.AuthorizeWithCapture, ChargeState.Captured)]
    public void Complete_RecurringWithAPaymentIntent_ChargesTheFirstPeriod(PaymentIntent intent, ChargeState state)
    {
        var completed = Agreements.Completed(ChargePermissionType.Recurring, intent);

        Assert.Equal(state, completed.Charge!.State);
        Assert.Equal(Usd.Of(14m), completed.Charge.ChargeAmount);
        Assert.Equal(ChargePermissionState.Chargeable, completed.ChargePermission.State);
    }

    [Fact]
    public void Complete_SavedWallet_NeverExpires()
    {
        var completed = Agreements.Completed(ChargePermissionType.PaymentMethodOnFile, savedWallet: new PaymentMethodOnFileMetadata(true));

        var permission = completed.ChargePermission;
        Assert.Null(completed.Charge);
        Assert.Equal(new PaymentMethodOnFileMetadata(true), permission.PaymentMethodOnFileMetadata);
        Assert.Null(permission.RecurringMetadata);
        Assert.Null(permission.ExpirationTimestamp);
        Assert.Null(permission.NextDueAt);
        Assert.Equal(Agreements.SavedWalletCap, permission.AmountLimit);
    }

    [Fact]
    public void Complete_OneTime_KeepsItsTotalLimitAndExpiry()
    {
        var permission = Build.Completed(Build.Payment(PaymentIntent.Confirm, Usd.Of(100m))).ChargePermission;

        Assert.False(permission.HasMonthlyLimit);
        Assert.Equal(Usd.Of(115m), permission.AmountLimit);
        Assert.Equal(Ledgers.Start.AddDays(180), permission.ExpirationTimestamp);
        Assert.Null(permission.RecurringMetadata);
    }
}
