using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Tests.Http;

/// <summary>One reading of Content-Type for every endpoint: parsed, parameters aside, the type compared exactly.</summary>
public sealed class MediaTypesTests
{
    [Theory]
    [InlineData("application/json", "application/json")]
    [InlineData("Application/JSON; charset=utf-8", "application/json")]
    [InlineData("application/cloudevents-batch+json ; charset=\"utf-8\"", "application/cloudevents-batch+json")]
    [InlineData("application/jsonx", "application/jsonx")]
    [InlineData(";;;", null)]
    [InlineData("application/", null)]
    [InlineData("/json", null)]
    [InlineData("application/xml, application/json", null)]
    [InlineData(null, null)]
    public void a_content_type_is_read_as_its_media_type_without_parameters(string? contentType, string? mediaType) =>
        MediaTypes.MediaTypeOf(contentType).ShouldBe(mediaType);

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("application/cloudevents+json", true)]
    [InlineData("application/problem+json;charset=utf-8", true)]
    [InlineData("application/jsonx", false)]
    [InlineData("application/+json", false)]
    [InlineData("text/plain+json", false)]
    [InlineData("text/json", false)]
    [InlineData("application/xml", false)]
    public void json_is_application_json_or_an_application_plus_json_type(string contentType, bool json) =>
        MediaTypes.IsJson(contentType).ShouldBe(json);

    [Theory]
    [InlineData("application/xml", true)]
    [InlineData("TEXT/XML; charset=utf-8", true)]
    [InlineData("application/xmlx", false)]
    [InlineData("application/xml-dtd", false)]
    public void one_of_is_an_exact_match_not_a_prefix(string contentType, bool matches) =>
        MediaTypes.IsOneOf(contentType, ["application/xml", "text/xml"]).ShouldBe(matches);
}
