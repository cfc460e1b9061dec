using System.CommandLine;
using Tillpoint.Server.Commands;

namespace Tillpoint.Server.Cli;

internal static partial class TillpointCli
{
    private static Command MerchantsCommand(CliOutput io)
    {
        var command = new Command("merchants", "Manage merchants.") { MerchantsCreate(io), MerchantsList(io) };
        WithExamples(command, "tillpoint merchants create --name \"My shop\"", "tillpoint merchants list --json");
        return command;
    }

    private static Command MerchantsCreate(CliOutput io)
    {
        var storage = new StoreArguments();
        var json = JsonOption();
        var name = new Option<string>("--name") { Description = "A name for people.", DefaultValueFactory = _ => "Sandbox merchant" };
        var command = new Command("create", "Create a merchant with a merchant id and a store id.") { name, json };
        storage.AddTo(command);
        WithExamples(command, "tillpoint merchants create --name \"My shop\" --json   # {\"merchantId\":\"A…\",\"storeId\":\"amzn1.application-oa2-client.…\"}");
        command.SetAction((parse, cancellationToken) => WithStoreAsync(storage.Read(parse), io, async store =>
        {
            var merchant = await store.WriteAsync(write => Merchants.Create(write, parse.GetValue(name)!, io.Clock.GetUtcNow()), cancellationToken);
            io.Print(
                parse.GetValue(json),
                new MerchantJson(merchant.MerchantId, merchant.StoreId),
                CliJsonContext.Default.MerchantJson,
                $"Merchant {merchant.MerchantId}\nStore id {merchant.StoreId}");
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
            var merchants = store.Read(reader => reader.ListMerchants());
            io.Print(
                parse.GetValue(json),
                [.. merchants.Select(m => new MerchantJson(m.MerchantId, m.StoreId))],
                CliJsonContext.Default.ListMerchantJson,
                Table(["MERCHANT ID", "STORE ID", "NAME"], merchants.Select(m => new[] { m.MerchantId, m.StoreId, m.Name })));
            return ExitCodes.Success;
        }));
        return command;
    }
}
