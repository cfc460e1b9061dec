namespace Tillpoint.Domain.CheckoutSessions;

/// <summary>
/// A buyer's checkout. Open until the merchant completes it, or until the buyer cancels, payment is declined during
/// processing, or 24 hours pass. Immutable: every operation returns a new version and its events.
/// </summary>
public sealed partial record CheckoutSession
{
    public required string CheckoutSessionId { get; init; }

    public required string MerchantId { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required string StoreId { get; init; }

    public required WebCheckoutDetails WebCheckoutDetails { get; init; }

    public ProductType ProductType { get; init; } = ProductType.PayAndShip;

    public required PaymentDetails PaymentDetails { get; init; }

    public ChargePermissionType ChargePermissionType { get; init; } = ChargePermissionType.OneTime;

    /// <summary>A Recurring session's subscription terms, passed on to its permission.</summary>
    public RecurringMetadata? RecurringMetadata { get; init; }

    /// <summary>A PaymentMethodOnFile session's setup, passed on to its permission.</summary>
    public PaymentMethodOnFileMetadata? PaymentMethodOnFileMetadata { get; init; }

    public MerchantMetadata MerchantMetadata { get; init; } = MerchantMetadata.Empty;

    public IReadOnlyList<string>? Scopes { get; init; }

    public string? PlatformId { get; init; }

    public string? ProviderReferenceId { get; init; }

    public string? SupplementaryData { get; init; }

    public DeliverySpecifications? DeliverySpecifications { get; init; }

    /// <summary>The address the merchant supplied itself (Additional Payment Button flow).</summary>
    public Address? AddressDetails { get; init; }

    public BuyerSelection? Selection { get; init; }

    /// <summary>A PayAndShipMultiAddress order's split among the buyer's addresses, set by the merchant's Update.</summary>
    public IReadOnlyList<MultiAddressesCheckoutMetadata>? MultiAddressesCheckoutMetadata { get; init; }

    /// <summary>Started by a Buy Now button (spec §7.4 of the flows): no redirects, the merchant finalizes.</summary>
    public bool BuyNow { get; init; }

    /// <summary>A Buy Now checkout's cart as the buyer last saw it; its amounts are the session's.</summary>
    public ShownCart? Cart { get; init; }

    /// <summary>The buyer has been through <c>amazonPayRedirectUrl</c>; only now may the merchant complete.</summary>
    public bool Processed { get; init; }

    /// <summary>
    /// The instrument processing soft-declined. While set, the buyer must choose another one before processing can go
    /// on; the session stays Open meanwhile.
    /// </summary>
    public string? SoftDeclinedInstrumentId { get; init; }

    /// <summary>A sandbox simulation code set by Update: processing cancels the session with this reason.</summary>
    public CheckoutSessionReasonCode? SimulatedCancellation { get; init; }

    public CheckoutSessionState State { get; init; } = CheckoutSessionState.Open;

    public CheckoutSessionReasonCode? ReasonCode { get; init; }

    public string? ReasonDescription { get; init; }

    public required DateTimeOffset LastUpdatedTimestamp { get; init; }

    public string? ChargePermissionId { get; init; }

    public string? ChargeId { get; init; }

    public required DateTimeOffset CreationTimestamp { get; init; }

    public required DateTimeOffset ExpirationTimestamp { get; init; }

    public long Version { get; init; }

    public IReadOnlyList<ConstraintId> Constraints
    {
        get
        {
            if (State != CheckoutSessionState.Open)
            {
                return [];
            }

            var constraints = new List<ConstraintId>(4);
            if (Selection is null)
            {
                constraints.Add(ConstraintId.BuyerNotAssociated);
            }

            if (PaymentDetails.ChargeAmount is null)
            {
                constraints.Add(ConstraintId.ChargeAmountNotSet);
            }

            // A Buy Now buyer is never redirected, so there is no result page to wait for.
            if (WebCheckoutDetails.CheckoutResultReturnUrl is null && !BuyNow)
            {
                constraints.Add(ConstraintId.CheckoutResultReturnUrlNotSet);
            }

            if (PaymentDetails.PaymentIntent is null)
            {
                constraints.Add(ConstraintId.PaymentIntentNotSet);
            }

            return constraints;
        }
    }

    /// <summary>The next moment time alone changes this session: its expiry while Open.</summary>
    public DateTimeOffset? NextDueAt => State == CheckoutSessionState.Open ? ExpirationTimestamp : null;

    /// <summary>The buyer may be sent to processing (<c>amazonPayRedirectUrl</c> is set).</summary>

    public bool IsReadyForProcessing => State == CheckoutSessionState.Open && Constraints.Count == 0;

    public static Result<Transition<CheckoutSession>> Create(
        CreateCheckoutSession command, string merchantId, ReleaseEnvironment environment, IIdGenerator ids, DateTimeOffset now, Limits limits)
    {
        var error = command.Validate(environment, limits);
        if (error is not null)
        {
            return error;
        }

        var session = new CheckoutSession
        {
            CheckoutSessionId = ids.NewCheckoutSessionId(),
            MerchantId = merchantId,
            Environment = environment,
            StoreId = command.StoreId,
            WebCheckoutDetails = command.WebCheckoutDetails,
            ProductType = command.ProductType ?? ProductType.PayAndShip,
            PaymentDetails = command.PaymentDetails ?? PaymentDetails.Empty,
            ChargePermissionType = command.ChargePermissionType ?? ChargePermissionType.OneTime,
            RecurringMetadata = command.RecurringMetadata,
            PaymentMethodOnFileMetadata = command.PaymentMethodOnFileMetadata,
            MerchantMetadata = command.MerchantMetadata ?? MerchantMetadata.Empty,
            Scopes = command.Scopes,
            PlatformId = command.PlatformId,
            ProviderReferenceId = command.ProviderReferenceId,
            DeliverySpecifications = command.DeliverySpecifications,
            AddressDetails = command.AddressDetails,
            BuyNow = command.BuyNow,
            LastUpdatedTimestamp = now,
            CreationTimestamp = now,
            ExpirationTimestamp = now + limits.CheckoutSessionLifetime,
        };
        return new Transition<CheckoutSession>(session, [session.Event(null, now)]);
    }

    /// <summary>
    /// The session as it stands at <paramref name="now"/>: an Open session past its expiry is Canceled/Expired. Reads
    /// apply this so the API never shows a stale Open; writes persist it.
    /// </summary>
    public Transition<CheckoutSession> AsOf(DateTimeOffset now)
    {
        if (State != CheckoutSessionState.Open || now < ExpirationTimestamp)
        {
            return new Transition<CheckoutSession>(this, []);
        }

        return Cancel(CheckoutSessionReasonCode.Expired, ExpirationTimestamp);
    }

    public Result<Transition<CheckoutSession>> Update(
        UpdateCheckoutSession command, DateTimeOffset now, Limits limits, CheckoutSessionReasonCode? simulatedCancellation = null)
    {
        var error = RequireOpen("updated") ?? RequireNotProcessed() ?? command.Validate(Environment, limits)
            ?? (BuyNow && command.PaymentDetails is { } changed && (changed.ChargeAmount is not null || changed.TotalOrderAmount is not null)
                ? new DomainError(
                    ErrorCode.InvalidParameterCombination,
                    "a Buy Now checkout's chargeAmount and totalOrderAmount are the cart's the buyer is shown; they cannot be updated.")
                : null);
        if (error is not null)
        {
            return error;
        }

        var payment = command.PaymentDetails;
        var updated = this with
        {
            WebCheckoutDetails = new WebCheckoutDetails(
                command.CheckoutReviewReturnUrl ?? WebCheckoutDetails.CheckoutReviewReturnUrl,
                command.CheckoutResultReturnUrl ?? WebCheckoutDetails.CheckoutResultReturnUrl,
                command.CheckoutCancelUrl ?? WebCheckoutDetails.CheckoutCancelUrl,
                WebCheckoutDetails.CheckoutMode),
            PaymentDetails = payment is null ? PaymentDetails : PaymentDetails with
            {
                PaymentIntent = payment.PaymentIntent ?? PaymentDetails.PaymentIntent,
                CanHandlePendingAuthorization = payment.CanHandlePendingAuthorization ?? PaymentDetails.CanHandlePendingAuthorization,
                ChargeAmount = payment.ChargeAmount ?? PaymentDetails.ChargeAmount,
                TotalOrderAmount = payment.TotalOrderAmount ?? PaymentDetails.TotalOrderAmount,
                SoftDescriptor = payment.SoftDescriptor ?? PaymentDetails.SoftDescriptor,
                PresentmentCurrency = payment.PresentmentCurrency ?? PaymentDetails.PresentmentCurrency,
            },
            ChargePermissionType = command.ChargePermissionType ?? ChargePermissionType,
            RecurringMetadata = command.RecurringMetadata ?? RecurringMetadata,
            MerchantMetadata = MerchantMetadata.Merge(command.MerchantMetadata),
            PlatformId = command.PlatformId ?? PlatformId,
            ProviderReferenceId = command.ProviderReferenceId ?? ProviderReferenceId,
            SupplementaryData = command.SupplementaryData ?? SupplementaryData,
            MultiAddressesCheckoutMetadata = command.MultiAddressesCheckoutMetadata ?? MultiAddressesCheckoutMetadata,
            SimulatedCancellation = simulatedCancellation ?? SimulatedCancellation,
            LastUpdatedTimestamp = now,
        };

        var combined = updated.PaymentDetails;
        var combinationError = PaymentDetailsRules.Validate(combined, limits, "paymentDetails")
            ?? ChargePermissionTypeRules.Validate(
                updated.ChargePermissionType, updated.RecurringMetadata, updated.PaymentMethodOnFileMetadata, combined, limits)
            ?? MultiAddressRules.ValidateProduct(updated.ProductType, updated.ChargePermissionType, merchantSuppliesAddress: false)
            ?? MultiAddressRules.ValidateMetadata(
                updated.ProductType, updated.Selection?.ShippingAddressList, updated.MultiAddressesCheckoutMetadata, combined.ChargeAmount, limits);
        if (combinationError is not null)
        {
            return combinationError;
        }

        // An update changes no state, so it records no event.
        return new Transition<CheckoutSession>(updated, []);
    }

    /// <summary>Checks the merchant's Complete request; the completion itself is <see cref="CheckoutCompletion"/>.</summary>
    public DomainError? CheckCompletable(Money chargeAmount, Money? totalOrderAmount)
    {
        switch (State)
        {
            case CheckoutSessionState.Canceled:
                return new DomainError(
                    ErrorCode.CheckoutSessionCanceled,
                    $"The Checkout Session was canceled ({ReasonCode}) and cannot be completed.");
            case CheckoutSessionState.Completed:
                return new DomainError(
                    ErrorCode.InvalidCheckoutSessionStatus, "The Checkout Session is in Completed state and cannot be completed again.");
            case CheckoutSessionState.Open:
                break;
        }

        if (SoftDeclinedInstrumentId is not null)
        {
            return new DomainError(
                ErrorCode.InvalidCheckoutSessionStatus,
                "The buyer's payment method was declined during processing; the buyer has to choose another one before the Checkout Session can be completed.");
        }

        if (!Processed)
        {
            return new DomainError(
                ErrorCode.InvalidCheckoutSessionStatus,
                "The buyer has not returned from amazonPayRedirectUrl yet, so the Checkout Session cannot be completed.");
        }

        var expected = PaymentDetails.ChargeAmount!.Value;
        if (chargeAmount.Currency != expected.Currency)
        {
            return DomainError.CurrencyMismatch(expected.Currency, chargeAmount.Currency);
        }

        if (chargeAmount.Amount != expected.Amount)
        {
            return new DomainError(
                ErrorCode.AmountMismatch,
                $"The chargeAmount {chargeAmount} does not match the chargeAmount {expected} of the Checkout Session.");
        }

        if (PaymentDetails.TotalOrderAmount is { } total && totalOrderAmount is { } given && given != total)
        {
            return new DomainError(
                ErrorCode.AmountMismatch,
                $"The totalOrderAmount {given} does not match the totalOrderAmount {total} of the Checkout Session.");
        }

        return null;
    }

    internal Transition<CheckoutSession> MarkCompleted(string chargePermissionId, string? chargeId, DateTimeOffset now)
    {
        var completed = this with
        {
            State = CheckoutSessionState.Completed,
            ReasonCode = null,
            ReasonDescription = null,
            ChargePermissionId = chargePermissionId,
            ChargeId = chargeId,
            LastUpdatedTimestamp = now,
        };
        return new Transition<CheckoutSession>(completed, [completed.Event(State, now)]);
    }

    private Transition<CheckoutSession> Cancel(CheckoutSessionReasonCode reasonCode, DateTimeOffset at)
    {
        var canceled = this with
        {
            State = CheckoutSessionState.Canceled,
            ReasonCode = reasonCode,
            ReasonDescription = CheckoutSessionReasons.Describe(reasonCode),
            LastUpdatedTimestamp = at,
        };
        return new Transition<CheckoutSession>(canceled, [canceled.Event(State, at)]);
    }

    private DomainError? RequireOpen(string verb) => State == CheckoutSessionState.Open
        ? null
        : new DomainError(
            ErrorCode.InvalidCheckoutSessionStatus, $"The Checkout Session is in {State} state and cannot be {verb}.");

    private DomainError? RequireNotProcessed() => Processed
        ? new DomainError(
            ErrorCode.InvalidCheckoutSessionStatus,
            "The buyer has already been through payment processing; the Checkout Session can only be completed now.")
        : null;

    private DomainEvent Event(CheckoutSessionState? from, DateTimeOffset at) =>
        new(ObjectType.CheckoutSession, CheckoutSessionId, ChargePermissionId, from?.ToString(), State.ToString(), ReasonCode?.ToString(),
            PaymentDetails.ChargeAmount, at);

    /// <summary>Authorization may stay pending (AuthorizationInitiated) at Complete.</summary>
    public bool CanAuthorizeAsynchronously =>
        PaymentDetails.PaymentIntent == PaymentIntent.Authorize && PaymentDetails.CanHandlePendingAuthorization;
}
