namespace Ota.Simulator;

/// <summary>The <c>--downloads</c> choice: which package files the vehicles really fetch.</summary>
public enum DownloadMode
{
    /// <summary>Every file but those on <see cref="DownloadPolicy.DemoHost"/>.</summary>
    Auto,
    /// <summary>Every file; a URL that is no http(s) link fails the download.</summary>
    Real,
    /// <summary>No file: progress with made-up byte counts, as the simulator did before files were served.</summary>
    Pretend,
}

/// <summary>
/// Whether a file is downloaded or pretended. The rule looks at the URL alone, so a run decides the same way whether
/// or not a host answers: the old demo catalogs name a host that does not exist, and their worlds still simulate.
/// </summary>
public static class DownloadPolicy
{
    /// <summary>The host of the demo catalog's package URLs, which nothing serves.</summary>
    public const string DemoHost = "ota-cdn.example.com";

    public static bool Downloads(DownloadMode mode, Uri url) => mode switch
    {
        DownloadMode.Real => true,
        DownloadMode.Pretend => false,
        _ => IsHttp(url) && !string.Equals(url.Host, DemoHost, StringComparison.OrdinalIgnoreCase),
    };

    public static bool IsHttp(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
}
