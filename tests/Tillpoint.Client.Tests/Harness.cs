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
}
