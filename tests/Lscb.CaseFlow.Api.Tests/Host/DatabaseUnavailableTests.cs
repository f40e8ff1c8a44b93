using System.Net.Sockets;
using Npgsql;
using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Tests.Host;

/// <summary>
/// Which failures mean "the database cannot be reached" (503 with Retry-After) rather than a fault of the service (500).
/// The real thing, PostgreSQL stopped and started under load, is in Lscb.CaseFlow.FaultTests.
/// </summary>
public sealed class DatabaseUnavailableTests
{
    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException(111)), true },
        { "connection broken mid-read", new NpgsqlException("Exception while reading from stream", new EndOfStreamException()), true },
        { "no answer in time", new NpgsqlException("Exception while reading from stream", new TimeoutException()), true },
        { "pool exhausted", new NpgsqlException("The connection pool has been exhausted", new TimeoutException()), true },
        { "terminated by a shutdown", Pg("57P01"), true },
        { "crash shutdown", Pg("57P02"), true },
        { "starting up or shutting down", Pg("57P03"), true },
        { "connection failure", Pg("08006"), true },
        { "cannot establish a connection", Pg("08001"), true },
        { "too many connections", Pg("53300"), true },
        { "a bare timeout", new TimeoutException(), true },
        { "wrapped, as Marten and Wolverine do", new InvalidOperationException("Marten command failed", Pg("57P01")), true },
        { "in an aggregate", new AggregateException(new ArgumentException("other"), new NpgsqlException("x", new IOException())), true },
        { "a unique violation", Pg("23505"), false },
        { "a deadlock (retried by the ingestor)", Pg("40P01"), false },
        { "a syntax error", Pg("42601"), false },
        { "text the database cannot hold (400)", Pg("22021"), false },
        { "not the database", new InvalidOperationException("Sequence contains no elements"), false },
        { "another service's socket", new HttpRequestException("identity provider", new SocketException(111)), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void a_failure_is_an_outage_only_when_the_database_cannot_be_reached(string failure, Exception exception, bool unavailable)
    {
        (DatabaseUnavailableHandler.Cause(exception) is not null).ShouldBe(unavailable, failure);
    }

    private static PostgresException Pg(string sqlState) => new("test", "FATAL", "FATAL", sqlState);
}
