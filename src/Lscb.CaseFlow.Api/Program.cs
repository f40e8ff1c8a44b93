using JasperFx;
using Lscb.CaseFlow.Api.Host;
using Lscb.CaseFlow.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddCaseFlow();

var app = builder.Build();
app.MapCaseFlow();

return await app.RunJasperFxCommands(args);

/// <summary>The API host; public so that tests can start it.</summary>
public partial class Program;
