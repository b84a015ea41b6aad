namespace Ota.Infrastructure.Platform.Auditing;

/// <summary>
/// Marks a flow's working rows (staged VINs, per-VIN verdicts, chunk progress) that the audit log leaves out: the
/// operation they belong to is audited once, not row by row.
/// </summary>
public interface IUnaudited;
