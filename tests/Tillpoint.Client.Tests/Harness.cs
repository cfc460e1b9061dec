using System.Net;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Client.Tests;

/// <summary>A client wired to a <see cref="CapturingHandler"/>.</summary>
internal sealed class Harness : IDisposable
{
    public const string SandboxKeyId = "SANDBOX-AFVX7ULWSGBZ5535PCUQOY7B";
    public static readonly DateTimeOffset Now = new(2019, 10, 15, 21, 5, 56, TimeSpan.Zero);

    private readonly HttpClient _http;

    public Harness(
        CapturingHandler? handler = null,
        string publicKeyId = SandboxKeyId,
        string endpoint = "https://127.0.0.1:8443",
        SignatureAlgorithm algorithm = SignatureAlgorithm.RsassaPssV2,
        bool sandbox = true,
        string region = "na",
        TimeProvider? timeProvider = null)
    {
        Handler = handler ?? new CapturingHandler(HttpStatusCode.OK, SampleJson.CheckoutSession);
        _http = new HttpClient(Handler);
        Client = new AmazonPayClient(_http, new AmazonPayClientOptions
        {
            Endpoint = new Uri(endpoint),
            PublicKeyId = publicKeyId,
            PrivateKeyPem = TestKeys.PrivateKeyPem,
            Algorithm = algorithm,
            Sandbox = sandbox,
            Region = region,
            TimeProvider = timeProvider ?? new FixedTimeProvider(Now),
        });
    }

    public CapturingHandler Handler { get; }

    public AmazonPayClient Client { get; }

    public CapturedRequest Request => Handler.Single;

    public void Dispose()
    {
        Client.Dispose();
        _http.Dispose();
    }
}

internal static class SampleJson
{
    public const string CheckoutSession = """
        {"checkoutSessionId":"bd504926-f659-4ad7-a1a9-9a747aaf5275",
         "webCheckoutDetails":{"checkoutReviewReturnUrl":"https://a.com/review","checkoutResultReturnUrl":null,
           "checkoutCancelUrl":null,"amazonPayRedirectUrl":"https://pay.example/redirect","checkoutMode":null},
         "productType":"PayAndShip","paymentDetails":null,"chargePermissionType":"OneTime",
         "statusDetails":{"state":"Open","reasonCode":null,"reasonDescription":null,"lastUpdatedTimestamp":"20191015T210556Z"},
         "creationTimestamp":"20191015T210556Z","expirationTimestamp":"20191016T210556Z",
         "storeId":"amzn1.application-oa2-client.8b5e45312b5248b69eeaStoreId","releaseEnvironment":"Sandbox",
         "someFutureKey":{"nested":[1,2,3]}}
        """;

    public const string Charge = """
        {"chargeId":"S01-5105180-3221187-C056351","chargeAmount":{"amount":"14.00","currencyCode":"USD"},
         "chargePermissionId":"S01-5105180-3221187","captureAmount":{"amount":"14.00","currencyCode":"USD"},
         "statusDetails":{"state":"Captured","reasonCode":null,"reasonDescription":null,"lastUpdatedTimestamp":"20191015T210600Z"},
         "creationTimestamp":"20191015T210556Z","expirationTimestamp":"20191114T210556Z","releaseEnvironment":"Sandbox"}
        """;

    public const string ChargePermission = """
        {"chargePermissionId":"S01-5105180-3221187","chargePermissionType":"OneTime",
         "limits":{"amountLimit":{"amount":"16.10","currencyCode":"USD"},"amountBalance":{"amount":"2.10","currencyCode":"USD"}},
         "statusDetails":{"state":"Chargeable","reasons":null,"lastUpdatedTimestamp":"20191015T210600Z"},
         "creationTimestamp":"20191015T210556Z","releaseEnvironment":"Sandbox"}
        """;

    public const string Refund = """
        {"refundId":"S01-5105180-3221187-R022311","chargeId":"S01-5105180-3221187-C056351",
         "refundAmount":{"amount":"14.00","currencyCode":"USD"},"softDescriptor":"Tillpoint",
         "creationTimestamp":"20191015T210700Z",
         "statusDetails":{"state":"RefundInitiated","reasonCode":null,"reasonDescription":null,"lastUpdatedTimestamp":"20191015T210700Z"},
         "releaseEnvironment":"Sandbox"}
        """;

    public const string Buyer = """
        {"buyerId":"amzn1.account.AH2NQY5RHMZ4VXSDHN6RJHPS4CUQ","name":"Jane Doe","email":"jane@example.com",
         "postalCode":"98121","countryCode":"US","phoneNumber":"800-000-0000",
         "shippingAddress":{"name":"Jane Doe","addressLine1":"410 Terry Ave N","addressLine2":null,"addressLine3":null,
           "city":"Seattle","county":null,"district":null,"stateOrRegion":"WA","postalCode":"98109","countryCode":"US",
           "phoneNumber":"800-000-0000"},
         "billingAddress":null,"primeMembershipTypes":null}
        """;

    public const string DeliveryTracker = """
        {"amazonOrderReferenceId":null,"chargePermissionId":"S01-5105180-3221187",
         "deliveryDetails":[{"trackingNumber":"1Z999AA10123456784","carrierCode":"UPS"}]}
        """;

    public const string Clock = """{"now":"2019-10-16T21:05:56Z","offsetSeconds":86400}""";

    public const string Error422 = """{"reasonCode":"InvalidChargeStatus","message":"The charge is not in a state that allows this."}""";
}

/// <summary>An operator client wired to a <see cref="CapturingHandler"/>.</summary>
internal sealed class OperatorHarness : IDisposable
{
    public const string Token = "op-Z9x_y.z~1";

    private readonly HttpClient _http;

    public OperatorHarness(CapturingHandler? handler = null, string endpoint = "https://127.0.0.1:8443")
    {
        Handler = handler ?? new CapturingHandler(HttpStatusCode.OK, SampleJson.Clock);
        _http = new HttpClient(Handler);
        Client = new TillpointOperatorClient(_http, new Uri(endpoint), Token);
    }

    public CapturingHandler Handler { get; }

    public TillpointOperatorClient Client { get; }

    public CapturedRequest Request => Handler.Single;

    public void Dispose()
    {
        Client.Dispose();
        _http.Dispose();
    }
}
