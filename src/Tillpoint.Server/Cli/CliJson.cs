using System.Text.Json.Serialization;

namespace Tillpoint.Server.Cli;

// The --json shapes, documented in the README. Scripts parse them: add properties, never rename or remove one.
internal sealed record MerchantJson(string MerchantId, string StoreId)
{
    /// <summary>The merchant's region, na, eu, uk or jp.</summary>
    public string? Region { get; init; }

    /// <summary>The roles granted (<c>merchants list</c>); absent where a verb does not show them.</summary>
    public List<string>? Roles { get; init; }

    /// <summary>How its account requests are routed, auto, register or create (<c>merchants list</c>).</summary>
    public string? AccountApi { get; init; }
}

/// <summary>A merchant's account API routing after <c>merchants set-account-api</c>.</summary>
internal sealed record MerchantAccountApiJson(string MerchantId, string AccountApi);

/// <summary>A merchant's roles after <c>merchants grant</c> or <c>revoke</c>, and whether the verb changed them.</summary>
internal sealed record MerchantRolesJson(string MerchantId, List<string> Roles, bool Changed);

/// <summary>An MWS auth token (<c>merchants authorize-token</c>, <c>revoke-token</c>).</summary>
internal sealed record MwsAuthTokenJson(string MwsAuthToken, string MerchantId, string SolutionProviderId, bool Revoked);

internal sealed record KeyJson(string PublicKeyId, string? PrivateKeyPath);

internal sealed record KeyListJson(string PublicKeyId, string MerchantId, string? Environment, bool Revoked);

internal sealed record MigrateJson(string Store, int SchemaVersion, List<int> Applied);

/// <summary>Where the new token is: its file (null with PostgreSQL) and the command or query that reads it.</summary>
internal sealed record OperatorTokenJson(string? File, string Read);

internal sealed record ExportJson(string Path, string Kind, string Format, string From, string To, long Rows, long Events);

/// <summary>An error on stderr under <c>--json</c>: the message and the exit code the process ends with.</summary>
internal sealed record ErrorJson(string Error, int Code);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MerchantJson))]
[JsonSerializable(typeof(List<MerchantJson>))]
[JsonSerializable(typeof(MerchantRolesJson))]
[JsonSerializable(typeof(MerchantAccountApiJson))]
[JsonSerializable(typeof(MwsAuthTokenJson))]
[JsonSerializable(typeof(KeyJson))]
[JsonSerializable(typeof(List<KeyListJson>))]
[JsonSerializable(typeof(MigrateJson))]
[JsonSerializable(typeof(OperatorTokenJson))]
[JsonSerializable(typeof(ExportJson))]
[JsonSerializable(typeof(ErrorJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
