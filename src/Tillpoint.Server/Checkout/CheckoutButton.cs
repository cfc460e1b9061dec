using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Api;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Signing;
using static Tillpoint.Server.Checkout.HostedPage;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// The Amazon Pay button (spec §9.2): <c>/checkout.js</c>, the script merchant pages load instead of Amazon's, and
/// <c>/checkout/start</c>, where its checkout button sends the browser with the signed
/// <c>createCheckoutSessionConfig</c>. Start checks the signature, creates the Checkout Session exactly as Create
/// Checkout Session would, and hands the buyer to the hosted pages.
/// </summary>
internal static class CheckoutButton
{
    private const string ScriptResource = "Tillpoint.Server.Checkout.checkout.js";
    private const string StartPath = "/checkout/start";

    /// <summary>The browser's random id (16 bytes, base64url), which keeps one browser's clicks apart from another's.</summary>
    private const string BrowserCookie = "tillpoint_checkout_browser";
    private const int BrowserIdLength = 22;

    private static readonly string[] StartParameters = ["payload", "signature", "publicKeyId", "algorithm", "sandbox", "productType", "merchantId"];
    private static readonly Lazy<EmbeddedFile> CheckoutScript = new(
        () => EmbeddedFile.Load(ScriptResource, "application/javascript; charset=utf-8", TimeSpan.FromMinutes(5)));

    public static void MapCheckoutButton(this WebApplication app)
    {
        app.MapMethods("/checkout.js", [HttpMethods.Get, HttpMethods.Head], ServeScript);
        app.MapGet(StartPath, StartAsync);
    }

    /// <summary>The script, cacheable and revalidated by its ETag (<see cref="EmbeddedFile"/>).</summary>
    private static IResult ServeScript(HttpContext context)
    {
        var headers = context.Response.Headers;
        // Loaded by merchants' pages on other origins, possibly with crossorigin="anonymous" (for integrity checks).
        headers.AccessControlAllowOrigin = "*";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        return CheckoutScript.Value.Serve(context);
    }

    /// <summary>
    /// <c>GET /checkout/start?payload=…&amp;signature=…&amp;publicKeyId=…[&amp;algorithm=…][&amp;sandbox=…][&amp;productType=…][&amp;merchantId=…]</c>:
    /// 303 to the new session's hosted page, or a 400 page naming what is wrong. Nothing is created on refusal.
    /// </summary>
    private static async Task<IResult> StartAsync(
        HttpContext context, PublicKeyCache keys, ITillpointStore store, IIdGenerator ids, BusinessClocks clocks, ServerOptions options)
    {
        var request = Read(context.Request.Query, keys);
        if (!request.IsSuccess)
        {
            return Refused(context, HostedLanguage.EnglishUS, request.Error);
        }

        var (caller, command, signature, payload) = request.Value;
        var language = PageLanguages.FromButton(context.Request.Query, store, caller.MerchantId);
        if (!language.IsSuccess)
        {
            return Refused(context, PageLanguages.OfMerchant(store, caller.MerchantId), language.Error);
        }

        var owner = new Owner(caller.MerchantId, caller.Environment);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(payload));
        // Made before the write, which may run more than once: a retried write must not see another browser id.
        var fresh = NewBrowserId();
        var browser = BrowserIdOf(context) ?? fresh;
        var outcome = await store.WriteAsync(
            write =>
            {
                var scope = ScopeOf(caller, signature, command.ProductType, browser);
                var remembered = write.FindIdempotency(scope);
                if (remembered is not null && !remembered.RequestHash.AsSpan().SequenceEqual(hash))
                {
                    return new DomainError(ErrorCode.DuplicateIdempotencyKey, "This signature was already used for another payload.");
                }

                if (remembered is not null && OpenSessionId(write, Encoding.UTF8.GetString(remembered.ResponseBody), clocks) is { } open)
                {
                    return (Result<(string, string)>)(open, browser);
                }

                // This browser's session from this button is over (paid, canceled, expired): the click starts a new one,
                // under a new browser id, as a click on a button rendered again would.
                var started = remembered is null ? browser : fresh;
                var created = CheckoutSessionCommands.Create(write, new CommandContext(owner, clocks.Now(caller.Environment), options.Limits, null, ids), command);
                if (!created.IsSuccess)
                {
                    return created.Error;
                }

                var id = created.Value.CheckoutSessionId;
                write.PutIdempotency(
                    ScopeOf(caller, signature, command.ProductType, started),
                    new IdempotencyRecord(hash, StatusCodes.Status303SeeOther, Encoding.UTF8.GetBytes(id)));
                return (Result<(string, string)>)(id, started);
            },
            CancellationToken.None);

        if (!outcome.IsSuccess)
        {
            return Refused(context, language.Value, outcome.Error);
        }

