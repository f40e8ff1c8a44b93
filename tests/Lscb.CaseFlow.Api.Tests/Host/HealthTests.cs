using System.Net;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Lscb.CaseFlow.Api.Host.Health;

namespace Lscb.CaseFlow.Api.Tests.Host;

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
            // The answer may be up to a second old: it turns within that, and the check's own timeout.
            using var down = await app.HealthUntilAsync(HttpStatusCode.ServiceUnavailable);
            down.Headers.RetryAfter.ShouldNotBeNull();
        }
        finally
        {
            await Admin(server, $"alter database \"{database}\" allow_connections true");
        }

        using var back = await app.HealthUntilAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_burst_of_health_checks_asks_the_databases_about_once_a_second_and_every_answer_says_when()
    {
        var health = app.Host.Services.GetRequiredService<DatabaseHealth>();
        health.FreshFor.ShouldBe(TimeSpan.FromSeconds(1));
        var before = health.Checks;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var answers = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(async _ =>
        {
            using var response = await app.Client.GetAsync("/health");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["checkedAt"]!.GetValue<DateTimeOffset>();
        }));

        // One check per second the burst lasted, and the one it started with: never one per request.
        var allowed = (long)Math.Ceiling(clock.Elapsed.TotalSeconds) + 1;
        (health.Checks - before).ShouldBeLessThanOrEqualTo(allowed);
        answers.Distinct().Count().ShouldBeLessThanOrEqualTo((int)allowed + 1);
        answers.ShouldAllBe(at => at > DateTimeOffset.UtcNow.AddMinutes(-1));
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
