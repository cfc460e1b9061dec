using System.Net;
using System.Text.RegularExpressions;
using Tillpoint.Client;
using Tillpoint.Domain.Disputes;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Dashboard;

/// <summary>
/// The dashboard's disputes: opened from a captured charge's page as the sandbox's bank would, listed, shown, and moved
/// on as `tillpoint disputes act` does; every bad form refused with its reason and nothing changed.
/// </summary>
public sealed partial class DashboardDisputeTests
{
    [Fact]
    public async Task OpenDispute_FromACapturedChargesPage_IsShownOnItsPage_TheCharge_AndTheList()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(host, client, merchant, "30.00", "dispute-1", captureNow: true);
        var chargePath = DashboardClient.Path("charges", merchant, charge.ChargeId!);
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var (_, chargePage) = await dashboard.GetAsync(chargePath);

        using var opened = await dashboard.ConfirmAsync($"{chargePath}/dispute", ("amount", "12.50"), ("reason", "ProductNotReceived"));
        var disputeId = Disputes(host, merchant, charge).Single().DisputeId;
        var (status, disputePage) = await dashboard.GetAsync(opened.Headers.Location!.OriginalString);
        var (_, chargeAfter) = await dashboard.GetAsync(chargePath);
        var (_, list) = await dashboard.GetAsync($"/dashboard/disputes?merchant={merchant.MerchantId}&state=ActionRequired");
        var (_, overview) = await dashboard.GetAsync("/dashboard");

        Assert.Contains("id=\"action-dispute\"", chargePage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, opened.StatusCode);
        Assert.Equal($"{DashboardClient.Path("disputes", merchant, disputeId)}?done=dispute-opened", opened.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("The dispute was opened", disputePage, StringComparison.Ordinal);
        Assert.Contains("<span id=\"dispute-state\"><span class=\"badge badge-actionrequired\">ActionRequired</span></span>", disputePage, StringComparison.Ordinal);
        Assert.Contains("<span id=\"amount-disputed\">12.50 USD</span>", disputePage, StringComparison.Ordinal);
        Assert.Contains("<span id=\"amount-held\">12.50 USD</span>", disputePage, StringComparison.Ordinal);
        Assert.Contains("ProductNotReceived", disputePage, StringComparison.Ordinal);
        Assert.Contains(charge.ChargeId!, disputePage, StringComparison.Ordinal);
        Assert.Contains("id=\"act-accept\"", disputePage, StringComparison.Ordinal);
        Assert.Contains("id=\"act-withdraw\"", disputePage, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"act-decide\"", disputePage, StringComparison.Ordinal);
        Assert.Contains(disputeId, Section(chargeAfter, "disputes"), StringComparison.Ordinal);
        Assert.Contains(disputeId, Section(list, "results"), StringComparison.Ordinal);
        Assert.Contains(charge.ChargeId!, Section(list, "results"), StringComparison.Ordinal);
        Assert.Contains("ProductNotReceived", Section(list, "results"), StringComparison.Ordinal);
        Assert.Contains("href=\"/dashboard/disputes\"", overview, StringComparison.Ordinal);
        Assert.Equal("12.50", (await client.GetDisputeAsync(disputeId)).Value.DisputeAmount!.Amount);
    }

    [Fact]
    public async Task OpenDispute_WithoutAnAmount_DisputesTheWholeCapture_AndAFormPostedTwiceOpensOne()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(host, client, merchant, "30.00", "dispute-2", captureNow: true);
        var path = $"{DashboardClient.Path("charges", merchant, charge.ChargeId!)}/dispute";
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var (_, form) = await dashboard.GetAsync(path);
        (string, string)[] fields = [("formKey", FormKey().Match(form).Groups[1].Value), ("amount", string.Empty), ("reason", "Fraudulent")];

