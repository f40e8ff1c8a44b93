using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Lscb.CaseFlow.Api.Demo;
using Lscb.CaseFlow.Api.Ingestion;
using Lscb.CaseFlow.Api.Security;
using Lscb.CaseFlow.Events;
using Marten;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Lscb.CaseFlow.Api;

/// <summary>Everything the host is made of, registered in one place.</summary>
public static class CaseFlowHost
{
    public static WebApplicationBuilder AddCaseFlow(this WebApplicationBuilder builder)
    {
        // Read once here, so that a missing connection string fails at start with its own message.
        var layout = TenancyLayout.From(builder.Configuration);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        // Every raw-SQL path asks this for the caller's database; no NpgsqlDataSource is registered on its own.
        services.AddSingleton(sp => TenantDatabases.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IncomingEventValidator>();
        services.AddSingleton<EventIngestor>();
        services.AddSingleton<KpiQuery>();
        services.AddSingleton(Reference.DfeBenchmarks.Load());
        services.AddSingleton<TargetStore>();
        services.AddSingleton<Comparisons>();
        services.AddSingleton<AccessLog>();
        services.AddSingleton<Imports.Pseudonymiser>();
        services.AddSingleton<Imports.HistoryImporter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<Endpoints.DatabaseUnavailableHandler>();
        services.AddExceptionHandler<Endpoints.UnstorableTextHandler>();
        services.AddExceptionHandler<Endpoints.UnknownTenantHandler>();
        builder.AddCaseFlowSecurity();
        builder.AddCaseFlowHardening();

        services.AddMarten(sp =>
            {
                var opts = new StoreOptions();
                var databases = sp.GetRequiredService<TenantDatabases>();
                if (databases.IsMultiDatabase)
                {
                    // A database per authority (or per group of authorities), each with the whole schema.
                    databases.ConfigureMarten(opts);
                }
                else
                {
                    opts.Connection(databases.Default);
                }

                ConfigureMarten(opts);
                opts.Logger(new RedactingMartenLogger(sp.GetRequiredService<ILogger<RedactingMartenLogger>>()));
                return opts;
            })
            .UseLightweightSessions()
            .IntegrateWithWolverine(wolverine =>
            {
                // With a database per authority Wolverine wants one database of its own for its (here unused) node and
                // envelope tables: the default database.
                if (layout.Databases.Count > 0)
                {
                    wolverine.MainDatabaseConnectionString = layout.DefaultConnectionString;
                }
            })
            .ApplyAllDatabaseChangesOnStartup();
        services.AddHostedService<SchemaExtras>();

        if (builder.Configuration.GetValue<bool>("CaseFlow:SeedDemo"))
        {
            services.AddHostedService<DemoSeeder>();
        }

        builder.Host.UseWolverine(opts =>
        {
            opts.UseRuntimeCompilation();

            // Wolverine serves HTTP here and handles no messages: no inbox, outbox, node agents or durability
            // polling, so nothing in the background depends on, or fails noisily without, the database.
            opts.Durability.Mode = DurabilityMode.MediatorOnly;
        });
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

        // No retries of single commands. The projection's reads run inside the ingestor's transaction, where a retry
        // can only fail again (the transaction is aborted, or its connection gone) and hides the real error: a
        // connection ended by a database shutdown came out as "Transaction is already completed", a 500 instead of
        // a 503. The ingestor retries whole transactions itself; a failed read is a 503 the client retries.
        opts.ConfigurePolly(_ => { });
    }

    public static WebApplication MapCaseFlow(this WebApplication app)
    {
        app.UseCorrelationAndSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapWolverineEndpoints();
        return app;
    }
}
