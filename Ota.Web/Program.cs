using Ota.Infrastructure;
using Ota.Web.Apis;
using Ota.Web.Cli;
using Ota.Web.Hosting;

if (CommandLine.Handles(args)) return await CommandLine.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddOtaConfiguration();
builder.Services.AddInfrastructure(builder.Configuration).AddBackgroundWork();
builder.Services.AddConsoleUi();

var app = builder.Build();
app.UseConsolePipeline();
app.MapHealth();
app.MapOpenTaskApi();
app.MapConsoleUi();
app.Run();
return 0;

/// <summary>Entry point type, public so tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
