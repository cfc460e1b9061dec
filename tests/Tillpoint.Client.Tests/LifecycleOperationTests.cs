using System.Net;
using System.Text;
using Tillpoint.Protocol.Json;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Client.Tests;

/// <summary>
/// Finalize, charge permission changes, charges, refunds, Get Buyer and delivery trackers: method, path, body,
/// idempotency key, response and error, one table of operations shared by the theories.
/// </summary>
public sealed class LifecycleOperationTests
{
    private static readonly Dictionary<string, Operation> Operations = new()
    {
        ["FinalizeCheckoutSession"] = new("POST", "checkoutSessions/cs-1/finalize",
            """{"chargeAmount":{"amount":"14.00","currencyCode":"USD"},"paymentIntent":"Authorize","canHandlePendingAuthorization":"""
            + """true,"shippingAddress":"""
            + """{"name":"Jane Doe","addressLine1":"410 Terry Ave N","city":"Seattle","stateOrRegion":"WA","postalCode":"98109","countryCode":"US"}}""",
            (client, options) => client.FinalizeCheckoutSessionAsync("cs-1", NewFinalizeRequest(), options)),
        ["UpdateChargePermission"] = new("PATCH", "chargePermissions/cp-1",
            """{"merchantMetadata":{"merchantReferenceId":"order-42"}}""",
            (client, options) => client.UpdateChargePermissionAsync("cp-1",
                new UpdateChargePermissionRequest { MerchantMetadata = new MerchantMetadataDto { MerchantReferenceId = "order-42" } },
                options)),
        ["CloseChargePermission"] = new("DELETE", "chargePermissions/cp-1/close",
            """{"closureReason":"Order fulfilled","cancelPendingCharges":true}""",
            (client, options) => client.CloseChargePermissionAsync("cp-1",
                new CloseChargePermissionRequest { ClosureReason = "Order fulfilled", CancelPendingCharges = true }, options)),
        ["CreateCharge"] = new("POST", "charges",
            """{"chargePermissionId":"S01-5105180-3221187","chargeAmount":"""
            + """{"amount":"14.00","currencyCode":"USD"},"captureNow":true,"softDescriptor":"Tillpoint"}""",
            (client, options) => client.CreateChargeAsync(NewCreateChargeRequest(), options)),
        ["CancelCharge"] = new("DELETE", "charges/ch-1/cancel",
            """{"cancellationReason":"Out of stock"}""",
            (client, options) => client.CancelChargeAsync("ch-1", new CancelChargeRequest { CancellationReason = "Out of stock" }, options)),
        ["UpdateCharge"] = new("PATCH", "charges/ch-1",
            """{"statusDetails":{"state":"Canceled","reasonCode":"ExpiredUnused"}}""",
            (client, options) => client.UpdateChargeAsync("ch-1",
                new UpdateChargeRequest { StatusDetails = new UpdateChargeStatusDetails { State = "Canceled", ReasonCode = "ExpiredUnused" } }, options)),
        ["CreateRefund"] = new("POST", "refunds",
            """{"chargeId":"S01-5105180-3221187-C056351","refundAmount":{"amount":"14.00","currencyCode":"USD"}}""",
            (client, options) => client.CreateRefundAsync(NewCreateRefundRequest(), options)),
        ["GetRefund"] = new("GET", "refunds/rf-1", "",
            (client, options) => client.GetRefundAsync("rf-1", options)),
        ["GetBuyer"] = new("GET", "buyers/bt-1", "",
            (client, options) => client.GetBuyerAsync("bt-1", options)),
        ["DeliveryTrackers"] = new("POST", "deliveryTrackers",
            """{"chargePermissionId":"S01-5105180-3221187","deliveryDetails":[{"trackingNumber":"1Z999AA10123456784","carrierCode":"UPS"}]}""",
            (client, options) => client.DeliveryTrackersAsync(NewDeliveryTrackerRequest(), options)),
        ["CreateDispute"] = new("POST", "disputes",
            """{"chargeId":"ch-1","disputeAmount":{"amount":"1.00","currencyCode":"USD"},"filingReason":"Fraudulent","filingTimestamp":1740000000,"merchantResponseDeadline":1740604800}""",
            (client, options) => client.CreateDisputeAsync(
                new CreateDisputeRequest
                {
                    ChargeId = "ch-1",
                    DisputeAmount = new Price { Amount = "1.00", CurrencyCode = "USD" },
                    FilingReason = "Fraudulent",
                    FilingTimestamp = 1740000000,
                    MerchantResponseDeadline = 1740604800,
                },
                options)),
        ["GetDispute"] = new("GET", "disputes/dp-1", "",
            (client, options) => client.GetDisputeAsync("dp-1", options)),
        ["UpdateDispute"] = new("PATCH", "disputes/dp-1",
            """{"statusDetails":{"state":"Resolved","resolution":"MerchantWon"}}""",
            (client, options) => client.UpdateDisputeAsync("dp-1",
                new UpdateDisputeRequest { StatusDetails = new DisputeStatusRequest { State = "Resolved", Resolution = "MerchantWon" } }, options)),
        ["ContestDispute"] = new("POST", "disputes/dp-1/contest",
            """{"merchantEvidences":[{"evidenceType":"TrackingNumber","evidenceText":"1Z"}]}""",
            (client, options) => client.ContestDisputeAsync("dp-1",
                new ContestDisputeRequest { MerchantEvidences = [new MerchantEvidenceDto { EvidenceType = "TrackingNumber", EvidenceText = "1Z" }] }, options)),
        ["UploadFile"] = new("POST", "files",
            """{"type":"pdf","purpose":"disputeEvidence"}""",
            (client, options) => client.UploadFileAsync(new UploadFileRequest { Type = "pdf", Purpose = "disputeEvidence" }, options)),
    };

