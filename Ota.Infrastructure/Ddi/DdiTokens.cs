using System.Security.Cryptography;
using System.Text;
using Ota.Domain;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.Ddi;

/// <summary>
/// DDI target tokens (SPEC §14: <c>Authorization: TargetToken …</c>): 32 random characters a device is configured with,
/// stored as their SHA-256 only (<see cref="ApiKeyHasher.Hash"/>: a fast hash suffices for 190 random bits).
/// </summary>
public sealed class DdiTokens(MySqlConnectionFactory connections, DdiWork work, TimeProvider clock)
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly BulkColumn<(string Vin, string Hash)>[] Columns =
    [
        new("vin", typeof(string), r => r.Vin),
        new("text", typeof(string), r => r.Hash),
    ];

    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, 32);

    /// <summary>Whether <paramref name="token"/> is the one whose hash is stored, compared in constant time.</summary>
    public static bool Matches(string? storedHash, string token) =>
        storedHash is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(storedHash), Encoding.ASCII.GetBytes(ApiKeyHasher.Hash(token)));

    /// <summary>A new token for a vehicle of the registry (the old one stops working), with how the vehicle takes its updates; null when there is no such vehicle.</summary>
    public async Task<(string Token, UpdateClient Client)?> IssueAsync(string vin, CancellationToken ct)
    {
        var token = Generate();
        await using var connection = await connections.OpenAsync(ct);
        if (await Sql.ScalarAsync(connection, null, "SELECT update_client FROM ota_vehicle WHERE vin = @vin", ct, ("@vin", vin)) is not string client)
            return null;
        var stored = await Sql.ExecAsync(connection, null,
            """
            INSERT INTO ota_ddi_target (vin, token_hash, token_issued_at, updated_at)
            SELECT vin, @hash, @now, @now FROM ota_vehicle WHERE vin = @vin
            ON DUPLICATE KEY UPDATE token_hash = VALUES(token_hash), token_issued_at = VALUES(token_issued_at), updated_at = VALUES(updated_at)
            """, ct, ("@vin", vin), ("@hash", ApiKeyHasher.Hash(token)), ("@now", clock.GetUtcNow().UtcDateTime));
        if (stored == 0) return null;
        await work.BumpAsync();
        return (token, Enum.Parse<UpdateClient>(client));
    }

    /// <summary>Stores the given tokens of many vehicles at once (the fleet simulator's DDI devices, benchmarks); unknown VINs are skipped.</summary>
    public async Task<int> StoreAsync(IReadOnlyCollection<(string Vin, string Token)> tokens, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await Sql.CreateVinTableAsync(connection, "tmp_ddi_tokens", withText: true, ct);
        var stored = await Sql.InTransactionAsync(connection, async tx =>
        {
            await Sql.ExecAsync(connection, tx, "DELETE FROM tmp_ddi_tokens", ct);
            await BulkLoader.LoadAsync(connection, tx, "tmp_ddi_tokens", tokens.Select(t => (t.Vin, ApiKeyHasher.Hash(t.Token))), Columns, ct);
            return await Sql.ExecAsync(connection, tx,
                """
                INSERT INTO ota_ddi_target (vin, token_hash, token_issued_at, updated_at)
                SELECT t.vin, t.text, @now, @now FROM tmp_ddi_tokens t JOIN ota_vehicle v ON v.vin = t.vin
                ON DUPLICATE KEY UPDATE token_hash = VALUES(token_hash), token_issued_at = VALUES(token_issued_at), updated_at = VALUES(updated_at)
                """, ct, ("@now", clock.GetUtcNow().UtcDateTime));
        }, ct);
        await work.BumpAsync();
        return stored;
    }
}
