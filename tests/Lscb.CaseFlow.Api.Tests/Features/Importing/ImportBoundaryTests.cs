using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Features.Importing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Importing;

/// <summary>What an import refuses as a whole, with a problem and nothing stored.</summary>
public sealed class ImportBoundaryTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task an_authority_without_a_pseudonymisation_secret_is_refused_before_anything_is_read()
    {
        using var client = app.ClientFor("no-secret");

        var (status, problem) = await Samples.ImportAsync(client, "cin-census", Samples.Bytes(Samples.FakeCensus));

        status.ShouldBe(409);
        problem["title"]!.GetValue<string>().ShouldBe("Imports are not set up for this authority");
        problem["detail"]!.GetValue<string>().ShouldContain("CaseFlow:Pseudonymisation:Secrets:E09000001");
        (await app.StoredEventCountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task a_key_that_may_not_send_imported_history_is_refused()
    {
        using var client = app.ClientFor("mash-only");

        var (status, problem) = await Samples.ImportAsync(client, "annex-a", Samples.Bytes(Samples.AnnexA));

        status.ShouldBe(403);
        problem["detail"]!.GetValue<string>().ShouldContain("urn:lscb:history");
    }

    [Theory]
    [InlineData("cin-census", "application/json", "{}", 415)]
    [InlineData("annex-a", "text/csv", "a,b", 415)]
    [InlineData("cin-census", "application/xmlx", "<Message/>", 415)]
    [InlineData("cin-census", "text/xml-external-parsed-entity", "<Message/>", 415)]
    [InlineData("annex-a", "application/octet-streamy", "not a workbook", 415)]
    [InlineData("cin-census", "APPLICATION/XML; charset=utf-8", "<Message", 400)]
    [InlineData("cin-census", "application/xml", "", 400)]
    [InlineData("cin-census", "application/xml", "<Message", 400)]
    [InlineData("annex-a", "application/octet-stream", "not a workbook", 400)]
    public async Task a_body_that_is_not_the_file_is_refused(string format, string mediaType, string body, int expected)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);

        using var response = await app.Client.PostAsync($"/api/imports/{format}", content);

        ((int)response.StatusCode).ShouldBe(expected);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await app.StoredEventCountAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData("?year=twenty")]
    [InlineData("?year=1999")]
    public async Task a_malformed_year_is_refused(string query)
    {
        var (status, problem) = await Samples.ImportAsync(app.Client, "cin-census", Samples.Bytes(Samples.OneChild), query);

        status.ShouldBe(400);
        problem["detail"]!.GetValue<string>().ShouldContain("'year'");
    }

    [Fact]
    public async Task a_file_over_the_limit_is_refused_without_reading_it_all()
    {
        using var content = new StreamContent(new ZeroStream(ImportLimits.Default.MaxBytes + 1));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");

        using var response = await app.Client.PostAsync("/api/imports/cin-census", content);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("cin-census", 400, "CaseFlow:Imports:MaxDepth")]
    [InlineData("annex-a", 413, "CaseFlow:Imports:MaxSharedStringCharacters")]
    public async Task a_file_past_a_limit_is_refused_with_the_limit_named_and_nothing_stored(string format, int expected, string limit)
    {
        var file = format == "cin-census" ? HostileFiles.DeepCensus(100_000) : HostileFiles.ExpandingSharedStringsAnnexA(20_000_000);

        var (status, problem) = await Samples.ImportAsync(app.Client, format, file);

        status.ShouldBe(expected);
        problem["limit"]!["name"]!.GetValue<string>().ShouldBe(limit);
        problem["limit"]!["value"]!.GetValue<long>().ShouldBePositive();
        problem["detail"]!.GetValue<string>().ShouldEndWith("Nothing was stored.");
        (await app.StoredEventCountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task an_import_beyond_what_a_node_reads_at_once_is_told_to_come_back_and_nothing_is_read()
    {
        var gate = app.Host.Services.GetRequiredService<ImportGate>();
        var slots = Enumerable.Range(0, gate.Limits.MaxConcurrent).Select(_ => gate.TryEnter()).ToList();
        slots.ShouldAllBe(s => s != null);
        try
        {
            var content = new ByteArrayContent(Samples.Bytes(Samples.OneChild));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            using var busy = await app.Client.PostAsync("/api/imports/cin-census", content);

            ((int)busy.StatusCode).ShouldBe(429);
            busy.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(ImportGate.RetryAfterSeconds));
            (await CaseFlowApp.ProblemOf(busy))["title"]!.GetValue<string>().ShouldBe("Imports busy");
        }
        finally
        {
            slots.ForEach(s => s!.Dispose());
        }

        (await Samples.ImportAsync(app.Client, "cin-census", Samples.Bytes(Samples.OneChild))).Status.ShouldBe(200, "a slot is free again");
    }

    [Fact]
    public void limits_come_from_configuration_and_a_limit_that_is_not_a_positive_number_stops_the_start()
    {
        static IConfiguration Settings(params (string Key, string Value)[] settings) =>
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

        ImportLimits.From(Settings()).MaxEvents.ShouldBe(ImportLimits.Default.MaxEvents);
        ImportLimits.From(Settings(("CaseFlow:Imports:MaxEvents", "10"))).MaxEvents.ShouldBe(10);
        Should.Throw<InvalidOperationException>(() => ImportLimits.From(Settings(("CaseFlow:Imports:MaxDepth", "0"))))
            .Message.ShouldContain("CaseFlow:Imports:MaxDepth");
        Should.Throw<InvalidOperationException>(() => ImportLimits.From(Settings(("CaseFlow:Imports:MaxBytes", "3000000000"))))
            .Message.ShouldContain("MaxBytes");
    }

    [Fact]
    public async Task the_answer_has_the_issue_s_shape()
    {
        var answer = await Samples.ImportOkAsync(app.Client, "cin-census", Samples.Bytes(Samples.OneChild));

        answer.AsObject().Select(p => p.Key).ShouldBe(["events", "duplicates", "rejected", "warnings", "rejectedTotal", "warningsTotal"]);
        answer["rejected"]![0]!.AsObject().Select(p => p.Key).ShouldBe(["where", "reason"]);
        _ = answer["events"]!.GetValue<int>();
        (answer["rejected"] is JsonArray).ShouldBeTrue();
    }

    /// <summary>A body of zeros that is never held in memory whole, sent without a length.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