    public static TheoryData<string> AllOperations => [.. Operations.Keys];

    public static TheoryData<string> PostOperations => [.. Operations.Where(o => o.Value.Method == "POST").Select(o => o.Key)];

    public static TheoryData<string> OtherOperations => [.. Operations.Where(o => o.Value.Method != "POST").Select(o => o.Key)];

    public static TheoryData<string> OperationsWithBody => [.. Operations.Where(o => o.Value.Body.Length > 0).Select(o => o.Key)];

    [Theory]
    [MemberData(nameof(AllOperations))]
    public async Task Operation_uses_its_documented_method_and_path(string name)
    {
        var operation = Operations[name];
        using var harness = new Harness(new CapturingHandler(Respond));

        await operation.Call(harness.Client, null);

        Assert.Equal(operation.Method, harness.Request.Method);
        Assert.Equal("/v2/" + operation.Path, harness.Request.Path);
        Assert.Null(harness.Request.RawQuery);
    }

    [Theory]
    [MemberData(nameof(AllOperations))]
    public async Task Operation_with_an_unprefixed_key_calls_the_sandbox_or_live_environment(string name)
    {
        var operation = Operations[name];
        using var sandbox = new Harness(new CapturingHandler(Respond), publicKeyId: "AFVX7ULWSGBZ5535PCUQOY7B", sandbox: true);
        using var live = new Harness(new CapturingHandler(Respond), publicKeyId: "AFVX7ULWSGBZ5535PCUQOY7B", sandbox: false);

        await operation.Call(sandbox.Client, null);
        await operation.Call(live.Client, null);

        Assert.Equal("/sandbox/v2/" + operation.Path, sandbox.Request.Path);
        Assert.Equal("/live/v2/" + operation.Path, live.Request.Path);
    }

    [Theory]
    [MemberData(nameof(AllOperations))]
    public async Task Operation_sends_its_request_without_null_members_and_signs_it(string name)
    {
        var operation = Operations[name];
        using var harness = new Harness(new CapturingHandler(Respond));

        await operation.Call(harness.Client, null);

        var request = harness.Request;
        Assert.Equal(operation.Body, Encoding.UTF8.GetString(request.Body));
        Assert.Equal("application/json", request.Header("content-type"));
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
    }

    [Fact]
    public async Task Delete_operations_send_their_body_and_the_signature_covers_it()
    {
        using var harness = new Harness(new CapturingHandler(Respond));

        await harness.Client.CancelChargeAsync("ch-1", new CancelChargeRequest { CancellationReason = "Out of stock" });
        await harness.Client.CloseChargePermissionAsync("cp-1", new CloseChargePermissionRequest { ClosureReason = "Done" });

        Assert.All(harness.Handler.Requests, request =>
        {
            Assert.Equal("DELETE", request.Method);
            Assert.NotEmpty(request.Body);
            Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
            var tampered = request with { Body = Encoding.UTF8.GetBytes("{}") };
            Assert.Equal(SignatureCheckOutcome.InvalidSignature, TestKeys.Verify(tampered).Outcome);
        });
    }

