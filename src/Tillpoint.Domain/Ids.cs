using System.Security.Cryptography;

namespace Tillpoint.Domain;

/// <summary>Creates object identifiers in Amazon Pay's formats. Injected so tests can make them predictable.</summary>
public interface IIdGenerator
{
    string NewCheckoutSessionId();

    /// <summary><c>S01-1234567-1234567</c> in Sandbox, <c>P01-…</c> in Live.</summary>
    string NewChargePermissionId(ReleaseEnvironment environment);

    /// <summary><c>{chargePermissionId}-C{6 digits}</c>.</summary>
    string NewChargeId(string chargePermissionId);

    /// <summary><c>{chargePermissionId}-R{6 digits}</c>.</summary>
    string NewRefundId(string chargePermissionId);

    /// <summary><c>{chargePermissionId}-B{6 digits}</c>.</summary>
    string NewDisputeId(string chargePermissionId);

    string NewRequestId();
}

public sealed class RandomIdGenerator : IIdGenerator
{
    public static RandomIdGenerator Instance { get; } = new();

    public string NewCheckoutSessionId() => Guid.NewGuid().ToString("D");

    public string NewChargePermissionId(ReleaseEnvironment environment) =>
        $"{(environment == ReleaseEnvironment.Sandbox ? "S01" : "P01")}-{Digits(7)}-{Digits(7)}";

    public string NewChargeId(string chargePermissionId) => $"{chargePermissionId}-C{Digits(6)}";

    public string NewRefundId(string chargePermissionId) => $"{chargePermissionId}-R{Digits(6)}";

    public string NewDisputeId(string chargePermissionId) => $"{chargePermissionId}-B{Digits(6)}";

    public string NewRequestId() => Guid.NewGuid().ToString("N");

    private static string Digits(int count) =>
        RandomNumberGenerator.GetInt32((int)Math.Pow(10, count - 1), (int)Math.Pow(10, count))
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
}
