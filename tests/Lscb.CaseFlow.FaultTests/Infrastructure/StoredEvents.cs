using Npgsql;

namespace Lscb.CaseFlow.FaultTests.Infrastructure;

/// <summary>What the database holds, read with SQL behind the API's back.</summary>
public sealed class StoredEvents(string connectionString)
{
    /// <summary>How many times each event id is in Marten's event table (<c>mt_events</c>).</summary>
    public async Task<IReadOnlyDictionary<string, int>> EventIdsAsync() =>
        await CountsAsync($"select data->>'EventId', count(*) from caseflow.mt_events where data->>'Source' = '{Workload.Source}' group by 1");

    /// <summary>How many times each event id is in the key table (<c>caseflow.event_keys</c>); its key makes it once at most.</summary>
    public async Task<IReadOnlyDictionary<string, int>> KeyIdsAsync() =>
        await CountsAsync($"select event_id, count(*) from caseflow.event_keys where source = '{Workload.Source}' group by 1");

    /// <summary>The KPIs counted straight from the stored events (every child's referrals are within 12 months of each other).</summary>
    public async Task<KpiFigures> KpisAsync()
    {
        await using var connection = await OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select count(*) filter (where type = 'contact'),
                   count(*) filter (where type = 'referral'),
                   count(distinct stream_id) filter (where type = 'referral'),
                   count(*) filter (where type = 'referral') - count(distinct stream_id) filter (where type = 'referral'),
                   count(*) filter (where type = 'plan-started'),
                   count(distinct stream_id) filter (where type = 'plan-started')
            from caseflow.mt_events
            """, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new KpiFigures(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    /// <summary>The ids stored in a child's stream.</summary>
    public async Task<IReadOnlyList<string>> StreamIdsAsync(string child)
    {
        await using var connection = await OpenAsync();
        await using var cmd = new NpgsqlCommand("select data->>'EventId' from caseflow.mt_events where stream_id = @child", connection);
        cmd.Parameters.AddWithValue("child", child);
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Rows where the daily counts (<c>fact_counts</c>) and the facts they count (<c>child_facts</c>) disagree, as
    /// "kind/date/flags: counted n, facts m"; none when the projection kept them in step.
    /// </summary>
    public async Task<IReadOnlyList<string>> FactCountDisagreementsAsync()
    {
        await using var connection = await OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            with facts as (
                select tenant_id, kind, on_date, flags, count(*) as n from caseflow.child_facts group by 1, 2, 3, 4),
            counts as (
                select tenant_id, kind, on_date, flags, n from caseflow.fact_counts where n <> 0)
            select concat(coalesce(f.kind, c.kind), '/', coalesce(f.on_date, c.on_date), '/', coalesce(f.flags, c.flags),
                          ': counted ', coalesce(c.n, 0), ', facts ', coalesce(f.n, 0))
            from facts f
            full join counts c using (tenant_id, kind, on_date, flags)
            where coalesce(f.n, 0) <> coalesce(c.n, 0)
            order by 1
            limit 20
            """, connection);
        var rows = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>How many facts there are, to be sure the comparison above compared something.</summary>
    public async Task<long> FactCountAsync()
    {
        await using var connection = await OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from caseflow.child_facts", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<IReadOnlyDictionary<string, int>> CountsAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        // Not pooled: after the database has been restarted, a pooled connection would be a dead one.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
