using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Tillpoint.Server.Hosting;

/// <summary>
/// Keeps the data-protection key ring (anti-forgery tokens, the hosted pages' buyer cookie, sign-in buyer tokens) in the
/// store's settings, so every node sharing a database protects and unprotects with the same keys: a buyer's browser
/// and a merchant's buyer token may reach any node.
/// </summary>
internal sealed class StoreXmlRepository(ITillpointStore store) : IXmlRepository
{
    private const string Prefix = "data-protection-key:";

    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.Read(reader => reader.GetSettings(Prefix)).Select(setting => XElement.Parse(setting.Value))];

    /// <summary>Called rarely (a new key every 90 days, or on a first start), and synchronously by the framework.</summary>
    public void StoreElement(XElement element, string friendlyName) =>
        store.WriteAsync(write =>
        {
            write.PutSetting(Prefix + friendlyName, element.ToString(SaveOptions.DisableFormatting));
            return true;
        }).GetAwaiter().GetResult();
}
