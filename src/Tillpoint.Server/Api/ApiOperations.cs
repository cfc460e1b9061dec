using System.Text.Json.Serialization.Metadata;
using Tillpoint.Domain.Simulation;
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
/// One merchant API operation, described once: its route, its body, its idempotency rule, the simulation codes it
/// accepts and what the API reference says about it. Routing, body parsing, the idempotency-key check, the metrics and
/// the OpenAPI document are all driven by it, so a handler cannot disagree with the documentation. Attached to its
/// endpoints as metadata: everything about it is resolved when the route is mapped, never per request.
/// </summary>
internal sealed record ApiOperation(
    string Name,
    string Method,
    string Template,
    string Tag,
    string Summary,
    string Description,
    Type? RequestBody,
    bool RequestBodyOptional,
    Type Response,
    int[] SuccessStatuses,
    IdempotencyKeyUse IdempotencyKey,
    SimulatedOperation? Simulation,
    int[] ErrorStatuses,
    Func<ApiRequest, Task<ApiResult>> Handler)
{
    /// <summary>The header a sandbox request asks for a simulated outcome with.</summary>
    public const string SimulationHeader = "x-amz-pay-simulation-code";

    /// <summary>The name counted for requests that match no operation (the API fallback).</summary>
    public const string UnknownName = "Unknown";

    /// <summary>Whether the operation accepts <c>x-amz-pay-simulation-code</c>; any other operation refuses the header.</summary>
    public bool AcceptsSimulation => Simulation is not null;

    /// <summary>
    /// The role the operator must have granted the calling merchant (the PSP and solution-provider operations); null when
    /// any merchant may call the operation.
    /// </summary>
    public MerchantRole? RequiredRole { get; init; }

    /// <summary>
    /// Whether the operation reads <c>x-amz-pay-authtoken</c> itself (the merchant-account operations, where it is the
    /// account's own authorization token) instead of the pipeline reading it as a solution provider's delegation.
    /// </summary>
    public bool ReadsAuthorizationToken { get; init; }
}

