using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Disputes;
using Tillpoint.Domain.Simulation;

namespace Tillpoint.Server.Commands;

/// <summary>
/// The commands on disputes. A dispute belongs to its charge's ledger, so each one loads the ledger (applying what fell
/// due, a dispute's deadline included), calls the domain and saves what the events name: the API, the sandbox's ways to
/// open a dispute (a simulation code, the CLI, the dashboard) and the sweeper all change disputes through here.
/// </summary>
internal static class DisputeCommands
{
    private const string Dispute = "Dispute";

    /// <summary>Get Dispute: the dispute as it stands now (its deadline applied), or null for another owner's.</summary>
    public static Dispute? Current(IStoreReader reader, Owner owner, string id, DateTimeOffset now) =>
        reader.GetDispute(owner.MerchantId, id) is { } dispute && dispute.Environment == owner.Environment
            ? dispute.AsOf(now).Value
            : null;

    /// <summary>Create Dispute (a PSP), or a dispute opened by the sandbox.</summary>
    public static Result<Dispute> Open(IWriteSession session, in CommandContext context, string chargeId, DisputeFiling filing)
    {
        var loaded = PaymentObjects.LoadLedgerOfCharge(session, context.Owner, chargeId, context.Now);
        if (loaded is null)
        {
            return DomainError.NotFound("Charge", chargeId);
        }

        var ledger = loaded.Current.Value;
        var opened = ledger.OpenDispute(chargeId, ledger.NewDisputeId(context.Ids), filing, context.Now, context.Limits);
        if (!opened.IsSuccess)
        {
            return LedgerCommands.Apply(session, context.Owner, loaded, opened.Error).Error!;
        }

        PaymentObjects.Persist(session, loaded.Current.Then(opened.Value.Ledger), context.Owner);
        return opened.Value.Dispute;
    }

    /// <summary>
    /// The sandbox's dispute after a capture made with a dispute simulation code: a chargeback for the whole capture,
    /// with the filing reason the code names, opened in the capture's transaction.
    /// </summary>
    public static Result<Transition<PaymentLedger>> AfterCapture(
        Transition<PaymentLedger> captured, string chargeId, SimulatedOutcome simulation, in CommandContext context)
    {
        var ledger = captured.Value;
        var charge = ledger.FindCharge(chargeId)!;
        if (charge.CaptureAmount is not { } amount || charge.State != Domain.Charges.ChargeState.Captured)
        {
            return new DomainError(
                ErrorCode.InvalidSandboxSimulationSpecified,
                $"The simulation code '{simulation.Code}' needs a capture that completes at once; this one is {charge.State}.");
        }

        var opened = ledger.OpenDispute(chargeId, ledger.NewDisputeId(context.Ids), SandboxFiling(amount, (DisputeFilingReason)simulation.ReasonCode!, context), context.Now, context.Limits);
        return opened.IsSuccess ? captured.Then(opened.Value.Ledger) : opened.Error;
    }

    /// <summary>A chargeback as the sandbox files it: now, with the whole response window ahead.</summary>
    public static DisputeFiling SandboxFiling(Money amount, DisputeFilingReason reason, in CommandContext context) =>
        new(amount, reason, context.Now, context.Now + context.Limits.DisputeResponseWindow, null, null);

    /// <summary>Applies one of <see cref="Dispute"/>'s operations, after what fell due in its ledger.</summary>
    public static Result<Dispute> Change(
        IWriteSession session, in CommandContext context, string id, Func<Dispute, Result<Transition<Dispute>>> change)
    {
        var stored = session.GetDispute(context.Owner.MerchantId, id);
        var loaded = stored is null || stored.Environment != context.Owner.Environment
            ? null
            : PaymentObjects.LoadLedger(session, context.Owner, stored.ChargePermissionId, context.Now);
        if (loaded is null)
        {
            return DomainError.NotFound(Dispute, id);
        }

        var changed = LedgerCommands.Apply(session, context.Owner, loaded, loaded.Current.Value.ChangeDispute(id, change));
        return changed.IsSuccess ? changed.Value.FindDispute(id)! : changed.Error;
    }