        var (checkoutSessionId, browserId) = outcome.Value;
        PageLanguages.Remember(context, checkoutSessionId, language.Value);
        context.Response.Cookies.Append(
            BrowserCookie,
            browserId,
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = StartPath });
        return SeeOther($"/checkout/{Uri.EscapeDataString(checkoutSessionId)}");
    }

    /// <summary>
    /// The verified button and its payload as a Create Checkout Session command. The signature is checked before the
    /// payload is read; then the payload goes through the API's own parser and mapper, so it meets the same rules.
    /// </summary>
    private static Result<(ApiCaller Caller, CreateCheckoutSession Command, string Signature, string Payload)> Read(IQueryCollection query, PublicKeyCache keys)
    {
        var verified = ButtonPayloads.VerifyQuery(query, keys, StartParameters);
        if (!verified.IsSuccess)
        {
            return verified.Error;
        }

        var (caller, payload) = verified.Value;
        // As verified: a '+' that arrived as a space is put back, so both spellings of one link are one button.
        var signature = query["signature"].ToString().Replace(' ', '+');
        var command = ToCreate(caller, payload, query["merchantId"], query["productType"], buyNow: false);
        return command.IsSuccess ? (caller, command.Value, signature, payload) : command.Error;
    }

    /// <summary>
    /// A verified button's payload as a Create Checkout Session command: the button's <c>merchantId</c> must be the
    /// key's merchant, its <c>productType</c> is the session's, and the payload meets the API's own parser and mapper. A
    /// Buy Now payload may leave out <c>webCheckoutDetails</c>: its buyer is never redirected.
    /// </summary>
    internal static Result<CreateCheckoutSession> ToCreate(ApiCaller caller, string payload, string? merchantId, string? productTypeName, bool buyNow)
    {
        if (merchantId is { Length: > 0 } && merchantId != caller.MerchantId)
        {
            return DomainError.InvalidValue("merchantId", $"'{merchantId}' is not the merchant that owns key '{caller.PublicKeyId}'.");
        }

        var productType = ReadProductType(productTypeName);
        if (productType.Error is not null)
        {
            return productType.Error;
        }

        var parsed = ButtonPayloads.Parse(payload, ApiRequestJsonContext.Default.CreateCheckoutSessionRequest);
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }

        if (buyNow)
        {
            parsed.Value.WebCheckoutDetails ??= new WebCheckoutDetailsDto();
        }

        var command = RequestMapper.ToCreate(parsed.Value);
        return command.IsSuccess ? command.Value with { ProductType = productType.Value, BuyNow = buyNow } : command.Error;
    }

    /// <summary>The button's <c>productType</c>: it decides whether the buyer is asked for a shipping address.</summary>
    private static Result<ProductType?> ReadProductType(string? value) => value switch
    {
        null or "" => (ProductType?)null,
        nameof(ProductType.PayAndShip) => (ProductType?)ProductType.PayAndShip,
        nameof(ProductType.PayOnly) => (ProductType?)ProductType.PayOnly,
        nameof(ProductType.PayAndShipMultiAddress) => (ProductType?)ProductType.PayAndShipMultiAddress,
        "SignIn" => DomainError.InvalidValue("productType", "a SignIn button signs in at /signin with its signInConfig, it does not start a checkout."),
        _ => DomainError.InvalidValue("productType", $"'{value}' is not PayAndShip, PayOnly or PayAndShipMultiAddress."),
    };

    /// <summary>
    /// A double click, a reload or the back button must not open a second session for one button in one browser, so
    /// the session is remembered under a key derived from the button's signature and the browser's id (a cookie set by
    /// Start). The signature rather than the payload: RSASSA-PSS signatures are salted at random, so a merchant page
    /// that signs its payload when it renders gives every render its own signature, and a page rendered again (the buyer
    /// came back to the cart) starts a new session. The browser's id keeps apart the buyers who open the same signed
    /// button (a cached or static page): each gets a session of their own, as the merchant's own Create Checkout Session
    /// call per click would give them.
    /// </summary>
    private static IdempotencyScope ScopeOf(ApiCaller caller, string signature, ProductType? productType, string browserId)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{signature}\n{productType}\n{browserId}"));
        // 24 bytes are 32 base64url characters, the API's longest idempotency key.
        var key = Base64Url.EncodeToString(digest.AsSpan(0, 24));
        return new IdempotencyScope(caller.MerchantId, caller.Environment, HttpMethods.Get, StartPath, key);
    }

    /// <summary>The browser's id from its cookie, or null when it has none (or one this server would not have made).</summary>
    private static string? BrowserIdOf(HttpContext context) =>
        context.Request.Cookies.TryGetValue(BrowserCookie, out var id)
        && id.Length == BrowserIdLength
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? id
            : null;

    private static string NewBrowserId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The remembered session's id while the buyer can still use it: open and not yet processed.</summary>
    private static string? OpenSessionId(IWriteSession write, string checkoutSessionId, BusinessClocks clocks) =>
        write.FindCheckoutSession(checkoutSessionId) is { } stored
        && stored.AsOf(clocks.Now(stored.Environment)).Value is { State: CheckoutSessionState.Open, Processed: false }
            ? checkoutSessionId
            : null;

    /// <summary>
    /// The button's refusal: in the checkout's language, the merchant's region's when that language is what is wrong, and
    /// English before the merchant is known, as the sign-in button's. The reason is the API's wording, in English like
    /// the API's.
    /// </summary>
    private static IResult Refused(HttpContext context, HostedLanguage language, DomainError error) => Notice(
        StatusCodes.Status400BadRequest,
        new PageFrame(language, PageFrame.CheckoutBanner, PageText.Of("ButtonUnusable")),
        new NoticeLine(PageText.Given(error.Message)) { Alert = true, Id = "checkout-error", Code = error.Code.ToString() },
        BackToShopLine(context, CancelUrlOf(context.Request.Query["payload"]), PageText.Of("ButtonWrong")));

    /// <summary>The button's <c>checkoutCancelUrl</c> (the shop's cart, usually), read without trusting it.</summary>
    private static string? CancelUrlOf(string? payload)
    {
        try
        {
            using var json = JsonDocument.Parse(payload ?? string.Empty);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("webCheckoutDetails", out var details) && details.ValueKind == JsonValueKind.Object
                && details.TryGetProperty("checkoutCancelUrl", out var url) && url.ValueKind == JsonValueKind.String
                ? url.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
