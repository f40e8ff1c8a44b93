using System.Net;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Host.OpenApi;

public sealed class OpenApiDocumentTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task the_openapi_document_is_served_without_a_key()
    {
        using var anonymous = app.ClientFor(null);
        using var response = await anonymous.GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await File.WriteAllTextAsync("/tmp/openapi-v1.json", await response.Content.ReadAsStringAsync());
    }
}
