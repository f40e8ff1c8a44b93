using JasperFx.CodeGeneration;
using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Lscb.CaseFlow.Api.Host.Demo;
using Lscb.CaseFlow.Api.Features.Ingesting;
using Lscb.CaseFlow.Api.Host.Security;
using Lscb.CaseFlow.Events;
using Marten;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;
using Lscb.CaseFlow.Api.Features.Kpis;
using Lscb.CaseFlow.Api.Http;
using Lscb.CaseFlow.Api.Features.Audit;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using Lscb.CaseFlow.Api.Host.Telemetry;
using Lscb.CaseFlow.Api.Features.Reference;
using Lscb.CaseFlow.Api.ReadModel;
using Lscb.CaseFlow.Api.Features.Importing;
using Lscb.CaseFlow.Api.Host.Health;
using Lscb.CaseFlow.Api.Host.OpenApi;

namespace Lscb.CaseFlow.Api.Host;

/// <summary>Everything the host is made of, registered in one place.</summary>
public static class CaseFlowHost
{
    public static WebApplicationBuilder AddCaseFlow(this WebApplicationBuilder builder)
    {
        // Read once here, so that a missing connection string or a wrong setting fails at start with its own message.
        var settings = CaseFlowOptions.From(builder.Configuration);
        var layout = TenancyLayout.From(builder.Configuration);
        var projections = ProjectionSettings.From(builder.Configuration);

        // CaseFlow:Schema:AutoCreate=false: the schema belongs to another role, which applies it (db-apply) and grants this
        // one what it needs (db-grant); the service then changes nothing of it and needs to own nothing (deploy/README.md).
        var ownsSchema = settings.Schema.AutoCreate;

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        // Every raw-SQL path asks this for the caller's database; no NpgsqlDataSource is registered on its own.
        services.AddSingleton(sp => TenantDatabases.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IncomingEventValidator>();
        services.AddSingleton<EventIngestor>();
        services.AddSingleton<KpiQuery>();
        services.AddSingleton<BreakdownQuery>();
        services.AddSingleton<CohortQuery>();
        var dfe = DfeBenchmarks.Load();
        services.AddSingleton(settings);
        services.AddSingleton(dfe);
        services.AddSingleton(new Authorities(settings, dfe));
        services.AddSingleton<TargetStore>();
        services.AddSingleton<Comparisons>();
        services.AddSingleton<AccessLog>();
        services.AddSingleton<DatabaseHealth>();
        services.AddSingleton<Pseudonymiser>();
        services.AddSingleton<HistoryImporter>();
        services.AddSingleton(ImportLimits.From(builder.Configuration));
        services.AddSingleton<ImportGate>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.InOurWords);
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddExceptionHandler<UnstorableTextHandler>();
        services.AddExceptionHandler<UnknownTenantHandler>();
        services.AddExceptionHandler<ProjectionBehindHandler>();
        builder.AddCaseFlowSecurity(settings);
        builder.AddCaseFlowHardening(settings);
        builder.AddCaseFlowTelemetry(settings);
        builder.AddCaseFlowOpenApi();

        var marten = services.AddMarten(sp =>
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

                ConfigureMarten(opts, sp.GetRequiredService<ILoggerFactory>(), projections.Lifecycle, ownsSchema);
                opts.Logger(new RedactingMartenLogger(sp.GetRequiredService<ILogger<RedactingMartenLogger>>()));
                return opts;
            })
            .UseLightweightSessions()
            .IntegrateWithWolverine(wolverine =>
            {
                // With a database per authority Wolverine wants one database of its own for its node and envelope
                // tables: the default database.
                if (layout.Databases.Count > 0)
                {
                    wolverine.MainDatabaseConnectionString = layout.DefaultConnectionString;
                }

                // Asynchronous projection: Wolverine runs Marten's daemons as agents, one per database, spread over
                // the nodes by the elected leader and moved when a node leaves or stops answering. Never Marten's own
                // AddAsyncDaemon beside it.
                wolverine.UseWolverineManagedEventSubscriptionDistribution = projections.Async;
            });
        if (ownsSchema)
        {
            // Tables, functions, the access log's trigger and the one-off backfill, in every database (Marten's schema
            // management; the same objects db-apply applies).
            marten.ApplyAllDatabaseChangesOnStartup();
        }

