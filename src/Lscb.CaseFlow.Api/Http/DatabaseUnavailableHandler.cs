using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Lscb.CaseFlow.Api.ReadModel.Storage;

namespace Lscb.CaseFlow.Api.Http;

/// <summary>
/// While PostgreSQL cannot be reached (stopped, restarting, refusing connections, not answering in time), every
/// endpoint answers <c>503</c> problem details with <c>Retry-After</c> instead of a <c>500</c>. Nothing of a refused
/// batch is kept (a batch is one transaction), so the client simply sends it again; a batch whose commit went
/// through just before the connection broke is then acknowledged as duplicates, never stored twice.
/// </summary>
/// <remarks>
/// The pool is cleared on such a failure: connections opened before a restart are dead, and would otherwise fail
/// one request each after the database is back. Npgsql opens new ones on demand, so the service recovers by itself.
/// </remarks>
public sealed class DatabaseUnavailableHandler(
    IProblemDetailsService problemDetails, TenantDatabases databases, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait before trying again (as <c>/health</c> says).</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>One warning per interval: an outage under load would otherwise log one per request.</summary>
    private const long WarningIntervalMs = 10_000;

    private long _lastWarning = Environment.TickCount64 - WarningIntervalMs;
    private int _quietSince;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted || Cause(exception) is not { } cause)
        {
            return false;
        }

        databases.ClearPools();

        // The cause's type and PostgreSQL's code only: never a payload, a statement or its parameters.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarning);
        var sqlState = cause is PostgresException pg ? $" {pg.SqlState}" : "";
        if (now - last >= WarningIntervalMs && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            logger.LogWarning("The database is unavailable ({Cause}{SqlState}): answering 503 ({Quiet} more since the last warning).",
                cause.GetType().Name, sqlState, Interlocked.Exchange(ref _quietSince, 0));
        }
        else
        {
            Interlocked.Increment(ref _quietSince);
            logger.LogDebug("The database is unavailable ({Cause}{SqlState}): answering 503.", cause.GetType().Name, sqlState);
        }

        return await Problems.WriteUnavailableAsync(problemDetails, httpContext, RetryAfterSeconds, "Database unavailable",
            HttpMethods.IsGet(httpContext.Request.Method) || HttpMethods.IsHead(httpContext.Request.Method)
                ? $"The event store cannot be reached just now. Try again in {RetryAfterSeconds} seconds."
                : $"The event store cannot be reached just now. Send the same request again in {RetryAfterSeconds} seconds: "
                    + "a batch is stored whole or not at all, and once only.");
    }

    /// <summary>The exception in the chain that says the database cannot be reached, or null when none does.</summary>
    public static Exception? Cause(Exception exception) => Find(exception, IsUnavailable);

    /// <summary>
    /// The first exception matching <paramref name="match"/> in the chain of inner exceptions (Marten and Wolverine wrap
    /// Npgsql's), aggregates included.
    /// </summary>
    public static Exception? Find(Exception exception, Func<Exception, bool> match)
    {
        var pending = new Stack<Exception>([exception]);
        var seen = 0;
        while (pending.Count > 0 && seen++ < 32)
        {
            var e = pending.Pop();
            if (match(e))
            {
                return e;
            }

            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }

        return null;
    }

    private static bool IsUnavailable(Exception e) => e switch
    {
        // What the server says while it is going down, starting up, or out of connections.
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,

        // Npgsql's own failures are I/O: refused or broken connections, timeouts, an exhausted pool.
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        TimeoutException => true,
        _ => false,
    };
}
