using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Lscb.CaseFlow.Api.Host.Telemetry;

/// <summary>
/// OpenTelemetry, on only when there is somewhere to send it: an OTLP endpoint (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or
/// <c>CaseFlow:Telemetry:OtlpEndpoint</c>), or <c>CaseFlow:Telemetry:Enabled</c> for an exporter added elsewhere (the
/// tests'). Otherwise nothing is recorded, so nothing can be sent. See docs/observability.md.
/// </summary>
public static class TelemetrySetup
{
    public const string Section = "CaseFlow:Telemetry";

    public static WebApplicationBuilder AddCaseFlowTelemetry(this WebApplicationBuilder builder, CaseFlowOptions settings)
    {
        var configuration = builder.Configuration;
        var telemetry = settings.Telemetry;
        var own = telemetry.OtlpEndpoint is { Length: > 0 } setting ? setting : null;
        var endpoint = own ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (endpoint is { Length: > 0 } && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            throw new InvalidOperationException($"{Section}:OtlpEndpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) must be an absolute URI.");
        }

        var export = endpoint is { Length: > 0 };
        if (!export && !telemetry.Enabled)
        {
            return builder;
        }

        // The sources the keys may send, and any more an operator names, keep their own tag whatever else is sent.
        CaseFlowTelemetry.Configure(settings.ApiKeys.SelectMany(key => key.Sources).Concat(telemetry.Sources));

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(telemetry.ServiceName ?? CaseFlowTelemetry.Name))
            .WithTracing(tracing =>
            {
                tracing.AddSource(CaseFlowTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.RecordException = false)
                    .AddNpgsql()
                    .AddProcessor(new RedactingProcessor());
                if (export)
                {
                    tracing.AddOtlpExporter(o => Configure(o, own));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CaseFlowTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (export)
                {
                    metrics.AddOtlpExporter(o => Configure(o, own));
                }
            });

        return builder;
    }

    /// <summary>The standard variables are the exporter's own to read (with their per-signal paths); this service's setting is used as given.</summary>
    private static void Configure(OtlpExporterOptions options, string? own)
    {
        if (own is not null)
        {
            options.Endpoint = new Uri(own);
        }
    }
}
