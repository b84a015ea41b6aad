using System.Collections;
using System.Data.Common;

namespace Ota.Infrastructure.Platform.Persistence.Bulk;

/// <summary>A column of a bulk load: its name and how to read it from a row.</summary>
public sealed record BulkColumn<T>(string Name, Type Type, Func<T, object?> Read);

/// <summary>
/// Presents a stream of rows as a forward-only data reader, so MySqlBulkCopy can load a million rows
/// without a DataTable or the whole list in memory.
/// </summary>
public sealed class BulkRows<T>(IEnumerable<T> rows, IReadOnlyList<BulkColumn<T>> columns) : DbDataReader
{
    private readonly IEnumerator<T> _rows = rows.GetEnumerator();
    private bool _closed;

    public int RowsRead { get; private set; }

    public override bool Read()
    {
        if (!_rows.MoveNext()) return false;
        RowsRead++;
        return true;
    }

    public override object GetValue(int ordinal) => columns[ordinal].Read(_rows.Current) ?? DBNull.Value;
    public override int FieldCount => columns.Count;
    public override string GetName(int ordinal) => columns[ordinal].Name;
    public override int GetOrdinal(string name) => columns.Select((c, i) => (c, i)).First(x => x.c.Name == name).i;
    public override Type GetFieldType(int ordinal) => columns[ordinal].Type;
    public override string GetDataTypeName(int ordinal) => columns[ordinal].Type.Name;
    public override bool IsDBNull(int ordinal) => columns[ordinal].Read(_rows.Current) is null;

    public override int GetValues(object[] values)
    {
        var n = Math.Min(values.Length, columns.Count);
        for (var i = 0; i < n; i++) values[i] = GetValue(i);
        return n;
    }

    public override bool GetBoolean(int ordinal) => (bool)GetValue(ordinal);
    public override byte GetByte(int ordinal) => Convert.ToByte(GetValue(ordinal));
    public override char GetChar(int ordinal) => Convert.ToChar(GetValue(ordinal));
    public override DateTime GetDateTime(int ordinal) => (DateTime)GetValue(ordinal);
    public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(GetValue(ordinal));
    public override double GetDouble(int ordinal) => Convert.ToDouble(GetValue(ordinal));
    public override float GetFloat(int ordinal) => Convert.ToSingle(GetValue(ordinal));
    public override Guid GetGuid(int ordinal) => (Guid)GetValue(ordinal);
    public override short GetInt16(int ordinal) => Convert.ToInt16(GetValue(ordinal));
    public override int GetInt32(int ordinal) => Convert.ToInt32(GetValue(ordinal));
    public override long GetInt64(int ordinal) => Convert.ToInt64(GetValue(ordinal));
    public override string GetString(int ordinal) => (string)GetValue(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var data = (byte[])GetValue(ordinal);
        if (buffer is null) return data.Length;
        var n = (int)Math.Min(length, data.Length - dataOffset);
        Array.Copy(data, dataOffset, buffer, bufferOffset, n);
        return n;
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var data = GetString(ordinal);
        if (buffer is null) return data.Length;
        var n = (int)Math.Min(length, data.Length - dataOffset);
        data.CopyTo((int)dataOffset, buffer, bufferOffset, n);
        return n;
    }

    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));
    public override int Depth => 0;
    public override bool HasRows => true;
    public override bool IsClosed => _closed;
    public override int RecordsAffected => -1;
    public override bool NextResult() => false;
    public override IEnumerator GetEnumerator() => new DbEnumerator(this);

    public override void Close()
    {
        _closed = true;
        _rows.Dispose();
    }
}
