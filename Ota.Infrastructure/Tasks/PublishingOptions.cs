using System.ComponentModel.DataAnnotations;

namespace Ota.Infrastructure.Tasks;

/// <summary>Settings of publishing (section "Publishing").</summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>
    /// Four-eyes publishing: a formal task that would send to more vehicles than this is published only once a second
    /// operator approves it. Empty (the default) turns the rule off; 0 asks for an approval of every formal task.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int? FourEyesAboveVehicles { get; set; }
}
