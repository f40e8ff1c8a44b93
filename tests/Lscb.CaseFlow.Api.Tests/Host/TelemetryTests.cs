using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CloudNative.CloudEvents;
using Lscb.CaseFlow.Api.Host.Telemetry;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Lscb.CaseFlow.Api.Tests.Host;

/// <summary>The app with OpenTelemetry on and an in-memory exporter where OTLP would be.</summary>
public sealed class TelemetryApp : CaseFlowApp
{
    public ConcurrentQueue<Activity> Spans { get; } = new();

    public List<Metric> Metrics { get; } = [];

    /// <summary>A source of this fixture's own, named in configuration so that it keeps its tag in a busy process.</summary>
    public string Source { get; } = $"urn:lscb:test:telemetry-{Guid.NewGuid():N}"[..40];

    public TelemetryApp()
    {
        Settings = new Dictionary<string, string> { ["CaseFlow:Telemetry:Enabled"] = "true", ["CaseFlow:Telemetry:Sources:0"] = Source };
        MoreServices = services => services.AddOpenTelemetry()
            .WithTracing(t => t.AddProcessor(new SimpleActivityExportProcessor(new QueueExporter(Spans))))
            .WithMetrics(m => m.AddInMemoryExporter(Metrics));
    }

    /// <summary>What the meters hold now, exported.</summary>
    public List<Metric> FlushMetrics()
    {
        lock (Metrics)
        {
            Metrics.Clear();
            Host.Services.GetRequiredService<MeterProvider>().ForceFlush().ShouldBeTrue();
            return [.. Metrics];
        }
    }

    /// <summary>Thread-safe: spans of every test class's host end on their own threads.</summary>
    private sealed class QueueExporter(ConcurrentQueue<Activity> to) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                to.Enqueue(activity);
            }

            return ExportResult.Success;
        }
    }
}

/// <summary>
/// OpenTelemetry: a producer's trace continues into this service's spans, the counters count by source, and no
/// payload, subject, child id or key is in any span or metric.
/// </summary>
public sealed class TelemetryTests(TelemetryApp app) : IClassFixture<TelemetryApp>
{
    private static string TraceParentOf(ActivityTraceId trace) => $"00-{trace}-{ActivitySpanId.CreateRandom()}-01";

