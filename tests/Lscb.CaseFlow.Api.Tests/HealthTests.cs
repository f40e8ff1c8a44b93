using System.Net;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Lscb.CaseFlow.Api.Tests;

public sealed class HealthTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task health_is_503_while_the_event_store_does_not_answer_and_200_when_it_returns()
    {
        using (var healthy = await app.Client.GetAsync("/health"))
        {
            healthy.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;
        var server = await PostgresServer.SharedAsync();
        await Admin(server, $"alter database \"{database}\" allow_connections false");
        await Admin(server, $"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{database}' and pid <> pg_backend_pid()");
        NpgsqlConnection.ClearAllPools();
        try
        {
            using var down = await app.Client.GetAsync("/health");
            down.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            down.Headers.RetryAfter.ShouldNotBeNull();
        }
        finally
        {
            await Admin(server, $"alter database \"{database}\" allow_connections true");
        }

        using var back = await app.Client.GetAsync("/health");
        back.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task the_service_starts_again_on_the_schema_it_created()
    {
        await using var again = await Alba.AlbaHost.For<Program>(builder =>
            builder.UseSetting("ConnectionStrings:CaseFlow", app.ConnectionString));

        using var health = await again.Server.CreateClient().GetAsync("/health");
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task Admin(PostgresServer server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
