using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Features.Ingesting;
using Lscb.CaseFlow.Api.Features.Reference;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.Host.Demo;

/// <summary>
/// With <c>CaseFlow:SeedDemo=true</c>, loads the demo authority into an empty store before the service
/// answers: Naseem's family and the synthetic population (<see cref="DemoData"/>) through the same validation and
/// ingestion path that upstream systems use, then the population estimates and the seed's targets.
/// </summary>
public sealed class DemoSeeder(
    IncomingEventValidator validator, EventIngestor ingestor, TargetStore targets, TenantDatabases databases, ILogger<DemoSeeder> logger)
    : IHostedService
{
    private const int BatchSize = 2_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The demo authority is the default tenant: its database, whichever that is.
        var db = databases.For(TenantIds.Default);
        await using (var cmd = db.CreateCommand($"select exists (select 1 from {CaseFlowTables.EventKeys} where tenant_id = @tenant)"))
        {
            cmd.Parameters.AddWithValue("tenant", TenantIds.Default);
            if ((bool)(await cmd.ExecuteScalarAsync(cancellationToken))!)
            {
                logger.LogInformation("The store holds events already: no demo data loaded.");
                return;
            }
        }

        var clock = Stopwatch.StartNew();
        await using var naseem = typeof(DemoSeeder).Assembly.GetManifestResourceStream("Lscb.CaseFlow.Api.Demo.naseem.json")!;
        var family = (await JsonNode.ParseAsync(naseem, cancellationToken: cancellationToken))!.AsArray().Select(e => e!.AsObject());
        var events = family.Concat(DemoData.SyntheticPopulation()).ToList();
        foreach (var batch in events.Chunk(BatchSize))
        {
            await StoreAsync(batch, cancellationToken);
        }

        foreach (var (year, children) in DemoData.Population)
        {
            await using var cmd = db.CreateCommand($"""
                insert into {CaseFlowTables.Populations} (tenant_id, year, children) values (@tenant, @year, @children)
                on conflict do nothing
                """);
            cmd.Parameters.AddWithValue("tenant", TenantIds.Default);
            cmd.Parameters.AddWithValue("year", year);
            cmd.Parameters.AddWithValue("children", children);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (kpi, target) in DemoData.Targets)
        {
            await targets.SetAsync(TenantIds.Default, kpi, target, cancellationToken);
        }

        logger.LogInformation("Demo data loaded: {Count} events in {Seconds:0.0} s.", events.Count, clock.Elapsed.TotalSeconds);
    }

    private async Task StoreAsync(IReadOnlyList<JsonObject> batch, CancellationToken ct)
    {
        var incoming = batch.Select((e, i) => new IncomingEvent(i, JsonSerializer.SerializeToElement(e))).ToList();
        if (validator.FindInvalid(incoming) is { Count: > 0 } invalid)
        {
            throw new InvalidOperationException($"The demo data breaks the contract at {invalid.Count} events.");
        }

        var valid = incoming.Select(ValidEvent.From).ToList();
        if (await ingestor.StoreAsync(valid, TenantIds.Default, ct) is not IngestionOutcome.Stored)
        {
            throw new InvalidOperationException("The demo data was refused by the event store.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
