using System.Data.Common;
using Tillpoint.Domain;
using Tillpoint.Domain.Disputes;

namespace Tillpoint.Storage.Relational;

/// <summary>Disputes (an aggregate table of a ledger, like refunds) and their evidence files.</summary>
internal sealed partial class RelationalSession
{
    private const string EvidenceFileColumns =
        "merchant_id, environment, file_id, type, purpose, upload_token, created_at, url_expires_at, uploaded_at, size FROM evidence_files";

    public Dispute? GetDispute(string merchantId, string disputeId) =>
        ReadDocument(_sql.Disputes.ById, _sql.Disputes, merchantId, disputeId, StoredDocuments.Dispute);

    public IReadOnlyList<Dispute> GetDisputesOfPermission(string merchantId, string chargePermissionId) =>
        ReadDocuments(_sql.DisputesOfPermission, _sql.Disputes, merchantId, chargePermissionId, StoredDocuments.Dispute);

    public Dispute Save(Dispute dispute) => SaveDocument(
        dispute with { Version = dispute.Version + 1 },
        dispute.Version,
        _sql.Disputes,
        dispute.MerchantId, dispute.DisputeId, dispute.Environment, dispute.State.ToString(), dispute.CreationTimestamp, dispute.NextDueAt,
        StoredDocuments.Dispute,
        new Listing(dispute.DisputeAmount, null),
        dispute.ChargePermissionId,
        dispute.ChargeId);

    public EvidenceFile? GetEvidenceFile(string merchantId, string fileId)
    {
        if (!CanStore(merchantId) || !CanStore(fileId))
        {
            return null;
        }

        using var command = Command($"SELECT {EvidenceFileColumns} WHERE merchant_id = @m AND file_id = @id");
        command.Text("m", merchantId);
        command.Text("id", fileId);
        return ReadEvidenceFile(command);
    }

    public EvidenceFile? FindEvidenceFileByUploadToken(string uploadToken)
    {
        if (!CanStore(uploadToken))
        {
            return null;
        }

        using var command = Command($"SELECT {EvidenceFileColumns} WHERE upload_token = @token");
        command.Text("token", uploadToken);
        return ReadEvidenceFile(command);
    }

    public void AddEvidenceFile(EvidenceFile file)
    {
        using var command = Command(
            """
            INSERT INTO evidence_files (merchant_id, environment, file_id, type, purpose, upload_token, created_at, url_expires_at, size)
            VALUES (@m, @env, @id, @type, @purpose, @token, @created, @expires, 0)
            """);
        command.Text("m", file.MerchantId);
        command.Text("env", file.Environment.ToString());
        command.Text("id", file.FileId);
        command.Text("type", file.Type);
        command.Text("purpose", file.Purpose);
        command.Text("token", file.UploadToken);
        command.Time("created", file.CreatedAt);
        command.Time("expires", file.UrlExpiresAt);
        command.Execute();
    }

    public bool PutEvidenceFileContent(string merchantId, string fileId, byte[] content, DateTimeOffset at)
    {
        using var command = Command(
            """
            UPDATE evidence_files SET content = @content, size = @size, uploaded_at = @at
            WHERE merchant_id = @m AND file_id = @id AND uploaded_at IS NULL
            """);
        command.Text("m", merchantId);
        command.Text("id", fileId);
        command.Bytes("content", content);
        command.Int64("size", content.LongLength);
        command.Time("at", at);
        return command.Execute() == 1;
    }

    private EvidenceFile? ReadEvidenceFile(Statement command)
    {
        using var reader = command.Read();
        return reader.Read() ? ReadEvidenceFile(reader) : null;
    }

    private EvidenceFile ReadEvidenceFile(DbDataReader reader) => new(
        reader.GetString(0),
        Enum.Parse<ReleaseEnvironment>(reader.GetString(1)),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        Dialect.GetTime(reader, 6),
        Dialect.GetTime(reader, 7),
        reader.IsDBNull(8) ? null : Dialect.GetTime(reader, 8),
        reader.GetInt64(9));
}
