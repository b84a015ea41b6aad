using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Ota.Domain.Events;
using Ota.Domain.Operations;

namespace Ota.Infrastructure.Platform.Auditing;

/// <summary>
/// Writes an audit entry (who, what, when, before and after) for every entity a console user adds, changes or
/// deletes through EF Core. Changes and their audit entries are saved together; an added row's entry is written
/// right after the row, once its generated key is known. Secrets are never copied into the log.
/// </summary>
public sealed class AuditInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    /// <summary>Rows that are working data of a bigger operation (its own audit entry says what happened); see also <see cref="IUnaudited"/>.</summary>
    private static readonly HashSet<Type> Skipped = [typeof(AuditEntry), typeof(VehicleEventReceipt)];

    /// <summary>Recorded as changed, never with their value.</summary>
    private static readonly HashSet<string> Redacted = new(StringComparer.Ordinal)
    {
        "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "KeyHash", "Secret", "WrappedKey",
    };

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Added entries of a save in progress, finished once their keys are known.</summary>
    private readonly ConditionalWeakTable<DbContext, List<(EntityEntry Entry, string User)>> _added = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Capture(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (FinishAdded(eventData.Context)) eventData.Context!.SaveChanges();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (FinishAdded(eventData.Context)) await eventData.Context!.SaveChangesAsync(cancellationToken);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context) _added.Remove(context);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    private void Capture(DbContext? context)
    {
        if (context is null || AuditActor.Current is not { } user) return;
        context.ChangeTracker.DetectChanges();
        var now = clock.GetUtcNow().UtcDateTime;
        var entries = new List<AuditEntry>();
        List<(EntityEntry, string)>? added = null;
        foreach (var entry in context.ChangeTracker.Entries().ToList())
        {
            if (Skipped.Contains(entry.Metadata.ClrType) || entry.Entity is IUnaudited || entry.Metadata.IsOwned()) continue;
            switch (entry.State)
            {
                case EntityState.Added:
                    (added ??= []).Add((entry, user));
                    break;
                case EntityState.Modified:
                    var changed = entry.Properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)).ToList();
                    if (changed.Count == 0) break;
                    entries.Add(New(user, "Updated", entry, now,
                        Serialize(changed.Select(p => (p.Metadata.Name, p.OriginalValue))),
                        Serialize(changed.Select(p => (p.Metadata.Name, p.CurrentValue)))));
                    break;
                case EntityState.Deleted:
                    entries.Add(New(user, "Deleted", entry, now,
                        Serialize(entry.Properties.Select(p => (p.Metadata.Name, p.OriginalValue))), null));
                    break;
            }
        }
        if (entries.Count > 0) context.Set<AuditEntry>().AddRange(entries);
        if (added is not null) _added.AddOrUpdate(context, added);
    }

    private bool FinishAdded(DbContext? context)
    {
        if (context is null || !_added.TryGetValue(context, out var added)) return false;
        _added.Remove(context);
        var now = clock.GetUtcNow().UtcDateTime;
        context.Set<AuditEntry>().AddRange(added.Select(a => New(a.User, "Created", a.Entry, now, null,
            Serialize(a.Entry.Properties.Select(p => (p.Metadata.Name, p.CurrentValue))))));
        return true;
    }

    private static AuditEntry New(string user, string action, EntityEntry entry, DateTime now, string? before, string? after) => new()
    {
        User = user,
        Action = action,
        Entity = EntityName(entry),
        EntityId = KeyOf(entry),
        Before = before,
        After = after,
        At = now,
    };

    /// <summary>"UpgradeStrategy", "IdentityUserRole" …: the type's name without generic arguments.</summary>
    public static string EntityName(EntityEntry entry)
    {
        var name = entry.Metadata.ClrType.Name;
        var tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }

    private static string? KeyOf(EntityEntry entry)
    {
        var key = entry.Metadata.FindPrimaryKey();
        if (key is null) return null;
        var text = string.Join("/", key.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture)));
        return text.Length > 255 ? text[..255] : text;
    }

    internal static string Serialize(IEnumerable<(string Name, object? Value)> values)
    {
        var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            map[name] = Redacted.Contains(name) ? (value is null ? null : "(redacted)") : value switch
            {
                null => null,
                byte[] bytes => $"({bytes.Length} bytes)",
                Enum e => e.ToString(),
                DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture),
                DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm:ss.fff zzz", System.Globalization.CultureInfo.InvariantCulture),
                _ => value,
            };
        }
        return JsonSerializer.Serialize(map, Json);
    }
}
