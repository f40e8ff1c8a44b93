using System.Text.RegularExpressions;
using JasperFx.CommandLine;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.ReadModel.Storage;

/// <summary>
/// What the service's own database role may do when another role owns the schema (<c>CaseFlow:Schema:AutoCreate=false</c>,
/// deploy/README.md): read and write the tables it keeps, but only read and add to the access log. Owning nothing, it
/// cannot alter, disable or drop the access log's trigger, nor drop or truncate the log: PostgreSQL refuses. Run by the
/// owner after every <c>db-apply</c> (<see cref="ServiceRoleGrantsCommand"/>), in every database; safe to run again.
/// </summary>
public static partial class ServiceRoleGrants
{
    /// <summary>The statements for one database; <paramref name="role"/> must be a plain role name (<see cref="IsRoleName"/>).</summary>
    public static string Sql(string role) => IsRoleName(role)
        ? $"""
            do $$ begin execute format('grant connect, temporary on database %I to "{role}"', current_database()); end $$;
            grant usage on schema {CaseFlowTables.Schema} to "{role}";
            grant select, insert, update, delete on all tables in schema {CaseFlowTables.Schema} to "{role}";
            grant usage, select, update on all sequences in schema {CaseFlowTables.Schema} to "{role}";
            grant execute on all functions in schema {CaseFlowTables.Schema} to "{role}";
            -- The access log: read and add to, nothing else.
            revoke update, delete, truncate, references, trigger on {CaseFlowTables.JourneyReads} from "{role}";
            """
        : throw new ArgumentException("A role name is 1–63 lower-case letters, digits or '_', not starting with a digit.", nameof(role));

    /// <summary>
    /// Why <paramref name="role"/> could still rewrite the access log in this database despite the grants (a superuser, the
    /// log's owner, or a member of the owner's role), or nothing when it cannot.
    /// </summary>
    public const string CheckSql = $"""
        select case
            when r.rolsuper then 'is a superuser'
            when r.oid = c.relowner then 'owns the access log'
            when pg_has_role(r.oid, c.relowner, 'USAGE') then 'is a member of the role that owns the access log'
        end
        from pg_roles r, pg_class c
        where r.rolname = @role and c.oid = '{CaseFlowTables.JourneyReads}'::regclass
        """;

    public static bool IsRoleName(string role) => RoleName().IsMatch(role);

    [GeneratedRegex(@"^[a-z_][a-z0-9_]{0,62}\z")]
    private static partial Regex RoleName();
}

public sealed class ServiceRoleGrantsInput : NetCoreInput
{
    [Description("The service's database role (it must exist; it must not own the schema)")]
    public string Role { get; set; } = "";
}

/// <summary>
/// <c>dotnet Lscb.CaseFlow.Api.dll db-grant ROLE</c>, run as the schema's owner after <c>db-apply</c>: grants the service's
/// role what <see cref="ServiceRoleGrants"/> says, in every database, and fails when that role could still rewrite the
/// access log.
/// </summary>
[Description("Grants the service's database role what it needs, and only that, in every database", Name = "db-grant")]
public sealed class ServiceRoleGrantsCommand : JasperFxAsyncCommand<ServiceRoleGrantsInput>
{
    public override async Task<bool> Execute(ServiceRoleGrantsInput input)
    {
        if (!ServiceRoleGrants.IsRoleName(input.Role))
        {
            await Console.Error.WriteLineAsync("db-grant: a role name is 1–63 lower-case letters, digits or '_', not starting with a digit.");
            return false;
        }

        using var host = input.BuildHost();
        var databases = host.Services.GetRequiredService<TenantDatabases>();
        var ok = true;
        foreach (var (db, index) in databases.Primaries.Select((db, i) => (db, i)))
        {
            await using (var grant = db.CreateCommand(ServiceRoleGrants.Sql(input.Role)))
            {
                await grant.ExecuteNonQueryAsync();
            }

            await using var check = db.CreateCommand(ServiceRoleGrants.CheckSql);
            check.Parameters.AddWithValue("role", input.Role);
            if (await check.ExecuteScalarAsync() is string problem)
            {
                await Console.Error.WriteLineAsync($"db-grant: in database {index + 1} of {databases.Primaries.Count}, '{input.Role}' {problem}: it could still rewrite the access log.");
                ok = false;
            }
            else
            {
                Console.WriteLine($"db-grant: '{input.Role}' granted in database {index + 1} of {databases.Primaries.Count}.");
            }
        }

        return ok;
    }
}