    [Fact]
    public async Task Empty_requests_send_an_empty_object()
    {
        using var harness = new Harness(new CapturingHandler(Respond));

        await harness.Client.CloseChargePermissionAsync("cp-1", new CloseChargePermissionRequest());
        await harness.Client.CancelChargeAsync("ch-1", new CancelChargeRequest());
        await harness.Client.UpdateChargePermissionAsync("cp-1", new UpdateChargePermissionRequest());

        Assert.All(harness.Handler.Requests, request => Assert.Equal("{}", Encoding.UTF8.GetString(request.Body)));
    }

    [Theory]
    [MemberData(nameof(PostOperations))]
    public async Task Post_operation_without_a_key_gets_a_fresh_generated_key(string name)
    {
        var operation = Operations[name];
        using var harness = new Harness(new CapturingHandler(Respond));

        await operation.Call(harness.Client, null);
        await operation.Call(harness.Client, new RequestOptions { SimulationCode = "None" });

        var keys = harness.Handler.Requests.Select(r => r.Header("x-amz-pay-idempotency-key")).ToList();
        Assert.All(keys, key => Assert.Matches("^[0-9a-f]{32}$", key));
        Assert.NotEqual(keys[0], keys[1]);
        Assert.Contains("x-amz-pay-idempotency-key", TestKeys.Authorization(harness.Handler.Requests[0]).SignedHeaders.Split(';'));
    }

    [Theory]
    [MemberData(nameof(AllOperations))]
    public async Task Operation_sends_a_given_key_unchanged_and_signed(string name)
    {
        var operation = Operations[name];
        using var harness = new Harness(new CapturingHandler(Respond));

        await operation.Call(harness.Client, new RequestOptions { IdempotencyKey = "order-42_step-1" });

        var request = harness.Request;
        Assert.Equal("order-42_step-1", request.Header("x-amz-pay-idempotency-key"));
        Assert.Contains("x-amz-pay-idempotency-key", TestKeys.Authorization(request).SignedHeaders.Split(';'));
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
    }

    [Theory]
    [MemberData(nameof(OtherOperations))]
    public async Task Get_patch_and_delete_operations_send_no_key_unless_one_is_given(string name)
    {
        var operation = Operations[name];
        using var harness = new Harness(new CapturingHandler(Respond));

        await operation.Call(harness.Client, null);

        Assert.Null(harness.Request.Header("x-amz-pay-idempotency-key"));
    }