    /// <summary>
    /// Contest Dispute. A cited file Tillpoint issued must have been uploaded: evidence without its bytes would leave
    /// the investigator without it. In Live every cited file must be one of the owner's.
    /// </summary>
    public static Result<Dispute> Contest(IWriteSession session, in CommandContext context, string id, IReadOnlyList<MerchantEvidence> evidences)
    {
        for (var i = 0; i < evidences.Count; i++)
        {
            if (evidences[i].FileId is not { } fileId)
            {
                continue;
            }

            var file = session.GetEvidenceFile(context.Owner.MerchantId, fileId);
            if (file is null && context.Owner.Environment == ReleaseEnvironment.Sandbox)
            {
                // An id Tillpoint never issued: the SDKs' samples cite a placeholder, which Sandbox takes as it is.
                continue;
            }

            if (file is null || file.Environment != context.Owner.Environment)
            {
                return DomainError.NotFound("File", fileId);
            }

            if (file.UploadedAt is null)
            {
                return DomainError.InvalidValue($"merchantEvidences[{i}].fileId", $"the file '{fileId}' has not been uploaded to its url yet.");
            }
        }

        var now = context.Now;
        return Change(session, context, id, dispute => dispute.Contest(evidences, now));
    }

    /// <summary>
    /// The operator opens a chargeback in Sandbox (CLI, dashboard): for <paramref name="amount"/>, or the whole capture.
    /// Live disputes come from the buyer's side only, through a payment service provider.
    /// </summary>
    public static Result<Dispute> OpenInSandbox(
        IWriteSession session, in CommandContext context, string chargeId, Money? amount, DisputeFilingReason reason)
    {
        if (context.Owner.Environment != ReleaseEnvironment.Sandbox)
        {
            return new DomainError(ErrorCode.InvalidRequest, "The operator opens disputes in Sandbox only.");
        }

        var charge = session.GetCharge(context.Owner.MerchantId, chargeId);
        if (charge is null || charge.Environment != context.Owner.Environment)
        {
            return DomainError.NotFound("Charge", chargeId);
        }

        var disputed = amount ?? charge.CaptureAmount;
        return disputed is { } value
            ? Open(session, context, chargeId, SandboxFiling(value, reason, context))
            : new DomainError(ErrorCode.InvalidChargeStatus, $"The Charge is in {charge.State} state; only a Captured charge can be disputed.");
    }

    /// <summary>The operator, as the sandbox's investigator or its buyer, moves a dispute on.</summary>
    public static Result<Dispute> Act(IWriteSession session, in CommandContext context, string id, SandboxDisputeAction action, DisputeResolution? resolution)
    {
        var now = context.Now;
        var deadline = now + context.Limits.DisputeResponseWindow;
        return Change(session, context, id, dispute => action switch
        {
            SandboxDisputeAction.Decide => resolution is { } r ? dispute.Decide(r, now) : DomainError.Missing("resolution"),
            SandboxDisputeAction.RequestEvidence => dispute.RequestEvidence(deadline, now),
            SandboxDisputeAction.Withdraw => dispute.Withdraw(now),
            SandboxDisputeAction.Accept => dispute.Accept(now),
        });
    }
}

/// <summary>What the sandbox's operator can do to a dispute, besides opening one.</summary>
internal enum SandboxDisputeAction
{
    /// <summary>The investigator decides a dispute under review.</summary>
    Decide,

    /// <summary>The investigator asks the merchant for more evidence, with a new response window.</summary>
    RequestEvidence,

    /// <summary>The buyer withdraws the dispute.</summary>
    Withdraw,

    /// <summary>The merchant accepts the buyer's claim.</summary>
    Accept,
}
