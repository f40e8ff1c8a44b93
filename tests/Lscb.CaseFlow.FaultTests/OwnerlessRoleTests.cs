using System.Net;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Lscb.CaseFlow.BrowserTests.Infrastructure;
using Lscb.CaseFlow.FaultTests.Infrastructure;
using Npgsql;

namespace Lscb.CaseFlow.FaultTests;

/// <summary>
/// The access log holds against the service itself (deploy/README.md, "A service that owns nothing"): in a fresh database
/// an owner role applies the schema (<c>db-apply</c>, the built API as a process) and grants the service's role what it
/// needs (<c>db-grant</c>); the service runs as that role with schema creation off, ingests and serves reads that are
/// logged; and that role, trying every way to rewrite the log or take its trigger away, is refused by PostgreSQL.
/// </summary>
public sealed class OwnerlessRoleTests(ITestOutputHelper output)
{
    /// <summary>What the service's role tries against the access log; PostgreSQL answers each with 42501 (insufficient privilege).</summary>
    private static readonly string[] Attacks =
    [
        "update caseflow.journey_reads set reason = 'nothing to see'",
        "delete from caseflow.journey_reads",
        "truncate caseflow.journey_reads",
        "alter table caseflow.journey_reads disable trigger journey_reads_append_only",
        "alter table caseflow.journey_reads disable trigger all",
        "drop trigger journey_reads_append_only on caseflow.journey_reads",
        "drop table caseflow.journey_reads",
        "drop function caseflow.journey_reads_append_only() cascade",
        "create or replace function caseflow.journey_reads_append_only() returns trigger language plpgsql as $$ begin return null; end $$",
        "alter table caseflow.journey_reads owner to current_user",
        "alter table caseflow.journey_reads rename to journey_reads_old",
        "create table caseflow.journey_reads_copy (id bigint)",
        "set session_replication_role = replica",
    ];

    [Fact(Timeout = 240_000)]
    public async Task a_service_that_owns_nothing_serves_and_logs_and_cannot_rewrite_or_unguard_the_access_log()
    {
        var server = await PostgresServer.SharedAsync();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var (owner, service, database) = ($"caseflow_owner_{suffix}", $"caseflow_service_{suffix}", $"ownerless_{suffix}");
        await SqlAsync(server.AdminConnectionString, $"create role {owner} login", $"create role {service} login", $"create database {database} owner {owner}");
        var superuser = server.ConnectionStringFor(database, pooled: false);
        string As(string role) => new NpgsqlConnectionStringBuilder(superuser) { Username = role }.ConnectionString;

        try
        {
            // The owner applies the schema and grants; the grant refuses a role that could still rewrite the log.
            var apply = await ApiProcess.RunCommandAsync(As(owner), ["db-apply"]);
            apply.ExitCode.ShouldBe(0, apply.Output);
            var grant = await ApiProcess.RunCommandAsync(As(owner), ["db-grant", service]);
            grant.ExitCode.ShouldBe(0, grant.Output);
            (await ApiProcess.RunCommandAsync(As(owner), ["db-grant", owner])).ExitCode.ShouldNotBe(0, "the owner could drop the trigger");
            output.WriteLine($"db-apply and db-grant as {owner}");

            // The service as its role, changing nothing of the schema.
            var keys = Workload.Keys();
            var environment = new Dictionary<string, string>(Workload.Environment) { ["CaseFlow__Schema__AutoCreate"] = "false" };
            await using var api = await ApiProcess.StartAsync(As(service), keys, seedDemo: false, environment);
            using var client = Workload.Client(api, keys, TimeSpan.FromSeconds(30));
            var batch = Workload.Make(Workload.NewRun(), 0, 3);
            (await Workload.PostAsync(client, batch)).Status.ShouldBe(200, api.RecentLog);
            var child = batch.Children[0];
            using (var journey = await client.GetAsync(new Uri($"/api/children/{child}/journey?reason=ownerless%20check", UriKind.Relative)))
            {
                journey.StatusCode.ShouldBe(HttpStatusCode.OK, api.RecentLog);
            }

            (await Workload.KpisAsync(client)).ShouldBe(await new StoredEvents(superuser).KpisAsync());
            (await ScalarAsync(superuser, $"""
                select count(*) from caseflow.journey_reads
                where child_id = '{child}' and reason = 'ownerless check' and read_kind = 'journey' and caller_id like 'key:%' and key_name = 'fault-tests'
                """)).ShouldBe(1);
            var logged = await ScalarAsync(superuser, "select count(*) from caseflow.journey_reads");

            // Everything the service's role might try, refused by PostgreSQL itself.
            await using (var connection = new NpgsqlConnection(As(service)))
            {
                await connection.OpenAsync();
                foreach (var attack in Attacks)
                {
                    await using var cmd = new NpgsqlCommand(attack, connection);
                    var refused = await Should.ThrowAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync(), attack);
                    refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege, $"{attack}: {refused.MessageText}");
                }
            }

            // It owns nothing, the log is whole and still guarded.
            (await ScalarAsync(superuser, $"""
                select (select count(*) from pg_class where relowner = r.oid) + (select count(*) from pg_proc where proowner = r.oid)
                     + (select count(*) from pg_namespace where nspowner = r.oid)
                from pg_roles r where rolname = '{service}'
                """)).ShouldBe(0);
            (await ScalarAsync(superuser, "select count(*) from caseflow.journey_reads")).ShouldBe(logged);
            (await ScalarAsync(superuser, "select count(*) from pg_trigger where tgname = 'journey_reads_append_only' and tgenabled = 'A'")).ShouldBe(1);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await SqlAsync(server.AdminConnectionString, $"drop database if exists {database} with (force)", $"drop role if exists {service}", $"drop role if exists {owner}");
        }
    }

    private static async Task SqlAsync(string connectionString, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
