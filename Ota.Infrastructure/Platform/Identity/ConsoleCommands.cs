namespace Ota.Infrastructure.Platform.Identity;

/// <summary>Problems with a form, by field name, in words; empty when there are none.</summary>
public sealed class FieldErrors : Dictionary<string, string>
{
    public FieldErrors() : base(StringComparer.Ordinal) { }

    public bool IsValid => Count == 0;

    public string? For(string field) => TryGetValue(field, out var text) ? text : null;

    public void Add(string field, string text, bool append)
    {
        if (append && TryGetValue(field, out var existing)) this[field] = existing + " " + text;
        else this[field] = text;
    }
}

/// <summary>A command could not be carried out; the message says why in words (shown beside the action).</summary>
public sealed class ConsoleCommandException(string message) : Exception(message);