        using var first = await dashboard.PostAsync(path, DashboardClient.Token(form), fields);
        using var second = await dashboard.PostAsync(path, DashboardClient.Token(form), fields);

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        var dispute = Assert.Single(Disputes(host, merchant, charge));
        Assert.Equal((30.00m, DisputeFilingReason.Fraudulent), (dispute.DisputeAmount.Amount, dispute.FilingReason));
    }

    [Theory]
    [InlineData("abc", "Fraudulent", "Enter a positive amount in USD")]
    [InlineData("0", "Fraudulent", "Enter a positive amount in USD")]
    [InlineData("-1.00", "Fraudulent", "Enter a positive amount in USD")]
    [InlineData("1.234", "Fraudulent", "Enter a positive amount in USD")]
    [InlineData("5.00", "Because", "Choose the filing reason")]
    [InlineData("5.00", "", "Choose the filing reason")]
    [InlineData("30.01", "Fraudulent", "exceeds what the charge still holds")]
    public async Task OpenDispute_WithABadForm_SaysWhy_AndOpensNothing(string amount, string reason, string why)
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(host, client, merchant, "30.00", "dispute-3", captureNow: true);
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var refused = await dashboard.ConfirmAsync($"{DashboardClient.Path("charges", merchant, charge.ChargeId!)}/dispute", ("amount", amount), ("reason", reason));
        var page = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Contains(why, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Empty(Disputes(host, merchant, charge));
    }

    [Fact]
    public async Task OpenDispute_OnAChargeNotCaptured_IsRefused_AndTheChargeOffersNoDispute()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(host, client, merchant, "30.00", "dispute-4");
        var chargePath = DashboardClient.Path("charges", merchant, charge.ChargeId!);
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var (_, chargePage) = await dashboard.GetAsync(chargePath);

        using var refused = await dashboard.ConfirmAsync($"{chargePath}/dispute", ("amount", "5.00"), ("reason", "Fraudulent"));
        var unknown = await dashboard.GetAsync(DashboardClient.Path("charges", merchant, "S01-0000000-0000000-C000000") + "/dispute");

        Assert.DoesNotContain("action-dispute", chargePage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("only a Captured charge can be disputed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Disputes(host, merchant, charge));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task Act_MovesTheDisputeAsTheCliDoes_RequestEvidence_ThenDecide()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var (_, disputeId) = await OpenedDisputeAsync(host, client, merchant);
        var path = DashboardClient.Path("disputes", merchant, disputeId);
        using var dashboard = await DashboardClient.SignedInAsync(host);
        await ContestAsync(client, disputeId, "1Z999");

        using var asked = await ActAsync(dashboard, path, "act-requestevidence", ("action", "RequestEvidence"));
        var afterAsk = (await client.GetDisputeAsync(disputeId)).Value;
        await ContestAsync(client, disputeId, "1Z1000");
        var (_, reviewed) = await dashboard.GetAsync(path);
        using var decided = await ActAsync(dashboard, path, "act-decide", ("action", "Decide"), ("resolution", "MerchantWon"));
        var (_, page) = await dashboard.GetAsync(path + "?done=dispute-moved");

        Assert.Equal(HttpStatusCode.SeeOther, asked.StatusCode);
        Assert.Equal(("ActionRequired", "MerchantAdditionalEvidencesRequired"), (afterAsk.StatusDetails!.State, afterAsk.StatusDetails.ReasonCode));
        Assert.Contains("id=\"act-decide\"", reviewed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, decided.StatusCode);
        var got = (await client.GetDisputeAsync(disputeId)).Value;
        Assert.Equal(("Resolved", "InvestigatorResolved", "MerchantWon"), (got.StatusDetails!.State, got.StatusDetails.ReasonCode, got.StatusDetails.Resolution));
        Assert.Contains("The dispute was moved on.", page, StringComparison.Ordinal);
        Assert.Contains("<span id=\"dispute-resolution\">MerchantWon</span>", page, StringComparison.Ordinal);
        Assert.Contains("<span id=\"amount-held\">0.00 USD</span>", page, StringComparison.Ordinal);
        Assert.Contains("1Z999", page, StringComparison.Ordinal);
        Assert.Contains("1Z1000", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"act-", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Accept", "Resolved", "BuyerWon")]
    [InlineData("Withdraw", "Closed", "MerchantWon")]
    public async Task Act_OnAnActionRequiredDispute_ByTheMerchantOrTheBuyer_DecidesIt(string action, string state, string resolution)
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var (_, disputeId) = await OpenedDisputeAsync(host, client, merchant);
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var done = await ActAsync(dashboard, DashboardClient.Path("disputes", merchant, disputeId), $"act-{action.ToLowerInvariant()}", ("action", action));

        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        var got = (await client.GetDisputeAsync(disputeId)).Value;
        Assert.Equal((state, resolution), (got.StatusDetails!.State, got.StatusDetails.Resolution));
    }

    [Theory]
    [InlineData("Shrug", "", HttpStatusCode.BadRequest, "the action must be one of Decide, RequestEvidence, Withdraw, Accept")]
    [InlineData("", "", HttpStatusCode.BadRequest, "the action must be one of")]
    [InlineData("Accept", "BuyerWon", HttpStatusCode.BadRequest, "a resolution goes with Decide only")]
    [InlineData("Decide", "", HttpStatusCode.BadRequest, "choose the resolution, one of BuyerWon, MerchantWon, NoFault")]
    [InlineData("Decide", "Everybody", HttpStatusCode.BadRequest, "choose the resolution")]
    [InlineData("Decide", "BuyerWon", HttpStatusCode.UnprocessableEntity, "The Dispute is in ActionRequired state and cannot be decided.")]
    [InlineData("RequestEvidence", "", HttpStatusCode.UnprocessableEntity, "cannot be sent back to the merchant")]
    public async Task Act_WithABadForm_OrInAStateThatRefusesIt_SaysWhy_AndChangesNothing(string action, string resolution, HttpStatusCode status, string why)
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var (_, disputeId) = await OpenedDisputeAsync(host, client, merchant);
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var before = host.Store.Read(reader => reader.GetDispute(merchant.MerchantId, disputeId))!;

        using var refused = await ActAsync(dashboard, DashboardClient.Path("disputes", merchant, disputeId), "act-accept", ("action", action), ("resolution", resolution));
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());

        Assert.Equal(status, refused.StatusCode);
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Contains(why, page, StringComparison.Ordinal);
        var after = host.Store.Read(reader => reader.GetDispute(merchant.MerchantId, disputeId))!;
        Assert.Equal((before.Version, before.State, before.LastUpdatedTimestamp), (after.Version, after.State, after.LastUpdatedTimestamp));
    }

    [Fact]
    public async Task Contest_FromTheDisputesPage_SendsTheEvidence_AsContestDisputeDoes()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var (_, disputeId) = await OpenedDisputeAsync(host, client, merchant);
        var path = DashboardClient.Path("disputes", merchant, disputeId);
        using var dashboard = await DashboardClient.SignedInAsync(host);

        using var contested = await PostFormAsync(dashboard, path, "contest", "contest", ("evidenceType", "TrackingNumber"), ("evidenceText", "1Z42"));
        var (_, page) = await dashboard.GetAsync(path + "?done=dispute-contested");

        Assert.Equal(HttpStatusCode.SeeOther, contested.StatusCode);
        var got = (await client.GetDisputeAsync(disputeId)).Value;
        Assert.Equal("UnderReview", got.StatusDetails!.State);
        Assert.Equal(("TrackingNumber", "1Z42"), (Assert.Single(got.MerchantEvidences!).EvidenceType, got.MerchantEvidences![0].EvidenceText));
        Assert.Contains("The evidence was sent: the dispute is under review.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"contest\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "1Z42", "choose the evidence, one of ProductDescription")]
    [InlineData("Tracking", "1Z42", "choose the evidence")]
    [InlineData("TrackingNumber", " ", "write the evidence")]
    public async Task Contest_WithABadForm_SaysWhy_AndChangesNothing(string type, string text, string why)
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var (_, disputeId) = await OpenedDisputeAsync(host, client, merchant);
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var before = host.Store.Read(reader => reader.GetDispute(merchant.MerchantId, disputeId))!;

        using var refused = await PostFormAsync(
            dashboard, DashboardClient.Path("disputes", merchant, disputeId), "contest", "contest", ("evidenceType", type), ("evidenceText", text));
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(why, page, StringComparison.Ordinal);
        var after = host.Store.Read(reader => reader.GetDispute(merchant.MerchantId, disputeId))!;
        Assert.Equal((before.Version, before.State), (after.Version, after.State));
    }

    [Fact]
    public async Task DisputePages_OfUnknownDisputes_AreNotFound_AndABadListFilterSaysWhy()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var dashboard = await DashboardClient.SignedInAsync(host);
        var (_, overview) = await dashboard.GetAsync("/dashboard");
        var path = DashboardClient.Path("disputes", merchant, "S01-0000000-0000000-B000000");

        var (shown, _) = await dashboard.GetAsync(path);
        using var acted = await dashboard.PostAsync(path + "/act", DashboardClient.Token(overview), ("action", "Accept"), ("formKey", "k1"));
        var (listed, list) = await dashboard.GetAsync("/dashboard/disputes?state=Captured");

        Assert.Equal(HttpStatusCode.NotFound, shown);
        Assert.Equal(HttpStatusCode.NotFound, acted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, listed);
        Assert.Contains("'Captured' is not a state of a dispute; use one of ActionRequired, UnderReview, Resolved, Closed.", WebUtility.HtmlDecode(list), StringComparison.Ordinal);
    }

    private static async Task<(string ChargeId, string DisputeId)> OpenedDisputeAsync(TillpointHost host, AmazonPayClient client, TestMerchant merchant)
    {
        var charge = await DashboardData.AuthorizedChargeAsync(host, client, merchant, "30.00", "dispute-act", captureNow: true);
        var opened = await host.CliAsync("disputes", "open", "--merchant", merchant.MerchantId, "--charge", charge.ChargeId!, "--amount", "10.00");
        Assert.Equal(0, opened.ExitCode);
        return (charge.ChargeId!, Disputes(host, merchant, charge).Single().DisputeId);
    }

    /// <summary>Posts the form <paramref name="formId"/> of the dispute's page with its own hidden fields and <paramref name="fields"/>.</summary>
    private static Task<HttpResponseMessage> ActAsync(DashboardClient dashboard, string path, string formId, params (string Name, string Value)[] fields) =>
        PostFormAsync(dashboard, path, formId, "act", fields);

    private static async Task<HttpResponseMessage> PostFormAsync(
        DashboardClient dashboard, string path, string formId, string to, params (string Name, string Value)[] fields)
    {
        var (status, page) = await dashboard.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        var form = page[page.IndexOf($"id=\"{formId}\"", StringComparison.Ordinal)..];
        return await dashboard.PostAsync($"{path}/{to}", DashboardClient.Token(page), [("formKey", FormKey().Match(form).Groups[1].Value), .. fields]);
    }

    private static Task ContestAsync(AmazonPayClient client, string disputeId, string tracking) =>
        client.ContestDisputeAsync(disputeId, new ContestDisputeRequest { MerchantEvidences = [new MerchantEvidenceDto { EvidenceType = "TrackingNumber", EvidenceText = tracking }] });

    private static IReadOnlyList<Dispute> Disputes(TillpointHost host, TestMerchant merchant, ChargeDto charge) =>
        host.Store.Read(reader => reader.GetDisputesOfPermission(merchant.MerchantId, charge.ChargePermissionId!));

    /// <summary>The HTML of the table <paramref name="id"/>.</summary>
    private static string Section(string page, string id)
    {
        var start = page.IndexOf($"<table id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the page has no table '{id}'");
        return page[start..page.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("name=\"formKey\" value=\"([^\"]+)\"")]
    private static partial Regex FormKey();
}
