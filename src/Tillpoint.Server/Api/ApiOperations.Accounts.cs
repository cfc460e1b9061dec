using Tillpoint.Domain.Simulation;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>The account APIs (spec §3) and the in-store API (spec §5).</summary>
internal sealed partial class ApiOperations
{
    private const string MerchantAccounts = "Merchant Accounts";
    private const string InStore = "In-Store";

    private static readonly int[] AccountErrors = [400, 401, 403, 404, 429, 500];

    /// <summary>
    /// Both generations of the account APIs share their paths (spec §3.1), so each path and method is one operation whose
    /// handler tells them apart. The official Node SDK sends one idempotency key with several different accounts, so
    /// the key is not read here: a uniqueReferenceId names one live account per partner instead.
    /// </summary>
    private static ApiOperation[] MerchantAccountOperations =>
    [
        Command(
            "CreateMerchantAccount", "POST", "merchantAccounts", MerchantAccounts, "Register an Amazon Pay account or create a merchant account",
            "Makes a new merchant for the calling partner. A body with stores, merchantStatus, integrationInfo, beneficiaryOwners or " +
            "businessInfo.email creates a loginable account (Create Merchant Account: 201 with authorizationToken); any other registers a " +
            "non-loginable one (Register Amazon Pay Account: 201 with exactly uniqueReferenceId and merchantAccountId). The operator may " +
            "fix either for a partner. integrationInfo.ipnEndpointUrls become the new merchant's IPN endpoints.",
            Bodies.MerchantAccountRequest, typeof(CreatedMerchantAccountDto), [201], IdempotencyKeyUse.None, null, AccountErrors,
            MerchantAccountsApi.CreateAsync) with { RequiredRole = MerchantRole.SolutionProvider, ReadsAuthorizationToken = true },
        Command(
            "UpdateMerchantAccount", "PATCH", "merchantAccounts/{merchantAccountId}", MerchantAccounts, "Update a merchant account",
            "With x-amz-pay-authtoken (the token Create Merchant Account returned): Update Merchant Account, 200 with the ids. Without it: " +
            "Update Amazon Pay Account, 204. Details merge into those stored; the legal business entity cannot change, nor a claimed account.",
            Bodies.MerchantAccountRequest, typeof(MerchantAccountIdsDto), [200, 204], IdempotencyKeyUse.None, null, AccountErrors,
            MerchantAccountsApi.UpdateAsync) with { RequiredRole = MerchantRole.SolutionProvider, ReadsAuthorizationToken = true },
        new ApiOperation(
            "DeleteAmazonPayAccount", "DELETE", "merchantAccounts/{merchantAccountId}", MerchantAccounts, "Delete an Amazon Pay account",
            "Closes an account the partner still manages and revokes its merchant's keys; its uniqueReferenceId may be used again.",
            null, false, typeof(MerchantAccountIdsDto), [202], IdempotencyKeyUse.None, null, AccountErrors,
            MerchantAccountsApi.DeleteAsync) { RequiredRole = MerchantRole.SolutionProvider, ReadsAuthorizationToken = true },
        Command(
            "MerchantAccountClaim", "POST", "merchantAccounts/{merchantAccountId}/claim", MerchantAccounts, "Claim a merchant account",
            "The merchant takes over an account made with Create Merchant Account: 303 See Other, Location the page where it is managed, " +
            "with the ids as the body. Claiming again answers the same.",
            Bodies.ClaimMerchantAccountRequest, typeof(MerchantAccountIdsDto), [303], IdempotencyKeyUse.None, null, AccountErrors,
            MerchantAccountsApi.ClaimAsync) with { RequiredRole = MerchantRole.SolutionProvider, ReadsAuthorizationToken = true },
        Command(
            "CreateStore", "POST", "merchantAccounts/{merchantAccountId}/stores", MerchantAccounts, "Create a store",
            "Adds a store to an account made with Create Merchant Account, with x-amz-pay-authtoken the token that returned: 201 with the " +
            "store, whose storeId the account's merchant checks out with like its own store id. A retry with the same idempotency key " +
            "answers the same store.",
            Bodies.StoreRequest, typeof(StoreDto), [201], IdempotencyKeyUse.Optional, null, AccountErrors,
            MerchantAccountsApi.CreateStoreAsync) with { RequiredRole = MerchantRole.SolutionProvider, ReadsAuthorizationToken = true },
        Command(
            "UpdateStore", "PATCH", "merchantAccounts/{merchantAccountId}/stores/{storeId}", MerchantAccounts, "Update a store",
            "Changes the fields given of a store Create Store made (a list given replaces the stored one), with the account's " +
            "x-amz-pay-authtoken: 200 with the store as it now is.",
            Bodies.StoreRequest, typeof(StoreDto), [200], IdempotencyKeyUse.None, null, AccountErrors,
            MerchantAccountsApi.UpdateStoreAsync) with { RequiredRole = MerchantRole.SolutionProvider, ReadsAuthorizationToken = true },
    ];

    private static ApiOperation[] InStoreOperations =>
    [
        Command(
            "MerchantScan", "POST", "in-store/merchantScan", InStore, "Scan a buyer's code",
            "Turns the buyer's Amazon Pay code, scanned at the till, into a charge permission. In the sandbox any code is the first test " +
            "buyer's Visa ending in 1111; a code that is a test instrument's id (such as visa-3434) pays with that instrument.",
            Bodies.MerchantScanRequest, typeof(MerchantScanDto), [200], IdempotencyKeyUse.Optional, null, WriteErrors,
            InStoreApi.MerchantScanAsync),
        Command(
            "InStoreCharge", "POST", "in-store/charge", InStore, "Charge a scanned buyer",
            "Charges and captures at once on the scan's permission: chargeStatus Completed, or Declined.",
            Bodies.InStoreChargeRequest, typeof(InStoreChargeDto), [200], IdempotencyKeyUse.Optional, SimulatedOperation.CreateCharge, WriteErrors,
            InStoreApi.ChargeAsync),
        Command(
            "InStoreRefund", "POST", "in-store/refund", InStore, "Refund an in-store charge",
            "Refunds part or all of a captured charge: refundStatus Pending until it settles.",
            Bodies.InStoreRefundRequest, typeof(InStoreRefundDto), [200], IdempotencyKeyUse.Optional, SimulatedOperation.CreateRefund, WriteErrors,
            InStoreApi.RefundAsync),
    ];
}
