using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Catalog;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Catalog;

public sealed record StrategyRow(long Id, string Name, StrategyPackageType PackageType, VersionCompare VersionCompare, UpgradeMode UpgradeMode,
    int Ecus, IReadOnlyList<string> EcusWithoutOrder, IReadOnlyList<SeriesModelLink> SeriesModels, long VinRelations, DateTime UpdatedAt);

/// <summary>An ECU of a strategy being edited; a null order is what validation reports as STRATEGY_ECU_ORDER_MISSING.</summary>
public sealed class EcuOrderItem
{
    public long EcuId { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public int? Order { get; set; }
    public bool IsUpgrade { get; set; } = true;
}

public sealed class SeriesModelLink
{
    public long SeriesModelId { get; set; }
    public string Code { get; set; } = "";
    public bool IsDefault { get; set; }
}

/// <summary>The strategy editor's form: the strategy, its ECUs in upgrade order, its series-models.</summary>
public sealed class StrategyForm
{
    public long? Id { get; set; }
    public string Name { get; set; } = "";
    public StrategyPackageType PackageType { get; set; } = StrategyPackageType.Auto;
    public VersionCompare VersionCompare { get; set; } = VersionCompare.Auto;
    public UpgradeMode UpgradeMode { get; set; } = UpgradeMode.UserConfirm;
    public List<EcuOrderItem> Ecus { get; set; } = [];
    public List<SeriesModelLink> SeriesModels { get; set; } = [];
}

public sealed record EcuOption(long Id, string Code, string Name);

public sealed record VinRelationRow(long Id, string Vin, DateTime CreatedAt);

/// <summary>What a VIN-relation upload did, or why it wrote nothing.</summary>
public sealed record VinUploadResult(int Added, string? Error);

/// <summary>
/// Strategy editing (SPEC §2, §9): create, edit, delete; ECU upgrade orders; the series-model default (exactly one
/// per series-model); VIN relations by upload. Every save checks the whole form first and writes in one transaction,
/// so nothing is ever half-saved.
/// </summary>
public sealed class StrategyService(ConsoleUser user, IDbContextFactory<OtaDbContext> contexts, MySqlConnectionFactory connections,
    AuditTrail audit, TimeProvider clock)
{
    public const int MaxVinsPerUpload = 1_000_000;

    public async Task<IReadOnlyList<StrategyRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var strategies = await db.Strategies.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        var ecus = await db.StrategyEcus.AsNoTracking().Join(db.Ecus, r => r.EcuId, e => e.Id, (r, e) => new { r.StrategyId, e.Code, r.UpgradeOrder })
            .ToListAsync(ct);
        var links = await db.StrategySeriesModels.AsNoTracking()
            .Join(db.SeriesModels, r => r.SeriesModelId, s => s.Id, (r, s) => new { r.StrategyId, r.SeriesModelId, s.Code, r.IsDefault })
            .ToListAsync(ct);
        var vins = await db.StrategyVins.AsNoTracking().GroupBy(v => v.StrategyId).Select(g => new { g.Key, N = g.LongCount() })
            .ToDictionaryAsync(g => g.Key, g => g.N, ct);
        return strategies.Select(s => new StrategyRow(s.Id, s.Name, s.PackageType, s.VersionCompare, s.UpgradeMode,
            ecus.Count(e => e.StrategyId == s.Id),
            ecus.Where(e => e.StrategyId == s.Id && e.UpgradeOrder == null).Select(e => e.Code).Order().ToList(),
            links.Where(l => l.StrategyId == s.Id).OrderBy(l => l.Code)
                .Select(l => new SeriesModelLink { SeriesModelId = l.SeriesModelId, Code = l.Code, IsDefault = l.IsDefault }).ToList(),
            vins.GetValueOrDefault(s.Id), s.UpdatedAt)).ToList();
    }

