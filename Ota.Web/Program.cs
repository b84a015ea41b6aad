using Ota.Web.Cli;
using Ota.Web.Hosting;

if (CommandLine.Handles(args)) return await CommandLine.RunAsync(args);

OtaApp.Build(args).Run();
return 0;

/// <summary>Entry point type, public so tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
