using Marten;
using Marten.Services;
using Npgsql;

namespace Lscb.CaseFlow.Api.ReadModel.Storage;

/// <summary>
/// Marten's own logger writes the failing command with its parameters, which for an append are the events
/// themselves. This one says what failed and never what was in it: event payloads are never logged.
/// </summary>
public sealed class RedactingMartenLogger(ILogger<RedactingMartenLogger> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Schema change applied ({Length} characters of DDL).", sql.Length);

    public void LogSuccess(NpgsqlCommand command)
    {
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failed(ex);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failed(ex);

    public void LogFailure(Exception ex, string message) => Failed(ex);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }

    // The exception's type and PostgreSQL's code only: messages of some errors quote the values involved.
    private void Failed(Exception ex) => logger.LogWarning(
        "A database command failed: {Exception} {SqlState}", ex.GetType().Name, (ex as PostgresException)?.SqlState ?? "");
}
