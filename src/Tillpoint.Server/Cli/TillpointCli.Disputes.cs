using System.CommandLine;
using Tillpoint.Domain.Disputes;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Api;
using Tillpoint.Server.Commands;

namespace Tillpoint.Server.Cli;

/// <summary>
/// <c>tillpoint disputes open|act</c>: the sandbox's ways to dispute a captured charge and move the dispute on, so a
/// merchant can test its dispute handling (docs/disputes.md). <c>--json</c> prints the Dispute as the API answers it.
/// </summary>
internal static partial class TillpointCli
{
    private static Command DisputesCommand(CliOutput io) => WithExamples(
        new Command("disputes", "Open and move on disputes in Sandbox, to test a shop's dispute handling.") { DisputesOpen(io), DisputesAct(io) },
        "tillpoint disputes open --merchant A1B2C3D4E5F6G7 --charge S01-1234567-1234567-C123456",
        "tillpoint disputes act --merchant A1B2C3D4E5F6G7 --dispute S01-1234567-1234567-B123456 --action decide --resolution BuyerWon");

    private static Command DisputesOpen(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var charge = new Option<string>("--charge") { Description = "The captured Sandbox charge the buyer disputes.", Required = true };
        var amount = new Option<string?>("--amount") { Description = "The disputed amount in the charge's currency (default: the whole capture)." };
        var reason = new Option<string>("--reason")
        {
            Description = $"The filing reason: {string.Join(", ", Enum.GetNames<DisputeFilingReason>())}.",
            DefaultValueFactory = _ => nameof(DisputeFilingReason.Fraudulent),
        };
        var json = JsonOption();
        var command = new Command("open", "Open a chargeback against a captured Sandbox charge: ActionRequired, with the response window from the sandbox clock's now.")
        {
            merchant, charge, amount, reason, json,
        };
        storage.AddTo(command);
        WithExamples(
            command,
            "tillpoint disputes open --merchant A1B2C3D4E5F6G7 --charge S01-1234567-1234567-C123456",
            "tillpoint disputes open --merchant A1B2C3D4E5F6G7 --charge S01-1234567-1234567-C123456 --amount 5.00 --reason ProductNotReceived --json");
        command.SetAction((parse, cancellationToken) =>
        {
            var filingReason = RequestMapper.Enum<DisputeFilingReason>(parse.GetValue(reason), "--reason");
            if (!filingReason.IsSuccess)
            {
                return Task.FromResult(io.Fail(filingReason.Error));
            }

            var chargeId = parse.GetValue(charge)!;
            var text = parse.GetValue(amount);
            return DisputeActionAsync(storage.Read(parse), io, parse.GetValue(merchant)!, parse.GetValue(json), (session, context) =>
            {
                Money? disputed = null;
                if (text is not null)
                {
                    var currency = session.GetCharge(context.Owner.MerchantId, chargeId)?.ChargeAmount.Currency ?? Currency.USD;
                    if (!Money.TryParse(text, currency, out var parsed))
                    {
                        return DomainError.InvalidValue("--amount", $"'{text}' is not a {currency} amount.");
                    }

                    disputed = parsed;
                }

                return DisputeCommands.OpenInSandbox(session, context, chargeId, disputed, filingReason.Value!.Value);
            }, cancellationToken);
        });
        return command;
    }

    private static Command DisputesAct(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var dispute = new Option<string>("--dispute") { Description = "The Sandbox dispute.", Required = true };
        var action = new Option<string>("--action")
        {
            Description = "decide (an UnderReview dispute, with --resolution), request-evidence (UnderReview back to ActionRequired), withdraw (the buyer), accept (the merchant, ActionRequired).",
            Required = true,
        };
        var resolution = new Option<string?>("--resolution") { Description = "With decide: BuyerWon, MerchantWon or NoFault." };
        var json = JsonOption();
        var command = new Command("act", "Move a Sandbox dispute on as its investigator, its buyer or its merchant would.") { merchant, dispute, action, resolution, json };
        storage.AddTo(command);
        WithExamples(
            command,
            "tillpoint disputes act --merchant A1B2C3D4E5F6G7 --dispute S01-1234567-1234567-B123456 --action decide --resolution BuyerWon",
            "tillpoint disputes act --merchant A1B2C3D4E5F6G7 --dispute S01-1234567-1234567-B123456 --action withdraw --json");
        command.SetAction((parse, cancellationToken) =>
        {
            SandboxDisputeAction? chosen = parse.GetValue(action) switch
            {
                "decide" => SandboxDisputeAction.Decide,
                "request-evidence" => SandboxDisputeAction.RequestEvidence,
                "withdraw" => SandboxDisputeAction.Withdraw,
                "accept" => SandboxDisputeAction.Accept,
                _ => null,
            };
            var decided = RequestMapper.Enum<DisputeResolution>(parse.GetValue(resolution), "--resolution");
            if (chosen is null)
            {
                return Task.FromResult(io.Fail($"--action must be decide, request-evidence, withdraw or accept, not '{parse.GetValue(action)}'."));
            }

            if (!decided.IsSuccess)
            {
                return Task.FromResult(io.Fail(decided.Error));
            }

            if ((chosen == SandboxDisputeAction.Decide) != (decided.Value is not null))
            {
                return Task.FromResult(io.Fail("--resolution goes with --action decide, and only with it."));
            }

            var id = parse.GetValue(dispute)!;
            return DisputeActionAsync(storage.Read(parse), io, parse.GetValue(merchant)!, parse.GetValue(json),
                (session, context) => DisputeCommands.Act(session, context, id, chosen.Value, decided.Value), cancellationToken);
        });
        return command;
    }

    /// <summary>Runs a Sandbox dispute command for the merchant on the sandbox's business clock, and prints the dispute.</summary>
    private static Task<int> DisputeActionAsync(
        StoreOptions options, CliOutput io, string merchantId, bool json, Func<IWriteSession, CommandContext, Result<Dispute>> act,
        CancellationToken cancellationToken) =>
        WithMerchantStoreAsync(options, merchantId, io, async store =>
        {
            var clocks = new BusinessClocks(io.Clock, store, TimeSpan.Zero);
            clocks.Load();
            var context = new CommandContext(
                new Owner(merchantId, ReleaseEnvironment.Sandbox), clocks.Now(ReleaseEnvironment.Sandbox), Limits.Default, null, RandomIdGenerator.Instance);
            var done = await store.WriteAsync(session => act(session, context), cancellationToken);
            if (!done.IsSuccess)
            {
                return io.Fail(
                    done.Error.Code switch
                    {
                        ErrorCode.ResourceNotFound => ExitCodes.NotFound,
                        ErrorCode.InvalidDisputeStatus or ErrorCode.InvalidChargeStatus => ExitCodes.Conflict,
                        _ => ExitCodes.Usage,
                    },
                    done.Error.Message);
            }

            var dispute = done.Value;
            io.Print(
                json,
                WireMapper.ToDto(dispute),
                ApiJsonContext.Default.DisputeDto,
                $"Dispute {dispute.DisputeId}: {dispute.State}{(dispute.Resolution is { } r ? $" ({r})" : string.Empty)}, {dispute.DisputeAmount}, respond by {dispute.MerchantResponseDeadline:yyyy-MM-dd HH:mm:ss}Z");
            return ExitCodes.Success;
        });
}
