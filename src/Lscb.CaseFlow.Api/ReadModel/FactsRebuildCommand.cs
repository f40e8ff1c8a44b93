using JasperFx.CommandLine;

[assembly: JasperFx.JasperFxAssembly]

namespace Lscb.CaseFlow.Api.ReadModel;

public sealed class FactsRebuildInput : NetCoreInput
{
    [Description("Only this authority (tenant id); by default every authority with events, in every database")]
    public string? TenantFlag { get; set; }
}

/// <summary>
/// <c>dotnet Lscb.CaseFlow.Api.dll facts-rebuild [--tenant ID]</c>: the projected tables made again from the event log
/// in bulk (<see cref="FactsRebuild"/>), one authority at a time, each in one transaction. What an administrator runs
/// after a rule changes or a table is damaged; Marten's <c>projections rebuild</c> gives the same rows, more slowly.
/// </summary>
[Description("Rebuilds facts, daily counts and data-quality findings from the event log, in bulk", Name = "facts-rebuild")]
public sealed class FactsRebuildCommand : JasperFxAsyncCommand<FactsRebuildInput>
{
    public override async Task<bool> Execute(FactsRebuildInput input)
    {
        using var host = input.BuildHost();
        var rebuild = ActivatorUtilities.CreateInstance<FactsRebuild>(host.Services);
        var tenants = input.TenantFlag is { Length: > 0 } one ? [one] : await rebuild.TenantsAsync(CancellationToken.None);
        foreach (var tenant in tenants)
        {
            var outcome = await rebuild.RebuildAsync(tenant, CancellationToken.None);
            Console.WriteLine(
                $"{outcome.TenantId}: {outcome.Events} events, {outcome.Children} children, {outcome.Facts} facts, "
                + $"{outcome.Findings} findings in {outcome.Took.TotalMilliseconds:0} ms ({outcome.Events / Math.Max(outcome.Took.TotalSeconds, 0.001):0} events/s)");
        }

        if (input.TenantFlag is not { Length: > 0 })
        {
            // Every authority made again: each database's facts are this release's.
            foreach (var db in host.Services.GetRequiredService<Storage.TenantDatabases>().Primaries)
            {
                await using var connection = await db.OpenConnectionAsync();
                await FactsVersion.MarkCurrentAsync(connection, CancellationToken.None);
            }
        }

        return true;
    }
}
