using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>Whether an operation reads <c>x-amz-pay-idempotency-key</c>.</summary>
internal enum IdempotencyKeyUse
{
    None,
    Optional,
    Required,
}

/// <summary>
/// What the API reference and the metrics say about one merchant API operation. Attached to its endpoints as metadata,
/// so the name is resolved once, when the route is mapped, never per request.
/// </summary>
internal sealed record ApiOperation(
    string Name,
    string Tag,
    string Summary,
    string Description,
    Type? RequestBody,
    bool RequestBodyOptional,
    Type Response,
    int[] SuccessStatuses,
    IdempotencyKeyUse IdempotencyKey,
    int[] ErrorStatuses)
{
    /// <summary>The name counted for requests that match no operation (the API fallback).</summary>
    public const string UnknownName = "Unknown";

    /// <summary>Whether the operation accepts <c>x-amz-pay-simulation-code</c>; set when it is mapped.</summary>
    public bool AcceptsSimulation { get; init; }
}

/// <summary>The merchant API's operations (spec §4), keyed by method and route template.</summary>
internal static class ApiOperations
{
    private const string CheckoutSessions = "Checkout Sessions";
    private const string ChargePermissions = "Charge Permissions";
    private const string Charges = "Charges";
    private const string Refunds = "Refunds";
    private const string Buyers = "Buyers";
    private const string DeliveryTrackers = "Delivery Trackers";

    // Every operation is signed, so every one can be refused 400 (headers, body), 401/403 (key, signature) and 429/500.
    private static readonly int[] ReadErrors = [400, 401, 403, 404, 429, 500];
    private static readonly int[] WriteErrors = [400, 401, 403, 404, 409, 422, 429, 500];
    private static readonly int[] CreateErrors = [400, 401, 403, 409, 422, 429, 500];

