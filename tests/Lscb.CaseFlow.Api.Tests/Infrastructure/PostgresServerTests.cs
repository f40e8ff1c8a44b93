using Npgsql;

namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task a_created_database_answers_queries()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("fixture");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select 1", connection);

        (await command.ExecuteScalarAsync()).ShouldBe(1);
    }
}