/// <summary>
/// The merchant API's operations (spec §4), in one table. One instance per application: each host maps and documents
/// its own, so hosts built side by side in one process never share or grow a list.
/// </summary>
internal sealed partial class ApiOperations
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

    /// <summary>The resources, in the order a checkout meets them.</summary>
    public static readonly (string Name, string Description)[] Tags =
    [
        (CheckoutSessions, "A buyer's checkout, from the button to the completed payment."),
        (ChargePermissions, "The buyer's consent to be charged, made when a checkout completes."),
        (Charges, "Authorizations and captures against a charge permission."),
        (Refunds, "Money returned to the buyer from a captured charge."),
        (DeliveryTrackers, "Shipment tracking sent to Amazon Pay."),
        (Buyers, "The profile of a buyer who signed in with Amazon."),
        (AuthorizationTokens, "A solution provider's delegation to act for a merchant."),
        (Reports, "Settlement and transaction reports built from the ledger, their schedules, and disbursements."),
        (MerchantAccounts, "Merchants a partner registers, creates and manages, each a merchant of its own."),
        (InStore, "Payments at a physical till: scan the buyer's code, charge, refund."),
        (Disputes, "Buyers' chargebacks against captured charges, and the evidence files that contest them."),
    ];

    private static readonly ApiRequestJsonContext Bodies = ApiRequestJsonContext.Default;

    public IReadOnlyList<ApiOperation> All { get; } =
    [
        Command(
            "CreateCheckoutSession", "POST", "checkoutSessions", CheckoutSessions, "Create a Checkout Session",
            "Starts a checkout: the buyer is sent to the hosted page at webCheckoutDetails.amazonPayRedirectUrl.",
            Bodies.CreateCheckoutSessionRequest, typeof(CheckoutSessionDto), [201], IdempotencyKeyUse.Required, null, CreateErrors,
            CheckoutSessionsApi.CreateAsync),
        Read(
            "GetCheckoutSession", "checkoutSessions/{checkoutSessionId}", CheckoutSessions, "Get a Checkout Session",
            "The session's current state, buyer and payment details.",
            typeof(CheckoutSessionDto), CheckoutSessionsApi.GetAsync),
        Command(
            "UpdateCheckoutSession", "PATCH", "checkoutSessions/{checkoutSessionId}", CheckoutSessions, "Update a Checkout Session",
            "Sets the payment details and merchant metadata of an open session.",
            Bodies.UpdateCheckoutSessionRequest, typeof(CheckoutSessionDto), [200], IdempotencyKeyUse.None,
            SimulatedOperation.UpdateCheckoutSession, WriteErrors, CheckoutSessionsApi.UpdateAsync),
        Command(
            "CompleteCheckoutSession", "POST", "checkoutSessions/{checkoutSessionId}/complete", CheckoutSessions, "Complete a Checkout Session",
            "Confirms the amount after the buyer returned; 202 when the authorization is still pending.",
            Bodies.CompleteCheckoutSessionRequest, typeof(CheckoutSessionDto), [200, 202], IdempotencyKeyUse.Optional,
            SimulatedOperation.CompleteCheckoutSession, WriteErrors, CheckoutSessionsApi.CompleteAsync),
        Command(
            "FinalizeCheckoutSession", "POST", "checkoutSessions/{checkoutSessionId}/finalize", CheckoutSessions, "Finalize a Checkout Session",
            "Processes a session the buyer approved without being redirected (the JavaScript-only flow).",
            Bodies.FinalizeCheckoutSessionRequest, typeof(CheckoutSessionDto), [200, 202], IdempotencyKeyUse.Optional,
            SimulatedOperation.FinalizeCheckoutSession, WriteErrors, CheckoutSessionsApi.FinalizeAsync),
        Read(
            "GetChargePermission", "chargePermissions/{chargePermissionId}", ChargePermissions, "Get a Charge Permission",
            "The permission's state, limits and buyer details.",
            typeof(ChargePermissionDto), ChargesApi.GetChargePermissionAsync),
        Command(
            "UpdateChargePermission", "PATCH", "chargePermissions/{chargePermissionId}", ChargePermissions, "Update a Charge Permission",
            "Sets the merchant metadata of a charge permission.",
            Bodies.UpdateChargePermissionRequest, typeof(ChargePermissionDto), [200], IdempotencyKeyUse.None, null, WriteErrors,
            ChargesApi.UpdateChargePermissionAsync),
        Command(
            "CloseChargePermission", "DELETE", "chargePermissions/{chargePermissionId}/close", ChargePermissions, "Close a Charge Permission",
            "Closes the permission; no further charges can be made against it.",
            Bodies.CloseChargePermissionRequest, typeof(ChargePermissionDto), [200], IdempotencyKeyUse.None,
            SimulatedOperation.CloseChargePermission, WriteErrors, ChargesApi.CloseChargePermissionAsync, bodyOptional: true),
        Command(
            "CreateCharge", "POST", "charges", Charges, "Create a Charge",
            "Authorizes (and optionally captures) an amount against a charge permission.",
            Bodies.CreateChargeRequest, typeof(ChargeDto), [201], IdempotencyKeyUse.Required, SimulatedOperation.CreateCharge, WriteErrors,
            ChargesApi.CreateChargeAsync),
        Read(
            "GetCharge", "charges/{chargeId}", Charges, "Get a Charge",
            "The charge's state and amounts.",
            typeof(ChargeDto), ChargesApi.GetChargeAsync),
        Command(
            "CaptureCharge", "POST", "charges/{chargeId}/capture", Charges, "Capture a Charge",
            "Captures an authorized charge.",
            Bodies.CaptureChargeRequest, typeof(ChargeDto), [200], IdempotencyKeyUse.Required, SimulatedOperation.CaptureCharge, WriteErrors,
            ChargesApi.CaptureAsync),
        Command(
            "CancelCharge", "DELETE", "charges/{chargeId}/cancel", Charges, "Cancel a Charge",
            "Cancels an authorized charge that was not captured.",
            Bodies.CancelChargeRequest, typeof(ChargeDto), [200], IdempotencyKeyUse.None, SimulatedOperation.CancelCharge, WriteErrors,
            ChargesApi.CancelChargeAsync, bodyOptional: true),
        Command(
            "CreateRefund", "POST", "refunds", Refunds, "Create a Refund",
            "Refunds part or all of a captured charge.",
            Bodies.CreateRefundRequest, typeof(RefundDto), [201], IdempotencyKeyUse.Required, SimulatedOperation.CreateRefund, WriteErrors,
            RefundsApi.CreateRefundAsync),
        Read(
            "GetRefund", "refunds/{refundId}", Refunds, "Get a Refund",
            "The refund's state and amount.",
            typeof(RefundDto), RefundsApi.GetRefundAsync),
        Command(
            "CreateDeliveryTracker", "POST", "deliveryTrackers", DeliveryTrackers, "Send delivery tracking information",
            "Records a shipment's carrier and tracking number; the request is echoed back.",
            Bodies.DeliveryTrackerRequest, typeof(DeliveryTrackerRequest), [200], IdempotencyKeyUse.Optional, null, WriteErrors,
            RefundsApi.DeliveryTrackersAsync),
        Read(
            "GetBuyer", "buyers/{buyerToken}", Buyers, "Get a Buyer",
            "The profile of a buyer who signed in with Amazon, limited to the scopes the sign-in asked for.",
            typeof(BuyerProfileDto), BuyersApi.GetBuyerAsync),
        .. RoleOperations,
        .. ReportOperations,
        .. MerchantAccountOperations,
        .. InStoreOperations,
        .. DisputeOperations,
    ];

    public static int TagOrder(string? tag) => Array.FindIndex(Tags, t => t.Name == tag);

    /// <summary>A GET: no body, no idempotency key, no simulation.</summary>
    private static ApiOperation Read(
        string name, string template, string tag, string summary, string description, Type response, Func<ApiRequest, Task<ApiResult>> handler) =>
        new(name, "GET", template, tag, summary, description, null, false, response, [200], IdempotencyKeyUse.None, null, ReadErrors, handler);

    /// <summary>
    /// An operation with a JSON body: the body is parsed before <paramref name="handler"/> runs, which gets it typed.
    /// With <paramref name="bodyOptional"/>, no body at all is an empty object (the DELETE operations, whose fields are
    /// all optional and which some clients send without one).
    /// </summary>
    private static ApiOperation Command<TBody>(
        string name,
        string method,
        string template,
        string tag,
        string summary,
        string description,
        JsonTypeInfo<TBody> body,
        Type response,
        int[] successStatuses,
        IdempotencyKeyUse idempotencyKey,
        SimulatedOperation? simulation,
        int[] errorStatuses,
        Func<ApiRequest, TBody, Task<ApiResult>> handler,
        bool bodyOptional = false)
        where TBody : class, new() =>
        new(
            name, method, template, tag, summary, description, typeof(TBody), bodyOptional, response, successStatuses, idempotencyKey,
            simulation, errorStatuses,
            request =>
            {
                var parsed = request.ParseBody(body, bodyOptional);
                return parsed.IsSuccess ? handler(request, parsed.Value) : ApiResult.Refused(parsed.Error);
            });
}