    [Theory]
    [MemberData(nameof(AllOperations))]
    public async Task Operation_error_becomes_an_exception_with_status_reason_message_and_request_id(string name)
    {
        var operation = Operations[name];
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.UnprocessableEntity, SampleJson.Error422, requestId: "rq-422"));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => operation.Call(harness.Client, null));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("InvalidChargeStatus", error.ReasonCode);
        Assert.Equal("The charge is not in a state that allows this.", error.Message);
        Assert.Equal("rq-422", error.RequestId);
    }

    [Theory]
    [MemberData(nameof(AllOperations))]
    public async Task Operation_with_an_unreadable_success_body_gives_InvalidResponse(string name)
    {
        var operation = Operations[name];
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, "[]"));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => operation.Call(harness.Client, null));

        Assert.Equal(200, error.StatusCode);
        Assert.Equal(AmazonPayException.InvalidResponseReasonCode, error.ReasonCode);
    }

    [Fact]
    public async Task Null_requests_are_rejected_before_anything_is_sent()
    {
        using var harness = new Harness(new CapturingHandler(Respond));
        var client = harness.Client;

        await Assert.ThrowsAsync<ArgumentNullException>(() => client.FinalizeCheckoutSessionAsync("cs-1", null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.UpdateChargePermissionAsync("cp-1", null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.CloseChargePermissionAsync("cp-1", null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.CreateChargeAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.CancelChargeAsync("ch-1", null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.CreateRefundAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.DeliveryTrackersAsync(null!));

        Assert.Empty(harness.Handler.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("..")]
    public async Task Unusable_ids_and_buyer_tokens_are_rejected_before_anything_is_sent(string id)
    {
        using var harness = new Harness(new CapturingHandler(Respond));
        var client = harness.Client;

        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.FinalizeCheckoutSessionAsync(id, NewFinalizeRequest()));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.UpdateChargePermissionAsync(id, new UpdateChargePermissionRequest()));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.CloseChargePermissionAsync(id, new CloseChargePermissionRequest()));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.CancelChargeAsync(id, new CancelChargeRequest()));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetRefundAsync(id));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetBuyerAsync(id));

        Assert.Empty(harness.Handler.Requests);
    }

    [Fact]
    public async Task Buyer_token_is_escaped_as_one_path_segment_and_the_escaped_path_is_signed()
    {
        using var harness = new Harness(new CapturingHandler(Respond));

        await harness.Client.GetBuyerAsync("Atza|IwEB/x+y=z?a#b c");

        var request = harness.Request;
        Assert.Equal("/v2/buyers/Atza%7CIwEB%2Fx%2By%3Dz%3Fa%23b%20c", request.Path);
        Assert.Null(request.RawQuery);
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(request).Outcome);
    }

    [Fact]
    public async Task Ids_of_the_new_operations_are_escaped_per_segment()
    {
        using var harness = new Harness(new CapturingHandler(Respond));

        await harness.Client.CancelChargeAsync("a/b c", new CancelChargeRequest());
        await harness.Client.CloseChargePermissionAsync("a/b c", new CloseChargePermissionRequest());
        await harness.Client.GetRefundAsync("a/b c");

        Assert.Equal(
            ["/v2/charges/a%2Fb%20c/cancel", "/v2/chargePermissions/a%2Fb%20c/close", "/v2/refunds/a%2Fb%20c"],
            harness.Handler.Requests.Select(r => r.Path));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, 200)]
    [InlineData(HttpStatusCode.Accepted, 202)]
    public async Task Finalize_returns_the_session_with_200_or_a_pending_202(HttpStatusCode status, int expected)
    {
        using var harness = new Harness(new CapturingHandler(status, SampleJson.CheckoutSession));

        var response = await harness.Client.FinalizeCheckoutSessionAsync("cs-1", NewFinalizeRequest());

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("bd504926-f659-4ad7-a1a9-9a747aaf5275", response.Value.CheckoutSessionId);
    }

    [Fact]
    public async Task Create_charge_returns_the_created_charge_with_201()
    {
        using var harness = new Harness(new CapturingHandler(Respond));

        var response = await harness.Client.CreateChargeAsync(NewCreateChargeRequest());

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("req-1", response.RequestId);
        Assert.Equal("S01-5105180-3221187-C056351", response.Value.ChargeId);
        Assert.Equal("14.00", response.Value.ChargeAmount?.Amount);
        Assert.Equal("Captured", response.Value.StatusDetails?.State);
    }

    [Fact]
    public async Task Create_charge_decline_is_thrown_with_its_reason_code()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.UnprocessableEntity,
            """{"reasonCode":"HardDeclined","message":"The charge was declined."}"""));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() =>
            harness.Client.CreateChargeAsync(NewCreateChargeRequest(), new RequestOptions { SimulationCode = "HardDeclined" }));

        Assert.Equal("HardDeclined", error.ReasonCode);
        Assert.Equal("HardDeclined", harness.Request.Header("x-amz-pay-simulation-code"));
    }

    [Fact]
    public async Task Cancel_charge_returns_the_charge()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Charge));

        var response = await harness.Client.CancelChargeAsync("ch-1", new CancelChargeRequest());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("S01-5105180-3221187-C056351", response.Value.ChargeId);
    }

    [Fact]
    public async Task Charge_permission_changes_return_the_charge_permission()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.ChargePermission));

        var updated = await harness.Client.UpdateChargePermissionAsync("cp-1", new UpdateChargePermissionRequest());
        var closed = await harness.Client.CloseChargePermissionAsync("cp-1", new CloseChargePermissionRequest());

        Assert.Equal("S01-5105180-3221187", updated.Value.ChargePermissionId);
        Assert.Equal("S01-5105180-3221187", closed.Value.ChargePermissionId);
        Assert.Equal("2.10", closed.Value.Limits?.AmountBalance?.Amount);
    }

    [Fact]
    public async Task Create_refund_returns_the_refund_with_201()
    {
        using var harness = new Harness(new CapturingHandler(Respond));

        var response = await harness.Client.CreateRefundAsync(NewCreateRefundRequest());

        Assert.Equal(201, response.StatusCode);
        var refund = response.Value;
        Assert.Equal("S01-5105180-3221187-R022311", refund.RefundId);
        Assert.Equal("S01-5105180-3221187-C056351", refund.ChargeId);
        Assert.Equal("14.00", refund.RefundAmount?.Amount);
        Assert.Equal("USD", refund.RefundAmount?.CurrencyCode);
        Assert.Equal("RefundInitiated", refund.StatusDetails?.State);
        Assert.Equal("20191015T210700Z", refund.CreationTimestamp);
        Assert.Equal("Sandbox", refund.ReleaseEnvironment);
    }

    [Fact]
    public async Task Get_refund_reads_the_refund()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Refund, requestId: "rq-r"));

        var response = await harness.Client.GetRefundAsync("S01-5105180-3221187-R022311");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("rq-r", response.RequestId);
        Assert.Equal("S01-5105180-3221187-R022311", response.Value.RefundId);
        Assert.Equal("Tillpoint", response.Value.SoftDescriptor);
    }

    [Fact]
    public async Task Get_buyer_reads_the_profile_and_leaves_absent_scopes_null()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.Buyer));

        var response = await harness.Client.GetBuyerAsync("bt-1");

        var buyer = response.Value;
        Assert.Equal("amzn1.account.AH2NQY5RHMZ4VXSDHN6RJHPS4CUQ", buyer.BuyerId);
        Assert.Equal("Jane Doe", buyer.Name);
        Assert.Equal("jane@example.com", buyer.Email);
        Assert.Equal("98121", buyer.PostalCode);
        Assert.Equal("US", buyer.CountryCode);
        Assert.Equal("Seattle", buyer.ShippingAddress?.City);
        Assert.Null(buyer.BillingAddress);
        Assert.Null(buyer.PrimeMembershipTypes);
    }

    [Fact]
    public async Task Delivery_trackers_return_the_echo()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.OK, SampleJson.DeliveryTracker));

        var response = await harness.Client.DeliveryTrackersAsync(NewDeliveryTrackerRequest());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("S01-5105180-3221187", response.Value.ChargePermissionId);
        Assert.Null(response.Value.AmazonOrderReferenceId);
        var detail = Assert.Single(response.Value.DeliveryDetails!);
        Assert.Equal("1Z999AA10123456784", detail.TrackingNumber);
        Assert.Equal("UPS", detail.CarrierCode);
    }

    [Fact]
    public async Task Unreadable_refund_body_names_the_expected_type()
    {
        using var harness = new Harness(new CapturingHandler(HttpStatusCode.Created, "not json"));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.CreateRefundAsync(NewCreateRefundRequest()));

        Assert.Equal(201, error.StatusCode);
        Assert.Contains("RefundDto", error.Message, StringComparison.Ordinal);
    }

    internal static FinalizeCheckoutSessionRequest NewFinalizeRequest() => new()
    {
        ChargeAmount = new Price { Amount = "14.00", CurrencyCode = "USD" },
        PaymentIntent = "Authorize",
        CanHandlePendingAuthorization = true,
        ShippingAddress = new AddressDto
        {
            Name = "Jane Doe",
            AddressLine1 = "410 Terry Ave N",
            City = "Seattle",
            StateOrRegion = "WA",
            PostalCode = "98109",
            CountryCode = "US",
        },
    };

    internal static CreateChargeRequest NewCreateChargeRequest() => new()
    {
        ChargePermissionId = "S01-5105180-3221187",
        ChargeAmount = new Price { Amount = "14.00", CurrencyCode = "USD" },
        CaptureNow = true,
        SoftDescriptor = "Tillpoint",
    };

    internal static CreateRefundRequest NewCreateRefundRequest() => new()
    {
        ChargeId = "S01-5105180-3221187-C056351",
        RefundAmount = new Price { Amount = "14.00", CurrencyCode = "USD" },
    };

    internal static DeliveryTrackerRequest NewDeliveryTrackerRequest() => new()
    {
        ChargePermissionId = "S01-5105180-3221187",
        DeliveryDetails = [new DeliveryDetailDto { TrackingNumber = "1Z999AA10123456784", CarrierCode = "UPS" }],
    };

    // Answers each resource with its object, and creates with 201, as a server would.
    private static HttpResponseMessage Respond(CapturedRequest request)
    {
        var path = request.Path;
        var created = request.Method == "POST" && (path.EndsWith("/charges", StringComparison.Ordinal)
            || path.EndsWith("/refunds", StringComparison.Ordinal));
        var body = path.Contains("/refunds", StringComparison.Ordinal) ? SampleJson.Refund
            : path.Contains("/buyers/", StringComparison.Ordinal) ? SampleJson.Buyer
            : path.Contains("/deliveryTrackers", StringComparison.Ordinal) ? SampleJson.DeliveryTracker
            : path.Contains("/chargePermissions", StringComparison.Ordinal) ? SampleJson.ChargePermission
            : path.Contains("/charges", StringComparison.Ordinal) ? SampleJson.Charge
            : SampleJson.CheckoutSession;
        return CapturingHandler.Response(created ? HttpStatusCode.Created : HttpStatusCode.OK, body);
    }

    private sealed record Operation(
        string Method,
        string Path,
        string Body,
        Func<AmazonPayClient, RequestOptions?, Task> Call);
}