    public async Task<StrategyForm?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var s = await db.Strategies.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return null;
        var ecus = await db.StrategyEcus.AsNoTracking().Where(r => r.StrategyId == id)
            .Join(db.Ecus, r => r.EcuId, e => e.Id, (r, e) => new EcuOrderItem { EcuId = e.Id, Code = e.Code, Name = e.Name, Order = r.UpgradeOrder, IsUpgrade = r.IsUpgrade })
            .ToListAsync(ct);
        var links = await db.StrategySeriesModels.AsNoTracking().Where(r => r.StrategyId == id)
            .Join(db.SeriesModels, r => r.SeriesModelId, x => x.Id, (r, x) => new SeriesModelLink { SeriesModelId = x.Id, Code = x.Code, IsDefault = r.IsDefault })
            .OrderBy(l => l.Code).ToListAsync(ct);
        return new StrategyForm
        {
            Id = s.Id, Name = s.Name, PackageType = s.PackageType, VersionCompare = s.VersionCompare, UpgradeMode = s.UpgradeMode,
            Ecus = ecus.OrderBy(e => e.Order is null).ThenBy(e => e.Order).ThenBy(e => e.Code).ToList(),
            SeriesModels = links,
        };
    }

    public async Task<IReadOnlyList<EcuOption>> EcusAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Ecus.AsNoTracking().OrderBy(e => e.Code).Select(e => new EcuOption(e.Id, e.Code, e.Name)).ToListAsync(ct);
    }

    /// <summary>The form's own rules, before the database is asked: a name, at least one ECU, every ECU with an order.</summary>
    public static FieldErrors CheckForm(StrategyForm form)
    {
        var errors = new FieldErrors();
        var name = form.Name.Trim();
        if (name.Length == 0) errors.Add(nameof(StrategyForm.Name), "Give the strategy a name.");
        else if (name.Length > 128) errors.Add(nameof(StrategyForm.Name), "The name is longer than 128 characters.");
        if (form.Ecus.Count == 0) errors.Add(nameof(StrategyForm.Ecus), "Add at least one ECU.");
        var unordered = form.Ecus.Where(e => e.Order is null).Select(e => e.Code).ToList();
        if (unordered.Count > 0)
            errors.Add(nameof(StrategyForm.Ecus),
                $"No upgrade order for {string.Join(", ", unordered)}: put {(unordered.Count == 1 ? "it" : "them")} in the order or remove {(unordered.Count == 1 ? "it" : "them")} ({ReasonCodes.StrategyEcuOrderMissing}).");
        var repeatedOrders = form.Ecus.Where(e => e.Order is not null).GroupBy(e => e.Order).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeatedOrders.Count > 0)
            errors.Add(nameof(StrategyForm.Ecus), $"Several ECUs have upgrade order {string.Join(", ", repeatedOrders)}.", append: true);
        var repeatedEcus = form.Ecus.GroupBy(e => e.EcuId).Where(g => g.Count() > 1).Select(g => g.First().Code).ToList();
        if (repeatedEcus.Count > 0) errors.Add(nameof(StrategyForm.Ecus), $"{string.Join(", ", repeatedEcus)} is listed twice.", append: true);
        var repeatedSm = form.SeriesModels.GroupBy(s => s.SeriesModelId).Where(g => g.Count() > 1).Select(g => g.First().Code).ToList();
        if (repeatedSm.Count > 0) errors.Add(nameof(StrategyForm.SeriesModels), $"{string.Join(", ", repeatedSm)} is listed twice.");
        return errors;
    }

    /// <summary>Creates or updates the strategy with its ECUs and series-models; returns its id, or the problems (nothing saved).</summary>
    public async Task<(long? Id, FieldErrors Errors)> SaveAsync(StrategyForm form, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        var errors = CheckForm(form);
        if (!errors.IsValid) return (null, errors);

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var smIds = form.SeriesModels.Select(s => s.SeriesModelId).ToList();
        await LockSeriesModelsAsync(db, smIds, ct);
        var name = form.Name.Trim();
        if (await db.Strategies.AnyAsync(s => s.Name == name && s.Id != (form.Id ?? 0), ct))
            errors.Add(nameof(StrategyForm.Name), $"Another strategy is already called '{name}'.");
        var knownEcus = await db.Ecus.Where(e => form.Ecus.Select(x => x.EcuId).Contains(e.Id)).Select(e => e.Id).ToListAsync(ct);
        var missingEcus = form.Ecus.Where(e => !knownEcus.Contains(e.EcuId)).Select(e => e.Code).ToList();
        if (missingEcus.Count > 0) errors.Add(nameof(StrategyForm.Ecus), $"{string.Join(", ", missingEcus)} no longer exist(s).", append: true);
        await CheckDefaultsAsync(db, form, errors, ct);
        if (!errors.IsValid) return (null, errors);

        var now = clock.GetUtcNow().UtcDateTime;
        UpgradeStrategy strategy;
        if (form.Id is { } id)
        {
            strategy = await db.Strategies.FirstOrDefaultAsync(s => s.Id == id, ct)
                ?? throw new ConsoleCommandException("The strategy was deleted meanwhile.");
        }
        else
        {
            strategy = new UpgradeStrategy { CreatedAt = now };
            db.Strategies.Add(strategy);
        }
        strategy.Name = name;
        strategy.PackageType = form.PackageType;
        strategy.VersionCompare = form.VersionCompare;
        strategy.UpgradeMode = form.UpgradeMode;
        strategy.UpdatedAt = now;
        await db.SaveChangesAsync(ct);

        // Relations are updated in place (matched by ECU / series-model), so the unique keys never see two rows at once.
        var ecuRelations = await db.StrategyEcus.Where(r => r.StrategyId == strategy.Id).ToListAsync(ct);
        foreach (var relation in ecuRelations.Where(r => form.Ecus.All(e => e.EcuId != r.EcuId))) db.StrategyEcus.Remove(relation);
        foreach (var item in form.Ecus)
        {
            var relation = ecuRelations.FirstOrDefault(r => r.EcuId == item.EcuId);
            if (relation is null) db.StrategyEcus.Add(relation = new StrategyEcuRelation { StrategyId = strategy.Id, EcuId = item.EcuId });
            relation.UpgradeOrder = item.Order;
            relation.IsUpgrade = item.IsUpgrade;
        }
        var smRelations = await db.StrategySeriesModels.Where(r => r.StrategyId == strategy.Id).ToListAsync(ct);
        foreach (var relation in smRelations.Where(r => !smIds.Contains(r.SeriesModelId))) db.StrategySeriesModels.Remove(relation);
        foreach (var link in form.SeriesModels)
        {
            var relation = smRelations.FirstOrDefault(r => r.SeriesModelId == link.SeriesModelId);
            if (relation is null)
                db.StrategySeriesModels.Add(relation = new StrategySeriesModelRelation { StrategyId = strategy.Id, SeriesModelId = link.SeriesModelId });
            relation.IsDefault = link.IsDefault;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (strategy.Id, errors);
    }

    /// <summary>The rule of <see cref="StrategyDefaults"/> against the defaults of the form's series-models and of the strategy now.</summary>
    private static async Task CheckDefaultsAsync(OtaDbContext db, StrategyForm form, FieldErrors errors, CancellationToken ct)
    {
        var strategyId = form.Id ?? 0;
        var ids = form.SeriesModels.Select(s => s.SeriesModelId).ToList();
        var defaults = await db.StrategySeriesModels.AsNoTracking()
            .Where(r => r.IsDefault && (ids.Contains(r.SeriesModelId) || r.StrategyId == strategyId))
            .Join(db.Strategies, r => r.StrategyId, s => s.Id, (r, s) => new { r.SeriesModelId, r.StrategyId, s.Name })
            .Join(db.SeriesModels, r => r.SeriesModelId, m => m.Id, (r, m) => new SeriesModelDefault(r.SeriesModelId, m.Code, r.StrategyId, r.Name))
            .ToListAsync(ct);
        var links = form.SeriesModels.Select(l => new StrategyLink(l.SeriesModelId, l.Code, l.IsDefault)).ToList();
        foreach (var problem in StrategyDefaults.Check(form.Id, links, defaults))
            errors.Add(nameof(StrategyForm.SeriesModels), problem, append: true);
    }

    /// <summary>Makes the strategy the default of the series-model, taking the default from the strategy that had it, in one transaction.</summary>
    /// <summary>
    /// What making a strategy the default of a series-model changes, for the operator's confirmation: the default it
    /// replaces (null when there is none) and how many vehicles the series-model has (each one without a strategy of its
    /// own is upgraded in the default's ECU order from then on).
    /// </summary>
    public async Task<(string? ReplacedDefault, long Vehicles)> DefaultChangeAsync(long seriesModelId, CancellationToken ct = default)
    {
        await user.RequireAsync(ConsoleRoles.Viewer);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var replaced = await db.StrategySeriesModels.AsNoTracking().Where(r => r.SeriesModelId == seriesModelId && r.IsDefault)
            .Join(db.Strategies, r => r.StrategyId, s => s.Id, (_, s) => s.Name).FirstOrDefaultAsync(ct);
        return (replaced, await db.Vehicles.LongCountAsync(v => v.SeriesModelId == seriesModelId, ct));
    }

    public async Task MakeDefaultAsync(long strategyId, long seriesModelId, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await LockSeriesModelsAsync(db, [seriesModelId], ct);
        if (!await db.Strategies.AnyAsync(s => s.Id == strategyId, ct)) throw new ConsoleCommandException("The strategy does not exist (any more).");
        var strategy = await db.Strategies.FirstAsync(s => s.Id == strategyId, ct);
        var incomplete = await db.StrategyEcus.AnyAsync(r => r.StrategyId == strategyId && r.UpgradeOrder == null, ct);
        if (StrategyDefaults.CannotBecomeDefault(strategy.Name, incomplete) is { } refused) throw new ConsoleCommandException(refused);
        var relations = await db.StrategySeriesModels.Where(r => r.SeriesModelId == seriesModelId).ToListAsync(ct);
        if (StrategyDefaults.MoveTo(strategyId, relations))
            db.StrategySeriesModels.Add(new StrategySeriesModelRelation { StrategyId = strategyId, SeriesModelId = seriesModelId, IsDefault = true });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task DeleteAsync(long id, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var strategy = await db.Strategies.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new ConsoleCommandException("The strategy does not exist (any more).");
        var defaultOf = await db.StrategySeriesModels.Where(r => r.StrategyId == id && r.IsDefault)
            .Join(db.SeriesModels, r => r.SeriesModelId, s => s.Id, (r, s) => s.Code).ToListAsync(ct);
        if (StrategyDefaults.CannotDelete(strategy.Name, defaultOf) is { } refused) throw new ConsoleCommandException(refused);
        var vinRelations = await db.StrategyVins.LongCountAsync(v => v.StrategyId == id, ct);
        // Loaded so the audit log records each relation that goes with the strategy; VIN relations are counted below.
        db.StrategyEcus.RemoveRange(await db.StrategyEcus.Where(r => r.StrategyId == id).ToListAsync(ct));
        db.StrategySeriesModels.RemoveRange(await db.StrategySeriesModels.Where(r => r.StrategyId == id).ToListAsync(ct));
        db.Strategies.Remove(strategy);
        await db.StrategyVins.Where(v => v.StrategyId == id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (vinRelations > 0)
            await audit.RecordAsync("VIN relations deleted", "UpgradeStrategy", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new { VinRelations = vinRelations }, null, ct: ct);
    }

    public async Task<PageResult<VinRelationRow>> VinRelationsAsync(long strategyId, string? vinPrefix, PageQuery page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.StrategyVins.AsNoTracking().Where(v => v.StrategyId == strategyId);
        var prefix = vinPrefix?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(prefix)) query = query.Where(v => v.Vin.StartsWith(prefix));
        var total = await query.LongCountAsync(ct);
        var rows = await query.OrderByDescending(v => v.Id).Skip(page.Skip).Take(page.Size)
            .Select(v => new VinRelationRow(v.Id, v.Vin, v.CreatedAt)).ToListAsync(ct);
        return new PageResult<VinRelationRow>(rows, total);
    }

    /// <summary>
    /// Gives the VINs of an uploaded list (first column or a column headed VIN) this strategy as their own. Every
    /// entry must be a VIN of a registered vehicle; otherwise nothing is written and the problem is said.
    /// </summary>
    public async Task<VinUploadResult> UploadVinsAsync(long strategyId, Stream upload, string fileName, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        var vins = new HashSet<string>(StringComparer.Ordinal);
        var malformed = new List<string>();
        try
        {
            foreach (var entry in VinFileReader.ReadEntries(upload, fileName))
            {
                if (string.IsNullOrWhiteSpace(entry)) continue;
                if (Vin.Normalize(entry) is { } vin) vins.Add(vin);
                else malformed.Add(entry.Trim());
                if (vins.Count > MaxVinsPerUpload) return new(0, $"The list has more than {MaxVinsPerUpload:N0} VINs; split it.");
            }
        }
        catch (TabularFileException ex)
        {
            return new(0, ex.Message);
        }
        if (malformed.Count > 0)
            return new(0, $"{malformed.Count:N0} entr{(malformed.Count == 1 ? "y is" : "ies are")} not VINs, for example {Sample(malformed)}. Nothing was added.");
        if (vins.Count == 0) return new(0, "The file holds no VINs. Nothing was added.");

        await using var connection = await connections.OpenAsync(ct);
        await Sql.CreateVinTableAsync(connection, "tmp_strategy_vins", withText: false, ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await BulkLoader.LoadVinsAsync(connection, tx, "tmp_strategy_vins", vins, ct);
        var unknown = new List<string>();
        await using (var missing = new MySqlCommand(
            "SELECT t.vin FROM tmp_strategy_vins t LEFT JOIN ota_vehicle v ON v.vin = t.vin WHERE v.id IS NULL ORDER BY t.vin LIMIT 6", connection, tx))
        await using (var reader = await missing.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) unknown.Add(reader.GetString(0));
        }
        if (unknown.Count > 0)
        {
            await tx.RollbackAsync(ct);
            return new(0, $"Not in the vehicle registry: {Sample(unknown)}. Import those vehicles first; nothing was added.");
        }
        if (!await StrategyExistsAsync(connection, tx, strategyId, ct)) throw new ConsoleCommandException("The strategy does not exist (any more).");
        var added = await Sql.ExecAsync(connection, tx,
            "INSERT INTO ota_upgrade_strategy_vin_relation (strategy_id, vin, created_at) SELECT @strategy, vin, @now FROM tmp_strategy_vins",
            ct, ("@strategy", strategyId), ("@now", clock.GetUtcNow().UtcDateTime));
        await tx.CommitAsync(ct);
        await audit.RecordAsync("VIN relations uploaded", "UpgradeStrategy", strategyId.ToString(System.Globalization.CultureInfo.InvariantCulture), null,
            new { File = fileName, Vins = added }, ct: ct);
        return new(added, null);
    }

    public async Task<int> RemoveVinRelationsAsync(long strategyId, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var removed = await db.StrategyVins.Where(v => v.StrategyId == strategyId).ExecuteDeleteAsync(ct);
        await audit.RecordAsync("VIN relations removed", "UpgradeStrategy", strategyId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { Vins = removed }, null, ct: ct);
        return removed;
    }

    private static string Sample(IReadOnlyList<string> items) =>
        string.Join(", ", items.Take(5).Select(i => $"'{(i.Length > 30 ? i[..30] + "…" : i)}'")) + (items.Count > 5 ? " …" : "");

    /// <summary>Row locks on the series-models, so two operators cannot both make a default for the same one.</summary>
    private static async Task LockSeriesModelsAsync(OtaDbContext db, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        // Ids are numbers, so the list is written into the statement; a parameter list cannot express IN (…) here.
        var sql = "SELECT * FROM ota_series_model WHERE id IN (" + string.Join(",", ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ") FOR UPDATE";
        await db.SeriesModels.FromSqlRaw(sql).AsNoTracking().ToListAsync(ct);
    }

    private static async Task<bool> StrategyExistsAsync(MySqlConnection connection, MySqlTransaction tx, long id, CancellationToken ct)
    {
        await using var command = new MySqlCommand("SELECT COUNT(*) FROM ota_upgrade_strategy WHERE id = @id FOR UPDATE", connection, tx);
        command.Parameters.AddWithValue("@id", id);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct)) > 0;
    }

}
