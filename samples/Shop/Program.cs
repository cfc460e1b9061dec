using Tillpoint.Shop;
using Tillpoint.Shop.Configuration;

// The shop: see ShopApp for what it is made of and README.md for how to run it.
try
{
    await using var app = ShopApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (ShopConfigurationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}
