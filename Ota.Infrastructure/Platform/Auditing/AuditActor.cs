namespace Ota.Infrastructure.Platform.Auditing;

/// <summary>
/// Who is making the changes in the current flow of work. Console commands set it (after their role check) around
/// what they change; the audit interceptor records only changes made while it is set, so background jobs and vehicle
/// traffic do not flood the audit log.
/// </summary>
public static class AuditActor
{
    private static readonly AsyncLocal<string?> Name = new();

    public static string? Current => Name.Value;

    /// <summary>
    /// Call it synchronously in the method whose awaits should carry it (an async helper setting it would lose it on
    /// return), and dispose it when the change is done.
    /// </summary>
    public static IDisposable Begin(string user)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var previous = Name.Value;
        Name.Value = user;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Name.Value = previous;
    }
}
