using Microsoft.Extensions.Configuration;
using Lscb.CaseFlow.Api.Host;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Host;

/// <summary>Every <c>CaseFlow:*</c> setting is bound and checked at start: a mistake stops the start and names its key.</summary>
public sealed class ConfigurationTests
{
    private static CaseFlowOptions Read(params (string Key, string Value)[] settings) =>
        CaseFlowOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void the_settings_a_deployment_uses_are_bound_to_their_options()
    {
        var options = Read(
            ("CaseFlow:Authority:LaCode", "334"),
            ("CaseFlow:Tenancy:Authorities:E08000030", "335"),
            ("CaseFlow:RateLimit:PermitsPerMinute", "90"),
            ("CaseFlow:Schema:AutoCreate", "false"),
            ("CaseFlow:ApiKeys:0:Name", "mash"),
            ("CaseFlow:ApiKeys:0:Roles:0", "ingest"),
            ("CaseFlow:Imports:MaxDepth", "64"),
            ("CaseFlow:Projections:Mode", "Async"));

        options.Authority.LaCode.ShouldBe("334");
        options.Tenancy.Authorities["E08000030"].ShouldBe("335");
        options.RateLimit.PermitsPerMinute.ShouldBe(90);
        options.RateLimit.HealthPermitsPerMinute.ShouldBe(1_200, "a default where nothing is set");
        options.Schema.AutoCreate.ShouldBeFalse();
        options.ApiKeys.ShouldHaveSingleItem().Roles.ShouldBe(["ingest"]);
    }

    [Theory]
    [InlineData("CaseFlow:RateLimit:PermitsPerMinut", "90", "CaseFlow:RateLimit:PermitsPerMinut is not a setting")]
    [InlineData("CaseFlow:Autority:LaCode", "334", "CaseFlow:Autority is not a setting")]
    [InlineData("CaseFlow:ApiKeys:0:Role", "ingest", "CaseFlow:ApiKeys:0:Role is not a setting")]
    [InlineData("CaseFlow:RateLimit:PermitsPerMinute", "many", "CaseFlow:RateLimit:PermitsPerMinute")]
    [InlineData("CaseFlow:RateLimit:PermitsPerMinute", "0", "CaseFlow:RateLimit:PermitsPerMinute must be a positive whole number")]
    [InlineData("CaseFlow:Schema:AutoCreate", "perhaps", "CaseFlow:Schema:AutoCreate")]
    [InlineData("CaseFlow:Health:CacheMilliseconds", "-1", "CaseFlow:Health:CacheMilliseconds must be 0 or more")]
    [InlineData("CaseFlow:Imports:MaxDepth", "-3", "CaseFlow:Imports:MaxDepth must be a positive whole number")]
    [InlineData("CaseFlow:Projections:Mode", "Sometimes", "CaseFlow:Projections:Mode must be 'Inline' or 'Async'")]
    [InlineData("CaseFlow:Tenancy:Authorities:E08000030", " ", "CaseFlow:Tenancy:Authorities:E08000030 must name")]
    public void a_wrong_setting_stops_the_start_with_a_message_naming_its_key(string key, string value, string message)
    {
        Should.Throw<InvalidOperationException>(() => Read((key, value))).Message.ShouldContain(message);
    }

    [Fact]
    public async Task an_authority_the_dfe_files_do_not_know_stops_the_start()
    {
        var app = new CaseFlowApp { Settings = new Dictionary<string, string> { ["CaseFlow:Tenancy:Authorities:E08000030"] = "999" } };
        try
        {
            var failure = await Should.ThrowAsync<Exception>(app.InitializeAsync);
            Unwrap(failure).Message.ShouldContain("CaseFlow:Tenancy:Authorities:E08000030 is '999', which is no local authority");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static Exception Unwrap(Exception e) =>
        e is InvalidOperationException { Message: var m } && m.StartsWith("Configuration:", StringComparison.Ordinal) || e.InnerException is null ? e : Unwrap(e.InnerException);
}
