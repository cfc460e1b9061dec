namespace Tillpoint.Shop.Configuration;

/// <summary>Everything the shop is told at start-up, checked and with relative paths made absolute.</summary>
public sealed record ShopOptions
{
    /// <summary>Where the shop calls the Amazon Pay API (Tillpoint's HTTPS address, server to server).</summary>
    public required Uri TillpointUrl { get; init; }

    /// <summary>
    /// Where buyers' browsers reach Tillpoint (checkout.js and the hosted pages). Usually the same as
    /// <see cref="TillpointUrl"/>; it differs when the shop reaches Tillpoint on an internal address.
    /// </summary>
    public required Uri TillpointPublicUrl { get; init; }

    public required string MerchantId { get; init; }

    public required string StoreId { get; init; }

    public required string PublicKeyId { get; init; }

    public required string PrivateKeyPath { get; init; }

    /// <summary>
    /// Tillpoint's self-signed certificate (PEM) to trust for <see cref="TillpointUrl"/>, besides the system's CAs;
    /// <see langword="null"/> to trust only the system's CAs.
    /// </summary>
    public string? CertificatePath { get; init; }

    /// <summary>Sandbox or Live, for keys without a <c>SANDBOX-</c>/<c>LIVE-</c> prefix and for the button.</summary>
    public bool Sandbox { get; init; } = true;

    /// <summary>The folder holding the orders database.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The shop's own address for return URLs; when unset, the address the buyer's request came to.</summary>
    public Uri? ShopUrl { get; init; }

    /// <summary>merchantMetadata.merchantStoreName: shown to the buyer by Amazon Pay (at most 50 characters).</summary>
    public string StoreName { get; init; } = "Tillpoint Demo Shop";

    /// <summary>What the buyer's statement shows after <c>AMZ*</c> (at most 16 characters).</summary>
    public string SoftDescriptor { get; init; } = "TILLPOINT SHOP";

    /// <summary>The ledger currency; prices are in it.</summary>
    public string Currency { get; init; } = "USD";
}
