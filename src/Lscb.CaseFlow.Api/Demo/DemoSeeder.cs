using System.Text.Json;
using Lscb.CaseFlow.Api.Ingestion;
using Npgsql;

namespace Lscb.CaseFlow.Api.Demo;

/// <summary>
/// With <c>CaseFlow:SeedDemo=true</c>, loads the demo family into an empty store through the same
/// validation and ingestion path that upstream systems use.
/// </summary>
public sealed class DemoSeeder(IncomingEventValidator validator, EventIngestor ingestor, NpgsqlDataSource db, ILogger<DemoSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var cmd = db.CreateCommand($"select exists (select 1 from {CaseFlowTables.EventKeys})"))
        {
            if ((bool)(await cmd.ExecuteScalarAsync(cancellationToken))!)
            {
                logger.LogInformation("The store holds events already: no demo data loaded.");
                return;
            }
        }

        await using var stream = typeof(DemoSeeder).Assembly.GetManifestResourceStream("Lscb.CaseFlow.Api.Demo.naseem.json")!;
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var incoming = document.RootElement.EnumerateArray().Select((e, i) => new IncomingEvent(i, e)).ToList();
        var invalid = validator.FindInvalid(incoming);
        if (invalid.Count > 0)
        {
            throw new InvalidOperationException($"The demo data breaks the contract at {invalid.Count} events.");
        }

        var valid = incoming.Select(e => new ValidEvent(e.Index, e.Source!, e.Id!, e.Subject!, e.Type!,
            ContentHash.Of(e.Type!, e.Subject!, e.Data!.Value), EventMapper.ToDomain(e))).ToList();
        var outcome = await ingestor.StoreAsync(valid, TenantIds.Default, cancellationToken);
        logger.LogInformation("Demo data loaded: {Outcome}.", outcome);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
