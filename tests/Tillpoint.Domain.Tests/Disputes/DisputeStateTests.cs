using Tillpoint.Domain.Disputes;
using static Tillpoint.Domain.Tests.Disputes.Disputes;

namespace Tillpoint.Domain.Tests.Disputes;

/// <summary>Every dispute operation in every state: where it is allowed, what it leads to; elsewhere, InvalidDisputeStatus and no change.</summary>
public class DisputeStateTests
{
    private static readonly DateTimeOffset Now = Filed.AddDays(2);

    private static readonly Dictionary<string, Func<Dispute, Result<Transition<Dispute>>>> Operations = new()
    {
        ["Contest"] = d => d.Contest([Tracking], Now),
        ["Accept"] = d => d.Accept(Now),
        ["RequestEvidence"] = d => d.RequestEvidence(Now.AddDays(5), Now),
        ["Decide"] = d => d.Decide(DisputeResolution.MerchantWon, Now),
        ["Withdraw"] = d => d.Withdraw(Now),
        ["UpdateOpen"] = d => d.Update(new DisputeStatusReport(DisputeState.UnderReview, DisputeReasonCode.BuyerAdditionalEvidencesRequired, null, null), null, Now),
        ["UpdateFinal"] = d => d.Update(new DisputeStatusReport(DisputeState.Closed, DisputeReasonCode.ChargebackFiled, null, DisputeResolution.MerchantWon), Now.AddHours(-1), Now),
    };

