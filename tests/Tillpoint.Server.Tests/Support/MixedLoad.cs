using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Domain;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Server.Tests.Support;

/// <summary>
/// Many clients acting on one charge permission at once: a random mix of captures (some over the allowance), partial
/// refunds, cancels and new charges, about a third of them retries of an earlier request with its key. Afterwards the
/// stored state is checked against every money rule and against what was answered. The requests can go to one node,
/// be spread over several, or meet a node that dies (see <see cref="RunAsync"/>'s <c>send</c>).
/// </summary>
public static class MixedLoad
{
    public const int Requests = 200;
    public const int Workers = 10;

    /// <summary>The permission's limit: 1000.00 ordered plus the 75.00 allowance.</summary>
    private const decimal Limit = 1075.00m;

    private static readonly string[] ExpectedRefusals = ["InvalidChargeStatus", "TransactionAmountExceeded", "TransactionCountExceeded"];

    public enum Kind
    {
        Capture,
        Refund,
        Cancel,
        CreateCharge,
    }

    /// <summary>One request to send. Two with the same key are a retry: same method, path and body.</summary>
    public sealed record Operation(Kind Kind, HttpMethod Method, string Path, string Body, string? Key, string? ChargeId, decimal Amount)
    {
        public Task<AmazonPayRawResponse> SendAsync(AmazonPayClient client) =>
            client.SendAsync(Method, Path, Encoding.UTF8.GetBytes(Body), new RequestOptions { IdempotencyKey = Key });
    }

    public sealed record Answer(Operation Operation, int StatusCode, string Body)
    {
        public bool IsSuccess => StatusCode is >= 200 and < 300;

        public string Field(string name) => JsonDocument.Parse(Body).RootElement.GetProperty(name).GetString()!;

        public static async Task<Answer> Of(Operation operation, Task<AmazonPayRawResponse> sending)
        {
            var response = await sending;
            return new Answer(operation, response.StatusCode, Encoding.UTF8.GetString(response.Body));
        }
    }

