using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Api;
using Tillpoint.Server.Idempotency;

namespace Tillpoint.Server.Docs;

/// <summary>Marks the endpoint of a merchant API operation that the API reference documents (its /sandbox/v2 form).</summary>
internal sealed record DocumentedOperation(ApiOperation Operation);

/// <summary>
/// The merchant API's OpenAPI document (at <see cref="DocumentPath"/>, generated from the mapped routes on the first
/// request, never at start-up) and the Scalar viewer at <see cref="ViewerPath"/>, which loads nothing from elsewhere.
/// </summary>
internal static class ApiReference
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ViewerPath = "/docs";
    public const string SecuritySchemeName = "AmazonPaySignature";

    /// <summary>The path prefix the document shows; /live/v2 and /v2 serve the same operations.</summary>
    public const string DocumentedPrefix = "/sandbox/v2";

    private const string Json = "application/json";

    private static readonly System.Reflection.MethodInfo DescribedHandler =
        typeof(ApiReference).GetMethod(nameof(Handler), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    public static void AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.ShouldInclude = description =>
                description.ActionDescriptor.EndpointMetadata.Any(metadata => metadata is DocumentedOperation);
            options.AddDocumentTransformer(DescribeDocumentAsync);
            options.AddOperationTransformer(DescribeOperationAsync);
        });

    /// <summary>The endpoint metadata of one operation's route; only the documented prefix gets the OpenAPI part.</summary>
    public static void Describe(IEndpointConventionBuilder endpoint, ApiOperation operation, bool documented)
    {
        endpoint.WithMetadata(operation);
        if (!documented)
        {
            return;
        }

        var metadata = new List<object>
        {
            // API Explorer describes only endpoints with a handler method; the real handler is a RequestDelegate (no
            // binding, nothing generated), so this stand-in with no parameters gives it one.
            DescribedHandler,
            new DocumentedOperation(operation),
            new EndpointNameMetadata(operation.Name),
            new EndpointSummaryAttribute(operation.Summary),
            new EndpointDescriptionAttribute(operation.Description),
            new TagsAttribute(operation.Tag),
        };
        if (operation.RequestBody is { } body)
        {
            metadata.Add(new AcceptsMetadata([Json], body, operation.RequestBodyOptional));
        }

        // 204 No Content has no body to describe.
        metadata.AddRange(operation.SuccessStatuses.Select(status =>
            status == StatusCodes.Status204NoContent
                ? new ProducesResponseTypeMetadata(status, typeof(void))
                : new ProducesResponseTypeMetadata(status, operation.Response, [Json])));
        metadata.AddRange(operation.ErrorStatuses.Select(status => new ProducesResponseTypeMetadata(status, typeof(ErrorResponse), [Json])));
        endpoint.WithMetadata([.. metadata]);
    }

    public static void MapApiReference(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference(ViewerPath, options => options
            .WithTitle("Tillpoint merchant API")
            .WithOpenApiRoutePattern(DocumentPath)
            // Offline: no fonts from a CDN, no telemetry, no hosted AI agent or MCP links; the script is served from
            // the package's embedded copy (ViewerPath/scalar.js).
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            // No vendor bar ("Share", "Generate SDK", "Deploy"): its links lead to Scalar's hosted services.
            .HideDeveloperTools()
            .HideClientButton()
            // No "Test Request": every request must carry an RSASSA-PSS signature made with the merchant's private key,
            // which the browser does not have, so a request sent from here could only be refused.
            .HideTestRequestButton());
    }

    /// <summary>
    /// Scalar's page configures itself with an inline script and styles its components inline; it loads scripts,
    /// the document and nothing else from this server.
    /// </summary>
    public static Task ViewerHeadersAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(ViewerPath))
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
                "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
        }

        return next(context);
    }

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Tillpoint merchant API",
            Version = "v2",
            Description =
                "The Amazon Pay Checkout API v2 as Tillpoint serves it. Paths are shown with the /sandbox/v2 prefix the SDKs " +
                "use for sandbox keys; /live/v2/... is the same operation in the live environment, and /v2/... is the same " +
                "operation for keys whose id names their environment (SANDBOX-… or LIVE-…). Every request is signed " +
                "(AMZN-PAY-RSASSA-PSS-V2, see the security scheme); every refusal is a JSON {reasonCode, message}.",
        };
        // Relative, so the viewer and clients use the server they loaded the document from, and the document is the same
        // whatever address it was fetched at.
        document.Servers = [new OpenApiServer { Url = "/", Description = "This Tillpoint server" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [SecuritySchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "Authorization",
                Description =
                    "AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=<key id>, SignedHeaders=<lower-case names, ';'-separated>, Signature=<base64>. " +
                    "The signature is RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) over 'AMZN-PAY-RSASSA-PSS-V2\\n' + hex(SHA-256(canonical " +
                    "request)); the canonical request is the method, path, query, the signed headers (at least x-amz-pay-date, " +
                    "x-amz-pay-host and x-amz-pay-region, plus x-amz-pay-idempotency-key whenever it is sent) and hex(SHA-256(body)). The official SDKs compute it; the key pair is made with " +
                    "'tillpoint keys create'.",
            },
        };
        // In the order of a checkout, not alphabetical.
        document.Tags = new SortedSet<OpenApiTag>(
            ApiOperations.Tags.Select(tag => new OpenApiTag { Name = tag.Name, Description = tag.Description }),
            Comparer<OpenApiTag>.Create((x, y) => ApiOperations.TagOrder(x.Name).CompareTo(ApiOperations.TagOrder(y.Name))));
        return Task.CompletedTask;
    }

    private static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var described = context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedOperation>().Single().Operation;
        operation.OperationId = described.Name;
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] }];
        operation.Parameters ??= [];
        // The handler binds nothing, so API Explorer knows no route parameters: they are taken from the template.
        foreach (var segment in (context.Description.RelativePath ?? string.Empty).Split('/'))
        {
            if (segment is ['{', .., '}'])
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = segment[1..^1],
                    In = ParameterLocation.Path,
                    Required = true,
                    Description = segment == "{buyerToken}"
                        ? "The buyerToken the sign-in gave the merchant's return URL."
                        : "The id the API returned when the resource was created.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
        }

        operation.Parameters.Add(Header("x-amz-pay-date", true, "The request's time, UTC, as yyyyMMddTHHmmssZ; at most 15 minutes old. Signed."));
        operation.Parameters.Add(Header("x-amz-pay-host", true, "The host (and port) the request is sent to. Signed."));
        operation.Parameters.Add(Header("x-amz-pay-region", true, "The region: na, eu or jp (us, uk and de are accepted). Signed."));
        switch (described.IdempotencyKey)
        {
            case IdempotencyKeyUse.Required:
            case IdempotencyKeyUse.Optional:
                operation.Parameters.Add(Header(
                    IdempotencyKeys.Header,
                    described.IdempotencyKey == IdempotencyKeyUse.Required,
                    "At most 32 characters of A-Z, a-z, 0-9, '-' and '_'. A repeat of the same request with the same key gets the " +
                    "first answer again; a different request with it is refused (400 DuplicateIdempotencyKey)."));
                break;
            case IdempotencyKeyUse.None:
                break;
        }

        if (described.AcceptsSimulation)
        {
            operation.Parameters.Add(Header(
                ApiOperation.SimulationHeader,
                false,
                "Sandbox only: a JSON object {\"type\":\"SimulationCode\",\"value\":\"<code>\"} asking for a simulated outcome of this operation."));
        }

        if (operation.RequestBody?.Content?.TryGetValue(Json, out var request) == true)
        {
            request.Example = ApiExamples.Request(described.Name);
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            SetDescription(response, status);
            if (response.Content?.TryGetValue(Json, out var body) == true)
            {
                body.Example = ApiExamples.Response(described.Name, int.Parse(status, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return Task.CompletedTask;
    }

    private static void SetDescription(IOpenApiResponse response, string status)
    {
        if (response is OpenApiResponse concrete)
        {
            concrete.Description = status switch
            {
                "200" => "The resource.",
                "201" => "Created.",
                "202" => "Accepted; the outcome is pending.",
                "204" => "Done; no body.",
                "303" => "See Other: Location is where to go next; the body says what was done.",
                "400" => "The request is malformed: headers, body or idempotency key (reasonCode says which).",
                "401" => "The public key is unknown, revoked or belongs to the other environment.",
                "403" => "The signature does not verify.",
                "404" => "No such resource for this merchant and environment.",
                "409" => "The request conflicts with the resource's amounts.",
                "422" => "The resource's state does not allow the operation.",
                "429" => "Too many requests.",
                "500" => "The server failed; the request changed nothing.",
                _ => concrete.Description,
            };
        }
    }

    private static Task Handler() => Task.CompletedTask;

    private static OpenApiParameter Header(string name, bool required, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = required,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
