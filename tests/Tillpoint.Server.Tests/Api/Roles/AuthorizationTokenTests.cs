using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Cli;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api.Roles;

/// <summary>
/// Get Authorization Token and the x-amz-pay-authtoken it yields: the operator issues an MWS auth token for a merchant to a
/// solution provider (<c>tillpoint merchants authorize-token</c>), which exchanges it and then acts for the merchant.
/// </summary>
public sealed class AuthorizationTokenTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private static RequestOptions ActingWith(string token) =>
        new() { ExtraHeaders = new Dictionary<string, string> { ["x-amz-pay-authtoken"] = token } };

    private async Task<string> AuthorizeTokenAsync(string merchantId, string solutionProviderId)
    {
        var (exit, output, error) = await Host.CliAsync(
            "merchants", "authorize-token", "--merchant", merchantId, "--solution-provider", solutionProviderId, "--json");
        Assert.True(exit == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["mwsAuthToken", "merchantId", "solutionProviderId", "revoked"], json.EnumerateObject().Select(p => p.Name));
        return json.GetProperty("mwsAuthToken").GetString()!;
    }

    /// <summary>A merchant with an authorized charge, a solution provider with the role, and the MWS auth token between them.</summary>
    private async Task<(TestMerchant Merchant, string ChargeId, TestMerchant Provider, AmazonPayClient ProviderClient, string MwsAuthToken)> DelegatedAsync()
    {
        var merchant = await Host.CreateMerchantAsync();
        var client = Host.Client(merchant);
        var permission = await Payments.ChargePermissionAsync(Host, client, merchant);
        var chargeId = (await Payments.CreateChargeAsync(client, permission, "20.00")).Value.ChargeId!;
        var provider = await Host.CreateMerchantAsync();
        await Host.CliAsync("merchants", "grant", "--merchant", provider.MerchantId, "--role", "solution-provider");
        return (merchant, chargeId, provider, Host.Client(provider), await AuthorizeTokenAsync(merchant.MerchantId, provider.MerchantId));
    }

    [Fact]
    public async Task GetAuthorizationToken_WithTheRole_AnswersAToken_ThatActsForTheMerchant()
    {
        var (merchant, chargeId, _, provider, mwsAuthToken) = await DelegatedAsync();

        var response = await provider.GetAuthorizationTokenAsync(mwsAuthToken, merchant.MerchantId);

        Assert.Equal(200, response.StatusCode);
        var token = response.Value.AuthorizationToken!;
        Assert.Matches("^eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$", token);
        var raw = await provider.SendAsync(HttpMethod.Get, $"authorizationTokens/{mwsAuthToken}?merchantId={merchant.MerchantId}", null);
        Assert.Equal(["authorizationToken"], JsonDocument.Parse(raw.Body).RootElement.EnumerateObject().Select(p => p.Name));
        var charge = (await provider.GetChargeAsync(chargeId, ActingWith(token))).Value;
        Assert.Equal(chargeId, charge.ChargeId);
        // Without the header, the provider acts as itself, and the merchant's charge is not its own.
        Assert.Equal(new Outcome(404, "ResourceNotFound"), await Payments.OutcomeAsync(() => provider.GetChargeAsync(chargeId)));
    }

    [Fact]
    public async Task GetAuthorizationToken_WithoutTheRole_Is401_ThenGranted200_ThenRevoked401()
    {
        var (merchant, _, provider, client, mwsAuthToken) = await DelegatedAsync();
        await Host.CliAsync("merchants", "revoke", "--merchant", provider.MerchantId, "--role", "solution-provider");

        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => client.GetAuthorizationTokenAsync(mwsAuthToken, merchant.MerchantId));
        await Host.CliAsync("merchants", "grant", "--merchant", provider.MerchantId, "--role", "solution-provider");
        var granted = await Payments.OutcomeAsync(() => client.GetAuthorizationTokenAsync(mwsAuthToken, merchant.MerchantId));
        await Host.CliAsync("merchants", "revoke", "--merchant", provider.MerchantId, "--role", "solution-provider");
        var revoked = await Payments.OutcomeAsync(() => client.GetAuthorizationTokenAsync(mwsAuthToken, merchant.MerchantId));

        Assert.Equal((401, "UnauthorizedAccess"), (refused.StatusCode, refused.ReasonCode));
        Assert.Contains("needs the solution-provider role", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new Outcome(200, null), granted);
        Assert.Equal(new Outcome(401, "UnauthorizedAccess"), revoked);
    }

    [Fact]
    public async Task GetAuthorizationToken_ForAnotherMerchant_AnotherProvider_AnUnknownOrRevokedToken_Is401()
    {
        var (merchant, _, _, client, mwsAuthToken) = await DelegatedAsync();
        var (other, _, _, otherProvider, othersToken) = await DelegatedAsync();

        var wrongMerchant = await Payments.OutcomeAsync(() => client.GetAuthorizationTokenAsync(mwsAuthToken, other.MerchantId));
        var notItsToken = await Payments.OutcomeAsync(() => otherProvider.GetAuthorizationTokenAsync(mwsAuthToken, merchant.MerchantId));
        var unknown = await Payments.OutcomeAsync(() => client.GetAuthorizationTokenAsync("amzn.mws.00000000-0000-0000-0000-000000000000", merchant.MerchantId));
        Assert.Equal(0, (await Host.CliAsync("merchants", "revoke-token", othersToken)).ExitCode);
        var revoked = await Payments.OutcomeAsync(() => otherProvider.GetAuthorizationTokenAsync(othersToken, other.MerchantId));

        Assert.Equal(new Outcome(401, "UnauthorizedAccess"), wrongMerchant);
        Assert.Equal(new Outcome(401, "UnauthorizedAccess"), notItsToken);
        Assert.Equal(new Outcome(401, "UnauthorizedAccess"), unknown);
        Assert.Equal(new Outcome(401, "UnauthorizedAccess"), revoked);
    }

    [Theory]
    [InlineData("", 400, "MissingParameterValue")]
    [InlineData("?merchantId=", 400, "MissingParameterValue")]
    [InlineData("?merchantId=A&merchantId=B", 400, "InvalidParameterValue")]
    public async Task GetAuthorizationToken_WithoutOneMerchantId_Is400(string query, int status, string reasonCode)
    {
        var (_, _, provider, _, mwsAuthToken) = await DelegatedAsync();
        using var client = Host.Client(provider);

        var raw = await client.SendAsync(HttpMethod.Get, $"authorizationTokens/{mwsAuthToken}{query}", null);

        Assert.Equal(status, raw.StatusCode);
        Assert.Equal(reasonCode, JsonDocument.Parse(raw.Body).RootElement.GetProperty("reasonCode").GetString());
        Assert.Contains("merchantId", JsonDocument.Parse(raw.Body).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthToken_OnceTheMwsAuthTokenIsRevoked_Is403_AndSoIsOneIssuedToAnotherProvider()
    {
        var (merchant, chargeId, _, provider, mwsAuthToken) = await DelegatedAsync();
        var (_, _, _, otherProvider, _) = await DelegatedAsync();
        var token = (await provider.GetAuthorizationTokenAsync(mwsAuthToken, merchant.MerchantId)).Value.AuthorizationToken!;

        var stolen = await Assert.ThrowsAsync<AmazonPayException>(() => otherProvider.GetChargeAsync(chargeId, ActingWith(token)));
        Assert.Equal(0, (await Host.CliAsync("merchants", "revoke-token", mwsAuthToken)).ExitCode);
        var revoked = await Assert.ThrowsAsync<AmazonPayException>(() => provider.GetChargeAsync(chargeId, ActingWith(token)));

        Assert.Equal((403, "InvalidAuthorizationToken"), (stolen.StatusCode, stolen.ReasonCode));
        Assert.Contains("issued to another solution provider", stolen.Message, StringComparison.Ordinal);
        Assert.Equal((403, "InvalidAuthorizationToken"), (revoked.StatusCode, revoked.ReasonCode));
        Assert.Contains("revoked", revoked.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthToken_OnceTheProviderLosesItsRole_Is403()
    {
        var (merchant, chargeId, providerMerchant, provider, mwsAuthToken) = await DelegatedAsync();
        var token = (await provider.GetAuthorizationTokenAsync(mwsAuthToken, merchant.MerchantId)).Value.AuthorizationToken!;

        await Host.CliAsync("merchants", "revoke", "--merchant", providerMerchant.MerchantId, "--role", "solution-provider");

        Assert.Equal(new Outcome(403, "InvalidAuthorizationToken"), await Payments.OutcomeAsync(() => provider.GetChargeAsync(chargeId, ActingWith(token))));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("eyJhbGciOiJub25lIn0.e30.")]
    [InlineData("a.b.c.d")]
    public async Task AuthToken_ThatTillpointDidNotIssue_Is403_AndChangesNothing(string token)
    {
        var (_, chargeId, _, provider, _) = await DelegatedAsync();

        var outcome = await Payments.OutcomeAsync(() => provider.CancelChargeAsync(chargeId, new CancelChargeRequest(), ActingWith(token)));

        Assert.Equal(new Outcome(403, "InvalidAuthorizationToken"), outcome);
    }

    [Fact]
    public async Task AuthToken_ActsForTheMerchantInWrites_Too()
    {
        var (merchant, chargeId, _, provider, mwsAuthToken) = await DelegatedAsync();
        var token = (await provider.GetAuthorizationTokenAsync(mwsAuthToken, merchant.MerchantId)).Value.AuthorizationToken!;

        var canceled = (await provider.CancelChargeAsync(chargeId, new CancelChargeRequest(), ActingWith(token))).Value;

        Assert.Equal("Canceled", canceled.StatusDetails!.State);
        Assert.Equal("Canceled", await Payments.ChargeStateAsync(Host.Client(merchant), chargeId));
    }

    [Fact]
    public async Task AuthorizeToken_ForUnknownMerchants_IsNotFound_AndToItselfAUsageError()
    {
        var merchant = await Host.CreateMerchantAsync();

        var (unknownExit, _, unknownError) = await Host.CliAsync(
            "merchants", "authorize-token", "--merchant", merchant.MerchantId, "--solution-provider", "ANOBODY");
        var (selfExit, selfOutput, selfError) = await Host.CliAsync(
            "merchants", "authorize-token", "--merchant", merchant.MerchantId, "--solution-provider", merchant.MerchantId);
        var (revokeExit, _, revokeError) = await Host.CliAsync("merchants", "revoke-token", "amzn.mws.unknown");

        Assert.Equal(ExitCodes.NotFound, unknownExit);
        Assert.Equal("error: No merchant with id 'ANOBODY'.", unknownError.Trim());
        Assert.Equal(ExitCodes.Usage, selfExit);
        Assert.Empty(selfOutput);
        Assert.Contains("cannot delegate to itself", selfError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, revokeExit);
        Assert.Contains("No MWS auth token 'amzn.mws.unknown'", revokeError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeToken_Twice_IsAConflict()
    {
        var (_, _, _, _, mwsAuthToken) = await DelegatedAsync();

        var (exit, output, _) = await Host.CliAsync("merchants", "revoke-token", mwsAuthToken, "--json");
        var (againExit, _, againError) = await Host.CliAsync("merchants", "revoke-token", mwsAuthToken);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("revoked").GetBoolean());
        Assert.Equal(ExitCodes.Conflict, againExit);
        Assert.Contains("already revoked", againError, StringComparison.Ordinal);
    }
}