        services.AddHostedService<FactsVersion>();
        if (settings.SeedDemo)
        {
            services.AddHostedService<DemoSeeder>();
        }

        var development = builder.Environment.IsDevelopment();
        builder.Host.UseWolverine(opts =>
        {
            // Outside Development the endpoints' code is the pre-generated code compiled into this assembly
            // (Internal/Generated, written by `codegen write`): no compiler at start or on a first request, so the
            // service is ready sooner and smaller. In Development it is generated at run time, so a changed endpoint
            // works without a step. CI regenerates the files and fails on a difference (.ci/check-generated-code).
            opts.UseRuntimeCompilation();
            if (!ownsSchema)
            {
                opts.AutoBuildMessageStorageOnStartup = JasperFx.AutoCreate.None;
            }

            opts.CodeGeneration.TypeLoadMode = development ? TypeLoadMode.Dynamic : TypeLoadMode.Static;

            // Wolverine serves HTTP here and handles no messages. With the inline projection nothing runs in the
            // background either: no inbox, outbox, node agents or durability polling, so nothing depends on, or fails
            // noisily without, the database. The asynchronous projection needs the node agents (heartbeats, leader
            // election, agent assignment), which live in Wolverine's durable mode.
            if (projections.Async)
            {
                opts.Durability.Mode = DurabilityMode.Balanced;
                opts.Durability.HealthCheckPollingTime = projections.HealthCheck;
                opts.Durability.StaleNodeTimeout = projections.StaleNode;
            }
            else
            {
                opts.Durability.Mode = DurabilityMode.MediatorOnly;
            }
        });
        services.AddWolverineHttp();
        return builder;
    }

    public static void ConfigureMarten(
        StoreOptions opts, ILoggerFactory? loggers = null, ProjectionLifecycle lifecycle = ProjectionLifecycle.Inline, bool ownsSchema = true)
    {
        opts.DatabaseSchemaName = CaseFlowTables.Schema;

        // Not owning the schema, the service never tries to change it (it could not: it owns nothing); db-apply still
        // applies everything, whatever this says.
        if (!ownsSchema)
        {
            opts.AutoCreateSchemaObjects = JasperFx.AutoCreate.None;
        }

        // One stream per child, keyed by the CloudEvents subject, within its local authority (tenant): two
        // authorities may use the same pseudonymous id. Event types are stored under their wire names.
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.TenancyStyle = TenancyStyle.Conjoined;
        opts.Policies.AllDocumentsAreMultiTenanted();
        foreach (var type in EventTypes.All)
        {
            opts.Events.MapEventType(type.ClrType, type.Name);
        }

        // A rebuild (Marten's `projections rebuild` command, or the daemon's RebuildProjectionAsync) first empties what
        // the projection writes, in every table, or only the tenant's rows when one tenant is rebuilt; the identities
        // (dense numbers) stay. The facts and the daily counts then come back from the event log alone: the counts
        // move by differences, so they must start from nothing.
        opts.Projections.Add(new ChildFactsProjection(loggers?.CreateLogger<ChildFactsProjection>()), lifecycle, ChildFactsProjection.Name, rebuild =>
        {
            rebuild.TeardownDataOnRebuild = true;
            // Pages of 2,000 events rather than 500: a third less time on the benchmark's events (5,000: slower again).
            rebuild.BatchSize = 2_000;
            rebuild.DeleteDataInTableOnTeardown(CaseFlowTables.ChildFacts);
            rebuild.DeleteDataInTableOnTeardown(CaseFlowTables.FactCounts);
            rebuild.DeleteDataInTableOnTeardown(CaseFlowTables.Findings);
        });
        opts.Storage.ExtendedSchemaObjects.AddRange(CaseFlowTables.All());

        // After the tables they depend on; what Weasel cannot model, applied the same way (SqlSchemaObject).
        opts.Storage.ExtendedSchemaObjects.Add(JourneyReadsSchema.AppendOnly);
        opts.Storage.ExtendedSchemaObjects.Add(PreviousDatesBackfill.Object);

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
        // Strict query values: "publication=1" or "limit=abc" is a 400, never the parameter's default (which would have
        // turned publication mode's suppression off without a word).
        app.MapWolverineEndpoints(opts => opts.RejectUnparseableQueryValues = true);
        app.MapCaseFlowOpenApi();
        return app;
    }
}