    /// <summary>Operation, state, and the state it leads to (null: refused).</summary>
    public static TheoryData<string, DisputeState, DisputeState?> Table()
    {
        var allowed = new Dictionary<(string, DisputeState), DisputeState>
        {
            [("Contest", DisputeState.ActionRequired)] = DisputeState.UnderReview,
            [("Accept", DisputeState.ActionRequired)] = DisputeState.Resolved,
            [("RequestEvidence", DisputeState.UnderReview)] = DisputeState.ActionRequired,
            [("Decide", DisputeState.UnderReview)] = DisputeState.Resolved,
            [("Withdraw", DisputeState.ActionRequired)] = DisputeState.Closed,
            [("Withdraw", DisputeState.UnderReview)] = DisputeState.Closed,
            [("UpdateOpen", DisputeState.ActionRequired)] = DisputeState.UnderReview,
            [("UpdateOpen", DisputeState.UnderReview)] = DisputeState.UnderReview,
            [("UpdateFinal", DisputeState.ActionRequired)] = DisputeState.Closed,
            [("UpdateFinal", DisputeState.UnderReview)] = DisputeState.Closed,
        };
        var data = new TheoryData<string, DisputeState, DisputeState?>();
        foreach (var operation in Operations.Keys)
        {
            foreach (var state in Enum.GetValues<DisputeState>())
            {
                data.Add(operation, state, allowed.TryGetValue((operation, state), out var to) ? to : null);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Operation_InState_LeadsToItsStateOrIsRefused(string operation, DisputeState state, DisputeState? expected)
    {
        var dispute = In(state);

        var result = Operations[operation](dispute);

        if (expected is null)
        {
            Assert.Equal(ErrorCode.InvalidDisputeStatus, result.Error?.Code);
            Assert.Contains(state.ToString(), result.Error!.Message, StringComparison.Ordinal);
            return;
        }

        Assert.Null(result.Error);
        var changed = result.Value.Value;
        Assert.Equal(expected, changed.State);
        Assert.Equal(Now, changed.LastUpdatedTimestamp);
        var change = Assert.Single(result.Value.Events);
        Assert.Equal(ObjectType.Dispute, change.ObjectType);
        Assert.Equal(state.ToString(), change.FromState);
        Assert.Equal(expected.ToString(), change.ToState);
        Assert.Equal(dispute.DisputeAmount, change.Amount);
        Assert.Equal(changed.Resolution?.ToString(), change.Detail);
        Assert.Equal(DisputeReasons.IsFinal(expected.Value), changed.Resolution is not null);
        Assert.Equal(DisputeReasons.IsFinal(expected.Value), changed.ClosureTimestamp is not null);
    }

    [Fact]
    public void Contest_AddsTheEvidenceAndClearsTheReason()
    {
        var contested = Ok(In(DisputeState.ActionRequired).Contest([Tracking, new MerchantEvidence(EvidenceType.Receipt, "file-1", null)], Now));

        Assert.Equal([Tracking, new MerchantEvidence(EvidenceType.Receipt, "file-1", null)], contested.MerchantEvidences);
        Assert.Null(contested.ReasonCode);
        Assert.Equal("Amazon Pay is reviewing the merchant's evidence", contested.ReasonDescription);
    }

    [Fact]
    public void Contest_AfterMoreEvidenceWasAsked_KeepsTheFirstEvidence()
    {
        var asked = Ok(In(DisputeState.UnderReview).RequestEvidence(Now.AddDays(3), Now));
        var again = Ok(asked.Contest([new MerchantEvidence(EvidenceType.Other, null, "more")], Now.AddDays(1)));

        Assert.Equal(2, again.MerchantEvidences.Count);
        Assert.Equal(DisputeReasonCode.MerchantAdditionalEvidencesRequired, asked.ReasonCode);
        Assert.Equal(Now.AddDays(3), asked.MerchantResponseDeadline);
    }

    [Fact]
    public void RequestEvidence_WithADeadlineNotLaterThanNow_IsRefused()
    {
        var dispute = In(DisputeState.UnderReview);

        Assert.Equal(ErrorCode.InvalidParameterValue, dispute.RequestEvidence(Now, Now).Error?.Code);
        Assert.Null(dispute.RequestEvidence(Now.AddTicks(1), Now).Error);
    }

    [Theory]
    [InlineData(DisputeResolution.BuyerWon)]
    [InlineData(DisputeResolution.MerchantWon)]
    [InlineData(DisputeResolution.NoFault)]
    public void Decide_RecordsTheResolutionAsInvestigatorResolved(DisputeResolution resolution)
    {
        var decided = Ok(In(DisputeState.UnderReview).Decide(resolution, Now));

        Assert.Equal(resolution, decided.Resolution);
        Assert.Equal(DisputeReasonCode.InvestigatorResolved, decided.ReasonCode);
        Assert.Equal(Now, decided.ClosureTimestamp);
    }

    [Fact]
    public void Accept_IsResolvedForTheBuyer()
    {
        var accepted = Ok(In(DisputeState.ActionRequired).Accept(Now));

        Assert.Equal(DisputeResolution.BuyerWon, accepted.Resolution);
        Assert.Equal(DisputeReasonCode.MerchantAcceptedDispute, accepted.ReasonCode);
    }

    [Fact]
    public void Withdraw_IsClosedForTheMerchant_WithBuyerCancelled()
    {
        var withdrawn = Ok(In(DisputeState.UnderReview).Withdraw(Now));

        Assert.Equal(DisputeResolution.MerchantWon, withdrawn.Resolution);
        Assert.Equal(DisputeReasonCode.BuyerCancelled, withdrawn.ReasonCode);
        Assert.Equal("Buyer withdrew the dispute", withdrawn.ReasonDescription);
    }

    [Fact]
    public void Update_ToAFinalState_WithoutResolution_IsRefused()
    {
        var result = In(DisputeState.ActionRequired).Update(new DisputeStatusReport(DisputeState.Resolved, null, null, null), null, Now);

        Assert.Equal(ErrorCode.MissingParameterValue, result.Error?.Code);
        Assert.Contains("statusDetails.resolution", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_ToAnOpenState_WithResolutionOrClosureTime_IsRefused()
    {
        var dispute = In(DisputeState.ActionRequired);

        var withResolution = dispute.Update(new DisputeStatusReport(DisputeState.UnderReview, null, null, DisputeResolution.NoFault), null, Now);
        var withClosure = dispute.Update(new DisputeStatusReport(DisputeState.UnderReview, null, null, null), Now, Now);

        Assert.Contains("statusDetails.resolution", withResolution.Error?.Message, StringComparison.Ordinal);
        Assert.Contains("closureTimestamp", withClosure.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_ToAFinalState_KeepsTheReportedReasonAndClosureTime()
    {
        var closure = Now.AddHours(-3);
        var updated = Ok(In(DisputeState.UnderReview).Update(
            new DisputeStatusReport(DisputeState.Resolved, DisputeReasonCode.MerchantAcceptedDispute, "Accepted by the merchant", DisputeResolution.MerchantWon),
            closure,
            Now));

        Assert.Equal(DisputeReasonCode.MerchantAcceptedDispute, updated.ReasonCode);
        Assert.Equal("Accepted by the merchant", updated.ReasonDescription);
        Assert.Equal(closure, updated.ClosureTimestamp);
        Assert.Equal(Now, updated.LastUpdatedTimestamp);
    }

    [Fact]
    public void Update_ToAFinalState_WithoutClosureTime_ClosesNow()
    {
        var updated = Ok(In(DisputeState.ActionRequired).Update(
            new DisputeStatusReport(DisputeState.Resolved, null, null, DisputeResolution.BuyerWon), null, Now));

        Assert.Equal(Now, updated.ClosureTimestamp);
        Assert.Null(updated.ReasonCode);
        Assert.Null(updated.ReasonDescription);
    }

    [Fact]
    public void Update_ToAnOpenState_DescribesTheReportedReason()
    {
        var updated = Ok(In(DisputeState.ActionRequired).Update(
            new DisputeStatusReport(DisputeState.UnderReview, DisputeReasonCode.BuyerAdditionalEvidencesRequired, null, null), null, Now));

        Assert.Equal("Buyer needs to provide additional evidence", updated.ReasonDescription);
    }

    [Theory]
    [InlineData(DisputeState.ActionRequired, false)]
    [InlineData(DisputeState.UnderReview, false)]
    [InlineData(DisputeState.Resolved, true)]
    [InlineData(DisputeState.Closed, true)]
    public void IsFinal_OnlyForResolvedAndClosed(DisputeState state, bool final)
    {
        Assert.Equal(final, DisputeReasons.IsFinal(state));
        Assert.Equal(!final, In(state).IsOpen);
    }

    [Fact]
    public void EveryReasonCode_HasADescription()
    {
        var descriptions = Enum.GetValues<DisputeReasonCode>().Select(DisputeReasons.Describe).ToList();

        Assert.All(descriptions, d => Assert.False(string.IsNullOrWhiteSpace(d)));
        Assert.Equal(descriptions.Count, descriptions.Distinct().Count());
    }
}

/// <summary>A dispute a payment service provider reported takes evidence in every state; Amazon's own only in ActionRequired.</summary>
public class ProviderDisputeTests
{
    private static readonly DateTimeOffset Now = Filed.AddDays(2);

    private static Dispute Provider(DisputeState state) => In(state) with { ProviderDisputeId = "A2CQXQ2TUSYG7J" };

    [Theory]
    [InlineData(DisputeState.UnderReview)]
    [InlineData(DisputeState.Resolved)]
    [InlineData(DisputeState.Closed)]
    public void Contest_OfAProvidersDispute_OutsideActionRequired_RecordsTheEvidence_AndKeepsTheState(DisputeState state)
    {
        var dispute = Provider(state);

        var contested = dispute.Contest([Tracking], Now);

        Assert.Null(contested.Error);
        Assert.Equal(state, contested.Value.Value.State);
        Assert.Equal(dispute.Resolution, contested.Value.Value.Resolution);
        Assert.Equal([.. dispute.MerchantEvidences, Tracking], contested.Value.Value.MerchantEvidences);
        var change = Assert.Single(contested.Value.Events);
        Assert.Equal((state.ToString(), state.ToString()), (change.FromState, change.ToState));
    }

    [Fact]
    public void Contest_OfAProvidersDispute_InActionRequired_GoesUnderReview_AndRespectsTheDeadline()
    {
        var dispute = Provider(DisputeState.ActionRequired);

        Assert.Equal(DisputeState.UnderReview, Ok(dispute.Contest([Tracking], Now)).State);
        Assert.Equal(ErrorCode.InvalidDisputeStatus, dispute.Contest([Tracking], Deadline).Error?.Code);
        Assert.True(dispute.ManagedByProvider);
        Assert.False(In(DisputeState.ActionRequired).ManagedByProvider);
    }
}
