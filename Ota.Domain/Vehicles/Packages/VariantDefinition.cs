namespace Ota.Domain.Vehicles.Packages;

/// <summary>
/// A variant (series-model) definition from the document store (SPEC §11 <c>variants</c>): whether the model
/// has config words and which ECUs a config word makes a vehicle ignore.
/// </summary>
public sealed record VariantDefinition(string SeriesModel, bool SupportsConfigWord, IReadOnlyList<ConfigWordIgnoreRule> IgnoreRules)
{
    /// <summary>
    /// The ECU codes the vehicle's config word makes it ignore. A rule applies when the config word contains the rule's
    /// token, ignoring case: tokens are typed by hand into the catalog and config words are upper-case codes, so a case
    /// slip must not silently send firmware to an ECU the vehicle lacks. The set compares ECU codes ignoring case too.
    /// </summary>
    public IReadOnlySet<string> IgnoredEcus(string? configWord)
    {
        var ignored = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!SupportsConfigWord || string.IsNullOrWhiteSpace(configWord)) return ignored;

        foreach (var rule in IgnoreRules)
        {
            // An empty token would match every config word; treat it as no rule rather than ignoring ECUs fleet-wide.
            if (string.IsNullOrWhiteSpace(rule.ConfigWordContains)) continue;
            if (!configWord.Contains(rule.ConfigWordContains.Trim(), StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var ecu in rule.Ecus)
                if (!string.IsNullOrWhiteSpace(ecu)) ignored.Add(ecu.Trim());
        }
        return ignored;
    }
}

/// <summary>Vehicles whose config word contains <paramref name="ConfigWordContains"/> ignore <paramref name="Ecus"/> (ECU codes).</summary>
public sealed record ConfigWordIgnoreRule(string ConfigWordContains, IReadOnlyList<string> Ecus);
