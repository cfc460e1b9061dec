using System.CommandLine;
using Tillpoint.Domain.MerchantAccounts;
using Tillpoint.Domain.Regions;
using Tillpoint.Server.Commands;

namespace Tillpoint.Server.Cli;

internal static partial class TillpointCli
{
    private static Command MerchantsCommand(CliOutput io)
    {
        var command = new Command("merchants", "Manage merchants.")
        {
            MerchantsCreate(io), MerchantsList(io), MerchantsGrant(io), MerchantsRevoke(io), MerchantsAuthorizeToken(io), MerchantsRevokeToken(io),
            MerchantsSetAccountApi(io), MerchantsSetThrottling(io),
        };
        WithExamples(
            command,
            "tillpoint merchants create --name \"My shop\"",
            "tillpoint merchants create --name \"Mein Laden\" --region eu",
            "tillpoint merchants list --json",
            "tillpoint merchants grant --merchant A1B2C3D4E5F6G7 --role psp");
        return command;
    }

    private static Command MerchantsCreate(CliOutput io)
    {
        var storage = new StoreArguments();
        var json = JsonOption();
        var name = new Option<string>("--name") { Description = "A name for people.", DefaultValueFactory = _ => "Sandbox merchant" };
        var region = new Option<Region>("--region")
        {
            Description = "The Amazon Pay region: its ledger currency and the currencies buyers may pay in " +
                "(na: USD; eu: EUR, uk: GBP, both with multi-currency; jp: JPY).",
            HelpName = OptionValues.HelpName<Region>(),
            DefaultValueFactory = _ => Region.NA,
            CustomParser = result => OptionValues.Name(result, Region.NA),
        };
        var command = new Command("create", "Create a merchant with a merchant id and a store id.") { name, region, json };
        storage.AddTo(command);
        WithExamples(
            command,
            "tillpoint merchants create --name \"My shop\" --json   # {\"merchantId\":\"A…\",\"storeId\":\"amzn1.application-oa2-client.…\",\"region\":\"na\"}",
            "tillpoint merchants create --name \"Ichiba\" --region jp");
        command.SetAction((parse, cancellationToken) => WithStoreAsync(storage.Read(parse), io, async store =>
        {
            var merchant = await store.WriteAsync(
                write => Merchants.Create(write, parse.GetValue(name)!, parse.GetValue(region), io.Clock.GetUtcNow(), RandomSource.Cryptographic), cancellationToken);
            io.Print(
                parse.GetValue(json),
                new MerchantJson(merchant.MerchantId, merchant.StoreId) { Region = RegionRules.Name(merchant.Region) },
                CliJsonContext.Default.MerchantJson,
                $"Merchant {merchant.MerchantId}\nStore id {merchant.StoreId}\nRegion {RegionRules.Name(merchant.Region)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command MerchantsList(CliOutput io)
    {
        var storage = new StoreArguments();
        var json = JsonOption();
        var command = new Command("list", "List merchants.") { json };
        storage.AddTo(command);
        WithExamples(command, "tillpoint merchants list", "tillpoint merchants list --data-dir ./data --json");
        command.SetAction(parse => WithStore(storage.Read(parse), io, store =>
        {
            var (merchants, grants, apis) = store.Read(reader => (reader.ListMerchants(), reader.ListRoleGrants(), MerchantAccountCommands.Apis(reader)));
            var roles = grants.ToLookup(g => g.MerchantId, g => MerchantGrants.Name(g.Role));
            string AccountApi(Merchant m) => MerchantAccountCommands.Name(apis.GetValueOrDefault(m.MerchantId));
            io.Print(
                parse.GetValue(json),
                [
                    .. merchants.Select(m => new MerchantJson(m.MerchantId, m.StoreId)
                    {
                        Region = RegionRules.Name(m.Region), Roles = [.. roles[m.MerchantId]], AccountApi = AccountApi(m),
                    }),
                ],
                CliJsonContext.Default.ListMerchantJson,
                Table(
                    ["MERCHANT ID", "STORE ID", "NAME", "REGION", "ROLES", "ACCOUNT API"],
                    merchants.Select(m => new[]
                    {
                        m.MerchantId, m.StoreId, m.Name, RegionRules.Name(m.Region), string.Join(',', roles[m.MerchantId]), AccountApi(m),
                    })));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command MerchantsGrant(CliOutput io) => RoleCommand(
        io,
        "grant",
        "Grant a merchant a role: psp (Update Charge, Create and Update Dispute) or solution-provider (merchant accounts, authorization tokens).",
        "tillpoint merchants grant --merchant A1B2C3D4E5F6G7 --role solution-provider",
        (store, merchantId, role, cancellationToken) => MerchantGrants.GrantAsync(store, merchantId, role, io.Clock.GetUtcNow(), cancellationToken),
        "Granted");

    private static Command MerchantsRevoke(CliOutput io) => RoleCommand(
        io,
        "revoke",
        "Revoke a role from a merchant: its calls to the role's operations are refused from then on.",
        "tillpoint merchants revoke --merchant A1B2C3D4E5F6G7 --role psp",
        MerchantGrants.RevokeAsync,
        "Revoked");

    /// <summary>
    /// <c>grant</c> and <c>revoke</c>: the same options, both idempotent (doing it again succeeds and says so), an unknown
    /// role a usage error and an unknown merchant exit code 3.
    /// </summary>
    private static Command RoleCommand(
        CliOutput io,
        string name,
        string description,
        string example,
        Func<ITillpointStore, string, MerchantRole, CancellationToken, Task<GrantOutcome>> change,
        string done)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var json = JsonOption();
        var role = new Option<MerchantRole>("--role")
        {
            Description = "The role.",
            HelpName = MerchantGrants.Names,
            Required = true,
            CustomParser = result =>
            {
                var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
                if (MerchantGrants.Parse(value) is { } parsed)
                {
                    return parsed;
                }

                result.AddError($"--role must be {MerchantGrants.Names.Replace("|", " or ", StringComparison.Ordinal)}, not '{value}'.");
                return default;
            },
        };
        var command = new Command(name, description) { merchant, role, json };
        storage.AddTo(command);
        WithExamples(command, example);
        command.SetAction((parse, cancellationToken) => WithStoreAsync(storage.Read(parse), io, async store =>
        {
            var merchantId = parse.GetValue(merchant)!;
            var chosen = parse.GetValue(role);
            var outcome = await change(store, merchantId, chosen, cancellationToken);
            if (outcome == GrantOutcome.UnknownMerchant)
            {
                return io.Fail(ExitCodes.NotFound, NoMerchant(merchantId));
            }

            var roles = store.Read(reader => reader.GetMerchantRoles(merchantId)).Select(MerchantGrants.Name).ToList();
            var roleName = MerchantGrants.Name(chosen);
            io.Print(
                parse.GetValue(json),
                new MerchantRolesJson(merchantId, roles, outcome == GrantOutcome.Changed),
                CliJsonContext.Default.MerchantRolesJson,
                outcome == GrantOutcome.Changed
                    ? $"{done} {roleName} {(name == "grant" ? "to" : "from")} {merchantId}"
                    : $"{merchantId} {(name == "grant" ? "already has" : "does not have")} the {roleName} role; nothing changed");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// <c>set-account-api</c>: how a partner's <c>POST</c> and <c>PATCH /merchantAccounts</c> choose between the two API
    /// generations, which share those paths; an unknown choice is a usage error, an unknown merchant exit code 3.
    /// </summary>
    private static Command MerchantsSetAccountApi(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var json = JsonOption();
        var api = new Option<MerchantAccountApi>("--flavour")
        {
            Description = "auto: the body chooses register or create and x-amz-pay-authtoken the update; register: always Register and " +
                "Update Amazon Pay Account; create: always Create and Update Merchant Account.",
            HelpName = OptionValues.HelpName<MerchantAccountApi>(),
            Required = true,
            CustomParser = result => OptionValues.Name(result, MerchantAccountApi.Auto),
        };
        var command = new Command(
            "set-account-api",
            "Choose how a partner's merchant account requests are routed between Register/Update Amazon Pay Account and Create/Update Merchant Account.")
        {
            merchant, api, json,
        };
        storage.AddTo(command);
        WithExamples(command, "tillpoint merchants set-account-api --merchant A1B2C3D4E5F6G7 --flavour create");
        command.SetAction((parse, cancellationToken) => WithStoreAsync(storage.Read(parse), io, async store =>
        {
            var merchantId = parse.GetValue(merchant)!;
            var chosen = parse.GetValue(api);
            if (!await MerchantAccountCommands.SetApiAsync(store, merchantId, chosen, cancellationToken))
            {
                return io.Fail(ExitCodes.NotFound, NoMerchant(merchantId));
            }

            var name = MerchantAccountCommands.Name(chosen);
            io.Print(
                parse.GetValue(json),
                new MerchantAccountApiJson(merchantId, name),
                CliJsonContext.Default.MerchantAccountApiJson,
                $"Account API of {merchantId}: {name}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command MerchantsAuthorizeToken(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var solutionProvider = new Option<string>("--solution-provider")
        {
            Description = "The merchant id of the solution provider (it needs the solution-provider role to use the token).",
            Required = true,
        };
        var json = JsonOption();
        var command = new Command(
            "authorize-token",
            "Issue an MWS auth token: the merchant's delegation to a solution provider, which exchanges it with Get Authorization Token.")
        {
            merchant, solutionProvider, json,
        };
        storage.AddTo(command);
        WithExamples(
            command,
            "tillpoint merchants authorize-token --merchant A1B2C3D4E5F6G7 --solution-provider A7G6F5E4D3C2B1 --json   # {\"mwsAuthToken\":\"amzn.mws.…\",…}");
        command.SetAction((parse, cancellationToken) => WithStoreAsync(storage.Read(parse), io, async store =>
        {
            var issued = await MerchantGrants.AuthorizeTokenAsync(
                store, parse.GetValue(merchant)!, parse.GetValue(solutionProvider)!, io.Clock.GetUtcNow(), cancellationToken);
            return PrintToken(io, parse.GetValue(json), issued, "MWS auth token");
        }));
        return command;
    }

    private static Command MerchantsRevokeToken(CliOutput io)
    {
        var storage = new StoreArguments();
        var json = JsonOption();
        var token = new Argument<string>("mws-auth-token") { Description = "The MWS auth token to revoke." };
        var command = new Command("revoke-token", "Revoke an MWS auth token: the solution provider can no longer act for the merchant with it.")
        {
            token, json,
        };
        storage.AddTo(command);
        WithExamples(command, "tillpoint merchants revoke-token amzn.mws.00000000-0000-0000-0000-000000000000");
        command.SetAction((parse, cancellationToken) => WithStoreAsync(storage.Read(parse), io, async store =>
        {
            var revoked = await MerchantGrants.RevokeTokenAsync(store, parse.GetValue(token)!, io.Clock.GetUtcNow(), cancellationToken);
            return PrintToken(io, parse.GetValue(json), revoked, "Revoked");
        }));
        return command;
    }

    private static int PrintToken(CliOutput io, bool json, Result<MwsAuthTokenRecord> result, string label)
    {
        if (!result.IsSuccess)
        {
            return io.Fail(
                result.Error.Code switch
                {
                    ErrorCode.ResourceNotFound => ExitCodes.NotFound,
                    ErrorCode.InvalidRequest => ExitCodes.Conflict,
                    _ => ExitCodes.Usage,
                },
                result.Error.Message);
        }

        var record = result.Value;
        io.Print(
            json,
            new MwsAuthTokenJson(record.MwsAuthToken, record.MerchantId, record.SolutionProviderId, record.RevokedAt is not null),
            CliJsonContext.Default.MwsAuthTokenJson,
            $"{label} {record.MwsAuthToken}\nMerchant {record.MerchantId}\nSolution provider {record.SolutionProviderId}");
        return ExitCodes.Success;
    }
}
