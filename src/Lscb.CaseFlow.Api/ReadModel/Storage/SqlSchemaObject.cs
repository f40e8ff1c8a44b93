using System.Data.Common;
using Weasel.Core;
using Weasel.Postgresql;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.ReadModel.Storage;

/// <summary>
/// Something of the schema that Weasel has no model for (the access log's trigger and its function, a one-off backfill),
/// applied by Marten's schema management like its tables: at start when the service owns its schema, by
/// <c>db-apply</c> run as the owner when it does not (deploy/README.md). <paramref name="currentSql"/> answers one row with
/// one boolean: whether the database already holds what <paramref name="applySql"/> makes. Never dropped and created
/// again, unlike Weasel's <c>Function</c> (a trigger depends on its function, so the drop fails): the statements are safe
/// to run again (<c>create or replace</c>, or checked under a lock) and simply run once more.
/// </summary>
public sealed class SqlSchemaObject(string name, string currentSql, string applySql, string dropSql = "") : ISchemaObject
{
    public DbObjectName Identifier { get; } = new PostgresqlObjectName(CaseFlowTables.Schema, name, SchemaUtils.IdentifierUsage.General);

    public string ApplySql => applySql;

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) => writer.WriteLine(applySql);

    public void WriteDropStatement(Migrator rules, TextWriter writer)
    {
        if (dropSql.Length > 0)
        {
            writer.WriteLine(dropSql);
        }
    }

    public void ConfigureQueryCommand(DbCommandBuilder builder)
    {
        builder.Append(currentSql);
        builder.Append(";");
    }

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default)
    {
        var current = await reader.ReadAsync(ct) && !await reader.IsDBNullAsync(0, ct) && reader.GetBoolean(0);
        return new SchemaObjectDelta(this, current ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
    }

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
    }
}
