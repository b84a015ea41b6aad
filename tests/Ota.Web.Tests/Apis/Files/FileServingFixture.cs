using Ota.Testing;

namespace Ota.Web.Tests.Apis.Files;

/// <summary>
/// The app on a real Kestrel socket (uploads cut off and ranges behave as on the wire), the catalog stamp checked on
/// every call, and a 1 MiB file limit so FILE_TOO_LARGE needs no gigabytes.
/// </summary>
public sealed class FileServingFixture : AppFixture
{
    public const long MaxBytes = 1 << 20;

    public string BaseUrl { get; private set; } = "";

    public HttpClient Client() => new() { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };

    protected override void Configure(OtaAppFactory app)
    {
        app.Settings["VehicleApi:CatalogCheckInterval"] = "00:00:00";
        app.Settings["Files:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override async Task StartAsync(OtaAppFactory app)
    {
        BaseUrl = app.StartOnLoopback();
        await new TestFleet(app.Services, Database).ImportDemoCatalogAsync();
    }
}