    private static readonly Dictionary<(string Method, string Template), ApiOperation> ByRoute = new()
    {
        [("POST", "checkoutSessions")] = new(
            "CreateCheckoutSession", CheckoutSessions, "Create a Checkout Session",
            "Starts a checkout: the buyer is sent to the hosted page at webCheckoutDetails.amazonPayRedirectUrl.",
            typeof(CreateCheckoutSessionRequest), false, typeof(CheckoutSessionDto), [201], IdempotencyKeyUse.Required, CreateErrors),
        [("GET", "checkoutSessions/{checkoutSessionId}")] = new(
            "GetCheckoutSession", CheckoutSessions, "Get a Checkout Session",
            "The session's current state, buyer and payment details.",
            null, false, typeof(CheckoutSessionDto), [200], IdempotencyKeyUse.None, ReadErrors),
        [("PATCH", "checkoutSessions/{checkoutSessionId}")] = new(
            "UpdateCheckoutSession", CheckoutSessions, "Update a Checkout Session",
            "Sets the payment details and merchant metadata of an open session.",
            typeof(UpdateCheckoutSessionRequest), false, typeof(CheckoutSessionDto), [200], IdempotencyKeyUse.None, WriteErrors),
        [("POST", "checkoutSessions/{checkoutSessionId}/complete")] = new(
            "CompleteCheckoutSession", CheckoutSessions, "Complete a Checkout Session",
            "Confirms the amount after the buyer returned; 202 when the authorization is still pending.",
            typeof(CompleteCheckoutSessionRequest), false, typeof(CheckoutSessionDto), [200, 202], IdempotencyKeyUse.Optional, WriteErrors),
        [("POST", "checkoutSessions/{checkoutSessionId}/finalize")] = new(
            "FinalizeCheckoutSession", CheckoutSessions, "Finalize a Checkout Session",
            "Processes a session the buyer approved without being redirected (the JavaScript-only flow).",
            typeof(FinalizeCheckoutSessionRequest), false, typeof(CheckoutSessionDto), [200, 202], IdempotencyKeyUse.Optional, WriteErrors),
        [("GET", "chargePermissions/{chargePermissionId}")] = new(
            "GetChargePermission", ChargePermissions, "Get a Charge Permission",
            "The permission's state, limits and buyer details.",
            null, false, typeof(ChargePermissionDto), [200], IdempotencyKeyUse.None, ReadErrors),
        [("PATCH", "chargePermissions/{chargePermissionId}")] = new(
            "UpdateChargePermission", ChargePermissions, "Update a Charge Permission",
            "Sets the merchant metadata of a charge permission.",
            typeof(UpdateChargePermissionRequest), false, typeof(ChargePermissionDto), [200], IdempotencyKeyUse.None, WriteErrors),
        [("DELETE", "chargePermissions/{chargePermissionId}/close")] = new(
            "CloseChargePermission", ChargePermissions, "Close a Charge Permission",
            "Closes the permission; no further charges can be made against it.",
            typeof(CloseChargePermissionRequest), true, typeof(ChargePermissionDto), [200], IdempotencyKeyUse.None, WriteErrors),
        [("POST", "charges")] = new(
            "CreateCharge", Charges, "Create a Charge",
            "Authorizes (and optionally captures) an amount against a charge permission.",
            typeof(CreateChargeRequest), false, typeof(ChargeDto), [201], IdempotencyKeyUse.Required, WriteErrors),
        [("GET", "charges/{chargeId}")] = new(
            "GetCharge", Charges, "Get a Charge",
            "The charge's state and amounts.",
            null, false, typeof(ChargeDto), [200], IdempotencyKeyUse.None, ReadErrors),
        [("POST", "charges/{chargeId}/capture")] = new(
            "CaptureCharge", Charges, "Capture a Charge",
            "Captures an authorized charge.",
            typeof(CaptureChargeRequest), false, typeof(ChargeDto), [200], IdempotencyKeyUse.Required, WriteErrors),
        [("DELETE", "charges/{chargeId}/cancel")] = new(
            "CancelCharge", Charges, "Cancel a Charge",
            "Cancels an authorized charge that was not captured.",
            typeof(CancelChargeRequest), true, typeof(ChargeDto), [200], IdempotencyKeyUse.None, WriteErrors),
        [("POST", "refunds")] = new(
            "CreateRefund", Refunds, "Create a Refund",
            "Refunds part or all of a captured charge.",
            typeof(CreateRefundRequest), false, typeof(RefundDto), [201], IdempotencyKeyUse.Required, WriteErrors),
        [("GET", "refunds/{refundId}")] = new(
            "GetRefund", Refunds, "Get a Refund",
            "The refund's state and amount.",
            null, false, typeof(RefundDto), [200], IdempotencyKeyUse.None, ReadErrors),
        [("POST", "deliveryTrackers")] = new(
            "CreateDeliveryTracker", DeliveryTrackers, "Send delivery tracking information",
            "Records a shipment's carrier and tracking number; the request is echoed back.",
            typeof(DeliveryTrackerRequest), false, typeof(DeliveryTrackerRequest), [200], IdempotencyKeyUse.Optional, WriteErrors),
        [("GET", "buyers/{buyerToken}")] = new(
            "GetBuyer", Buyers, "Get a Buyer",
            "The profile of a buyer who signed in with Amazon, limited to the scopes the sign-in asked for.",
            null, false, typeof(BuyerProfileDto), [200], IdempotencyKeyUse.None, ReadErrors),
    };

    /// <summary>The resources, in the order a checkout meets them.</summary>
    public static readonly (string Name, string Description)[] Tags =
    [
        (CheckoutSessions, "A buyer's checkout, from the button to the completed payment."),
        (ChargePermissions, "The buyer's consent to be charged, made when a checkout completes."),
        (Charges, "Authorizations and captures against a charge permission."),
        (Refunds, "Money returned to the buyer from a captured charge."),
        (DeliveryTrackers, "Shipment tracking sent to Amazon Pay."),
        (Buyers, "The profile of a buyer who signed in with Amazon."),
    ];

    public static int TagOrder(string? tag) => Array.FindIndex(Tags, t => t.Name == tag);

    /// <summary>The description of the operation mapped at <paramref name="method"/> <paramref name="template"/>.</summary>
    public static ApiOperation Get(string method, string template) =>
        ByRoute.TryGetValue((method, template), out var operation)
            ? operation
            : throw new InvalidOperationException($"{method} {template} has no entry in {nameof(ApiOperations)}; describe it there.");
}