    [Theory]
    [InlineData("binary")]
    [InlineData("structured")]
    [InlineData("batched")]
    public async Task an_events_traceparent_continues_into_the_services_spans(string mode)
    {
        var trace = ActivityTraceId.CreateRandom();
        var e = CsharpSdk.From(Ce.Contact(Ce.Subject(), "2016-04-12", "CT-1"));
        e["traceparent"] = TraceParentOf(trace);
        using var content = mode switch
        {
            "binary" => CsharpSdk.Binary(e),
            "structured" => CsharpSdk.Structured(e),
            _ => CsharpSdk.Batch(e),
        };

        using var response = await app.PostAsync(content);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var spans = await SpansOfTraceAsync(trace, s => s.OperationName == "caseflow.ingest");
        var ingest = spans.ShouldHaveSingleItem();
        ingest.ParentSpanId.ToString().ShouldBe(e["traceparent"]!.ToString()!.Split('-')[2]);
        // The database work of the ingest is in the producer's trace too.
        (await SpansOfTraceAsync(trace, s => s.Source.Name == "Npgsql")).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task a_batchs_traceparents_are_links_of_the_ingest_span()
    {
        var child = Ce.Subject();
        var traces = Enumerable.Range(0, 3).Select(_ => ActivityTraceId.CreateRandom()).ToList();
        var events = traces.Select((t, i) =>
        {
            var e = CsharpSdk.From(Ce.Contact(child, "2016-04-12", $"CT-{i}"));
            e["traceparent"] = TraceParentOf(t);
            return e;
        }).ToArray();

        using var response = await app.PostAsync(CsharpSdk.Batch(events));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var ingest = await SpanAsync(s => s.OperationName == "caseflow.ingest" && s.Links.Any(l => l.Context.TraceId == traces[0]));
        ingest.Links.Select(l => l.Context.TraceId).ShouldBe(traces, ignoreOrder: true);
    }

    [Fact]
    public async Task accepted_duplicate_and_refused_events_are_counted_by_source()
    {
        var source = app.Source;
        var child = Ce.Subject();
        var first = Ce.Contact(child, "2016-04-12", "CT-1");
        var second = Ce.Contact(child, "2016-04-13", "CT-2");
        first["source"] = source;
        second["source"] = source;
        var bad = Ce.Contact(child, "2016-04-14", "CT-3");
        bad["source"] = source;
        bad["childname"] = "Naseem";

        (await app.IngestAsync(Ce.Batch(first, second))).ShouldBe((2, 0));
        (await app.IngestAsync(Ce.Batch(first, first))).ShouldBe((0, 2));
        using (var refused = await app.PostEventsAsync(Ce.Batch(second, bad)))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        var metrics = app.FlushMetrics();
        Sum(metrics, "caseflow.events.accepted", source).ShouldBe(2);
        Sum(metrics, "caseflow.events.duplicate", source).ShouldBe(2);
        Sum(metrics, "caseflow.events.refused", source).ShouldBe(2);
    }

    [Fact]
    public void past_the_bound_new_sources_share_one_tag_and_configured_ones_keep_theirs()
    {
        for (var i = 0; i <= CaseFlowTelemetry.MaxSources; i++)
        {
            CaseFlowTelemetry.SourceValue($"urn:lscb:test:fill-{Guid.NewGuid():N}");
        }

        CaseFlowTelemetry.SourceValue($"urn:lscb:test:new-{Guid.NewGuid():N}").ShouldBe(CaseFlowTelemetry.OtherSource);
        CaseFlowTelemetry.SourceValue(app.Source).ShouldBe(app.Source);
        CaseFlowTelemetry.SourceValue(Ce.Mash).ShouldBe(Ce.Mash);
        CaseFlowTelemetry.SourceValue("urn:x\u0001").ShouldBe(CaseFlowTelemetry.InvalidSource);
        CaseFlowTelemetry.SourceValue(null).ShouldBe(CaseFlowTelemetry.InvalidSource);
    }

    [Fact]
    public async Task kpi_queries_are_timed()
    {
        await app.GetJsonAsync("/api/kpis?from=2016-04-01&to=2017-03-31");

        var histogram = app.FlushMetrics().Where(m => m.Name == "caseflow.kpi.query.duration").ShouldHaveSingleItem();
        histogram.MetricType.ShouldBe(MetricType.Histogram);
        var count = 0L;
        foreach (ref readonly var point in histogram.GetMetricPoints())
        {
            count += point.GetHistogramCount();
        }

        count.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task no_child_id_subject_payload_or_key_is_in_any_span_or_metric()
    {
        var child = Ce.Subject("SECRETCHILD");
        var trace = ActivityTraceId.CreateRandom();
        var contact = CsharpSdk.From(Ce.Contact(child, "2016-04-12", "CT-SECRETCONTACT"));
        contact["traceparent"] = TraceParentOf(trace);
        using (var posted = await app.PostAsync(CsharpSdk.Binary(contact)))
        {
            posted.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var refused = await app.PostAsync(CsharpSdk.Structured(WithExtension(contact))))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        using (var journey = await app.Client.GetAsync($"/api/children/{child}/journey?secret={child}"))
        {
            journey.IsSuccessStatusCode.ShouldBeTrue();
        }

        using (var notFound = await app.Client.GetAsync($"/api/nowhere/{child}?q={child}"))
        {
            notFound.IsSuccessStatusCode.ShouldBeFalse();
        }

        var journeySpan = await SpanAsync(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/api/children/{childId}/journey", StringComparison.Ordinal));
        journeySpan.GetTagItem("url.path").ShouldBe("/api/children/{childId}/journey");
        journeySpan.GetTagItem("url.query").ShouldBeNull();

        string[] secrets = [child, "CT-SECRETCONTACT", "Naseem", .. CaseFlowApp.Keys.Values.Select(k => k.Key)];
        var exported = app.Spans.ToList();
        exported.ShouldNotBeEmpty();
        foreach (var span in exported)
        {
            var texts = new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? "" }
                .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")))
                .Concat(span.Baggage.Select(b => $"{b.Key}={b.Value}"));
            foreach (var text in texts)
            {
                secrets.ShouldNotContain(s => text.Contains(s, StringComparison.Ordinal), $"{span.Source.Name} {span.DisplayName}: {text}");
            }
        }

        foreach (var metric in app.FlushMetrics())
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    var text = $"{tag.Key}={tag.Value}";
                    secrets.ShouldNotContain(s => text.Contains(s, StringComparison.Ordinal), $"{metric.Name}: {text}");
                }
            }
        }
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("CaseFlow:Telemetry:Enabled", "true", true)]
    [InlineData("CaseFlow:Telemetry:OtlpEndpoint", "http://collector.council.test:4317", true)]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.council.test:4317", true)]
    public void telemetry_is_on_only_when_an_endpoint_or_the_setting_is_given(string? key, string? value, bool on)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateEmptyBuilder(new());
        if (key is not null)
        {
            builder.Configuration[key] = value;
        }

        builder.AddCaseFlowTelemetry(Lscb.CaseFlow.Api.Host.CaseFlowOptions.From(builder.Configuration));

        builder.Services.Any(d => d.ServiceType == typeof(TracerProvider)).ShouldBe(on);
        builder.Services.Any(d => d.ServiceType == typeof(MeterProvider)).ShouldBe(on);
    }

    private static CloudEvent WithExtension(CloudEvent e)
    {
        var copy = CsharpSdk.From(Ce.Contact(e.Subject!, "2016-04-13", "CT-SECRETCONTACT"));
        copy["childname"] = "Naseem";
        return copy;
    }

    private static long Sum(IEnumerable<Metric> metrics, string name, string source)
    {
        var sum = 0L;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    if (tag.Key == CaseFlowTelemetry.SourceTag && (string?)tag.Value == source)
                    {
                        sum += point.GetSumLong();
                    }
                }
            }
        }

        return sum;
    }

    private async Task<Activity> SpanAsync(Func<Activity, bool> match)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (app.Spans.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "no such span was exported");
            await Task.Delay(50);
        }
    }

    private async Task<List<Activity>> SpansOfTraceAsync(ActivityTraceId trace, Func<Activity, bool> match)
    {
        await SpanAsync(s => s.TraceId == trace && match(s));
        return app.Spans.Where(s => s.TraceId == trace && match(s)).ToList();
    }
}
