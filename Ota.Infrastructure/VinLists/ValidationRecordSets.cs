using Microsoft.EntityFrameworkCore;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.VinLists;

/// <summary>The validation records' tables, read and written through the shared context.</summary>
public static class ValidationRecordSets
{
    extension(OtaDbContext db)
    {
        public DbSet<ValidationRun> ValidationRuns => db.Set<ValidationRun>();
        public DbSet<ValidationChunk> ValidationChunks => db.Set<ValidationChunk>();
        public DbSet<ValidationVin> ValidationVins => db.Set<ValidationVin>();
        public DbSet<ValidationRejection> ValidationRejections => db.Set<ValidationRejection>();
    }
}