    /// <summary>A permission of 1000.00 with six authorized charges of 150.00, made through <paramref name="host"/>.</summary>
    public static async Task<(string PermissionId, List<string> Charges)> PrepareAsync(TillpointHost host, TestMerchant merchant)
    {
        using var client = host.Client(merchant);
        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant, "1000.00");
        var charges = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            charges.Add((await Payments.CreateChargeAsync(client, permissionId, "150.00")).Value.ChargeId!);
        }

        return (permissionId, charges);
    }

    /// <summary>
    /// Prepares the permission through <paramref name="host"/>, has <see cref="Workers"/> workers send the planned
    /// requests with <paramref name="send"/> (worker number, operation), then (after <paramref name="beforeChecks"/>)
    /// checks the money rules through <paramref name="host"/>, whose store all nodes share. Returns the answers.
    /// </summary>
    public static async Task<List<Answer>> RunAsync(
        TillpointHost host, TestMerchant merchant, Func<int, Operation, Task<Answer>> send, Action? beforeChecks = null, int seed = 20261127)
    {
        var (permissionId, charges) = await PrepareAsync(host, merchant);
        var operations = Plan(permissionId, charges, new Random(seed));
        var queue = new ConcurrentQueue<Operation>(operations);
        var answers = new ConcurrentBag<Answer>();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var operation))
            {
                answers.Add(await send(worker, operation));
            }
        })));
        Assert.Equal(operations.Count, answers.Count);
        beforeChecks?.Invoke();
        using var client = host.Client(merchant);
        await CheckAsync(host, merchant, client, permissionId, charges, [.. answers]);
        return [.. answers];
    }

    private static async Task CheckAsync(
        TillpointHost host, TestMerchant merchant, AmazonPayClient client, string permissionId, List<string> charges, List<Answer> answers)
    {
        var limit = Limit;
        // No server errors, and every refusal is one the money rules explain.
        Assert.DoesNotContain(answers, a => a.StatusCode >= 500);
        Assert.All(answers.Where(a => !a.IsSuccess), a =>
        {
            Assert.Equal(422, a.StatusCode);
            Assert.Contains(a.Field("reasonCode"), ExpectedRefusals);
        });
        // A retried key is answered exactly as the first time, whichever request got there first.
        foreach (var retries in answers.Where(a => a.Operation.Key is not null).GroupBy(a => (a.Operation.Path, a.Operation.Key)))
        {
            Assert.Single(retries.Select(a => (a.StatusCode, a.Body)).Distinct());
        }

        var (storedCharges, storedRefunds) = host.Store.Read(reader => (
            reader.GetChargesOfPermission(merchant.MerchantId, permissionId),
            reader.GetRefundsOfPermission(merchant.MerchantId, permissionId)));

        // Each key that succeeded made exactly one object, and nothing else made any.
        var createdCharges = SucceededPerKey(answers, Kind.CreateCharge).Select(a => a.Field("chargeId")).ToList();
        Assert.Equal(createdCharges.Count, createdCharges.Distinct().Count());
        Assert.Equal(charges.Concat(createdCharges).Order(), storedCharges.Select(c => c.ChargeId).Order());
        Assert.True(storedCharges.Count <= 25, $"{storedCharges.Count} charges on one permission");
        var createdRefunds = SucceededPerKey(answers, Kind.Refund).Select(a => a.Field("refundId")).ToList();
        Assert.Equal(createdRefunds.Count, createdRefunds.Distinct().Count());
        Assert.Equal(createdRefunds.Order(), storedRefunds.Select(r => r.RefundId).Order());

        foreach (var charge in storedCharges)
        {
            var captures = SucceededPerKey(answers, Kind.Capture).Where(a => a.Operation.ChargeId == charge.ChargeId).ToList();
            var refunds = storedRefunds.Where(r => r.ChargeId == charge.ChargeId).ToList();
            if (charge.State == ChargeState.Captured)
            {
                // Captured once, by one key, for that key's amount, within the authorization and its allowance.
                var capture = Assert.Single(captures);
                Assert.Equal(capture.Operation.Amount, charge.CaptureAmount!.Value.Amount);
                Assert.True(
                    charge.CaptureAmount.Value.Amount <= charge.ChargeAmount.Amount + Allowance(charge.ChargeAmount.Amount),
                    $"{charge.ChargeId} captured {charge.CaptureAmount} of {charge.ChargeAmount}");
                var refunding = refunds.Where(r => r.State != RefundState.Declined).Sum(r => r.RefundAmount.Amount);
                var captured = charge.CaptureAmount.Value.Amount;
                Assert.True(refunding <= captured + Allowance(captured), $"{charge.ChargeId} refunds {refunding} of {captured}");
            }
            else
            {
                Assert.Empty(captures);
                Assert.Empty(refunds);
                Assert.Contains(charge.State, new[] { ChargeState.Authorized, ChargeState.Canceled });
            }

            if (charge.State == ChargeState.Canceled)
            {
                Assert.Equal(ChargeReasonCode.MerchantCanceled, charge.ReasonCode);
                Assert.Contains(answers, a => a.Operation.Kind == Kind.Cancel && a.Operation.ChargeId == charge.ChargeId && a.IsSuccess);
            }
        }

        var held = storedCharges.Sum(c => c.State switch
        {
            ChargeState.Authorized => c.ChargeAmount.Amount,
            ChargeState.Captured => c.CaptureAmount!.Value.Amount,
            _ => 0m,
        });
        Assert.True(held <= limit, $"the charges hold {held} of a {limit} limit");
        var permission = (await client.GetChargePermissionAsync(permissionId)).Value;
        Assert.Equal(Text(limit - held), permission.Limits!.AmountBalance!.Amount);

        // Once every refund has settled, each charge's refundedAmount is exactly the sum of its refunds.
        await host.AdvanceSandboxAsync(TimeSpan.FromSeconds(30));
        var (settledCharges, settledRefunds) = host.Store.Read(reader => (
            reader.GetChargesOfPermission(merchant.MerchantId, permissionId),
            reader.GetRefundsOfPermission(merchant.MerchantId, permissionId)));
        Assert.All(settledRefunds, r => Assert.Equal(RefundState.Refunded, r.State));
        foreach (var charge in settledCharges)
        {
            var refunded = settledRefunds.Where(r => r.ChargeId == charge.ChargeId).Sum(r => r.RefundAmount.Amount);
            Assert.Equal(refunded, charge.RefundedAmount.Amount);
            Assert.Equal(Text(refunded), (await client.GetChargeAsync(charge.ChargeId)).Value.RefundedAmount!.Amount);
        }
    }

    /// <summary>
    /// A random mix: captures (some over the allowance), partial refunds, cancels and new charges, about a third of
    /// them retries of an earlier request with its key.
    /// </summary>
    private static List<Operation> Plan(string permissionId, List<string> charges, Random random)
    {
        string[] captureAmounts = ["100.00", "150.00", "172.50", "172.51"];
        string[] refundAmounts = ["10.00", "25.00", "40.00"];
        string[] chargeAmounts = ["5.00", "20.00"];
        var operations = new List<Operation>();
        while (operations.Count < Requests)
        {
            var kind = random.Next(100) switch
            {
                < 30 => Kind.Capture,
                < 65 => Kind.Refund,
                < 75 => Kind.Cancel,
                _ => Kind.CreateCharge,
            };
            var earlier = operations.Where(o => o.Kind == kind && o.Key is not null).ToList();
            if (earlier.Count > 0 && random.Next(3) == 0)
            {
                operations.Add(earlier[random.Next(earlier.Count)]);
                continue;
            }

            var chargeId = charges[random.Next(charges.Count)];
            var key = AmazonPayClient.NewIdempotencyKey();
            operations.Add(kind switch
            {
                Kind.Capture => WithAmount(kind, HttpMethod.Post, $"charges/{chargeId}/capture", "captureAmount", Pick(captureAmounts), key, chargeId),
                Kind.Refund => WithAmount(kind, HttpMethod.Post, "refunds", "refundAmount", Pick(refundAmounts), key, chargeId),
                Kind.Cancel => new Operation(kind, HttpMethod.Delete, $"charges/{chargeId}/cancel", "{\"cancellationReason\":\"race\"}", null, chargeId, 0m),
                Kind.CreateCharge => WithAmount(kind, HttpMethod.Post, "charges", "chargeAmount", Pick(chargeAmounts), key, null),
            });
        }

        return operations;

        string Pick(string[] amounts) => amounts[random.Next(amounts.Length)];

        Operation WithAmount(Kind kind, HttpMethod method, string path, string field, string amount, string key, string? chargeId)
        {
            var owner = kind switch
            {
                Kind.Refund => $"\"chargeId\":\"{chargeId}\",",
                Kind.CreateCharge => $"\"chargePermissionId\":\"{permissionId}\",",
                _ => string.Empty,
            };
            var body = $"{{{owner}\"{field}\":{{\"amount\":\"{amount}\",\"currencyCode\":\"USD\"}}}}";
            return new Operation(kind, method, path, body, key, chargeId, decimal.Parse(amount, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>One successful answer per key of the kind (retries answer the same).</summary>
    private static IEnumerable<Answer> SucceededPerKey(List<Answer> answers, Kind kind) =>
        answers.Where(a => a.Operation.Kind == kind && a.IsSuccess).GroupBy(a => a.Operation.Key).Select(g => g.First());

    /// <summary>The over-capture and over-refund allowance: 15 %, at most 75 (spec §7.3, §7.4).</summary>
    private static decimal Allowance(decimal amount) => Math.Min(decimal.Round(amount * 0.15m, 2, MidpointRounding.ToZero), 75m);

    private static string Text(decimal amount) => new Money(amount, Currency.USD).ToAmountString();
}
