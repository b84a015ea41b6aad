using System.Text.Json.Nodes;

namespace Ota.Simulator;

/// <summary>One ECU's file as the description names it (SPEC §7 <c>ecus</c>).</summary>
public sealed record PackageFile(string EcuCode, string FileName, long Size, string Sha256, Uri Url)
{
    /// <summary>The files of a description that passed <see cref="DescriptionCheck"/>, in upgrade order (the order of <c>ecus</c>).</summary>
    public static List<PackageFile> ListFrom(JsonNode description) =>
        description["ecus"]!.AsArray().Select(e => new PackageFile(
            e!["ecuCode"]!.GetValue<string>(), e["fileName"]!.GetValue<string>(), e["fileSize"]!.GetValue<long>(),
            e["sha256"]!.GetValue<string>(), new Uri(e["url"]!.GetValue<string>(), UriKind.Absolute))).ToList();
}

/// <summary>Why a vehicle gave up its download: the inner error code it reports with <c>DownloadFailed</c>, and what happened.</summary>
public sealed record DownloadFailure(string InnerErrorCode, string Detail)
{
    public const string Sha256Mismatch = "E-DL-SHA256";
    public const string SizeMismatch = "E-DL-SIZE";
    public const string LinkExpired = "E-DL-LINK-EXPIRED";
    public const string LinkInvalid = "E-DL-LINK-INVALID";
    public const string TooManyRetries = "E-DL-RETRIES";
    public const string UnusableUrl = "E-DL-URL";

    /// <summary>An answer the vehicle cannot get past by asking again (E-DL-HTTP-404, E-DL-HTTP-410…).</summary>
    public static string Http(int status) => $"E-DL-HTTP-{status}";
}
