using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ota.Infrastructure.Platform.Persistence.Configurations;

internal static class VinColumn
{
    /// <summary>
    /// VINs are 17 ASCII characters: CHAR(17) in ascii_bin is a quarter of the utf8mb4 key size and compares bytewise,
    /// which matters for joins over a million VINs. Bulk-path temporary tables declare the same type.
    /// </summary>
    public static PropertyBuilder<T> IsVin<T>(this PropertyBuilder<T> property) =>
        property.HasMaxLength(17).IsFixedLength().HasCharSet("ascii").UseCollation("ascii_bin");

    /// <summary>The SQL type of a VIN column, for hand-written temporary tables.</summary>
    public const string SqlType = "CHAR(17) CHARACTER SET ascii COLLATE ascii_bin";
}
