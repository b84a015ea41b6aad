using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Ota.Web.Hosting;

public static class OtaConfiguration
{
    /// <summary>
    /// Loads the repository's appsettings.json from the app's own folder as the lowest-priority source,
    /// so it applies however the app is started (script, tests) and environment variables still win.
    /// </summary>
    public static WebApplicationBuilder AddOtaConfiguration(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, SharedSettings());
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    public static JsonConfigurationSource SharedSettings() => new()
    {
        Path = "appsettings.json",
        Optional = false,
        ReloadOnChange = false,
        FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
    };
}
