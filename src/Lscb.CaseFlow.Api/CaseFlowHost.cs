using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Lscb.CaseFlow.Api.Demo;
using Lscb.CaseFlow.Api.Ingestion;
using Lscb.CaseFlow.Api.Security;
using Lscb.CaseFlow.Events;
using Marten;
using Npgsql;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Lscb.CaseFlow.Api;

/// <summary>Everything the host is made of, registered in one place.</summary>
public static class CaseFlowHost
{
    public static WebApplicationBuilder AddCaseFlow(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("CaseFlow")
            ?? throw new InvalidOperationException(
                "Set the PostgreSQL connection string ConnectionStrings:CaseFlow (environment: ConnectionStrings__CaseFlow).");

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<IncomingEventValidator>();
        services.AddSingleton<EventIngestor>();
        services.AddSingleton<KpiQuery>();
        services.AddSingleton(Reference.DfeBenchmarks.Load());
        services.AddSingleton<TargetStore>();
        services.AddSingleton<Comparisons>();
        services.AddProblemDetails();
        builder.AddCaseFlowSecurity();

        services.AddMarten(ConfigureMarten)
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            .IntegrateWithWolverine()
            .ApplyAllDatabaseChangesOnStartup();

        if (builder.Configuration.GetValue<bool>("CaseFlow:SeedDemo"))
        {
            services.AddHostedService<DemoSeeder>();
        }

        builder.Host.UseWolverine(opts => opts.UseRuntimeCompilation());
        services.AddWolverineHttp();
        return builder;
    }

    public static void ConfigureMarten(StoreOptions opts)
    {
        opts.DatabaseSchemaName = CaseFlowTables.Schema;

        // One stream per child, keyed by the CloudEvents subject, within its local authority (tenant): two
        // authorities may use the same pseudonymous id. Event types are stored under their wire names.
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.TenancyStyle = TenancyStyle.Conjoined;
        opts.Policies.AllDocumentsAreMultiTenanted();
        foreach (var type in EventTypes.All)
        {
            opts.Events.MapEventType(type.ClrType, type.Name);
        }

        opts.Projections.Add(new ChildFactsProjection(), ProjectionLifecycle.Inline, ChildFactsProjection.Name, null);
        opts.Storage.ExtendedSchemaObjects.AddRange(CaseFlowTables.All());
    }

    public static WebApplication MapCaseFlow(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapWolverineEndpoints();
        return app;
    }
}
