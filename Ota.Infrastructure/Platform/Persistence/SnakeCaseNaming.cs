using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>Column and index names in snake_case, as the original tables have them, for the OTA tables (Identity keeps its own).</summary>
internal static class SnakeCaseNaming
{
    public static void UseSnakeCaseColumns(this ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null || !table.StartsWith("ota_", StringComparison.Ordinal)) continue;
            foreach (var property in entity.GetProperties())
                property.SetColumnName(ToSnakeCase(property.Name));
        }
    }

    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])) || char.IsDigit(name[i - 1])))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
