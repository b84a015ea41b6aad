using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Keys;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Platform.Security;

/// <summary>The signing keys in the database (SPEC §15): one active key whoever starts first, stored wrapped, rotated and retired.</summary>
public sealed class SigningKeyStore(MariaDbFixture db, RedisFixture redis) : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>
{
    [Fact]
    public async Task InstancesStartingTogetherOnANewDatabaseAgreeOnOneActiveKey()
    {
        await db.ExecuteAsync("DELETE FROM ota_signing_key");
        var instances = Enumerable.Range(0, 4).Select(_ => TestServices.Create(db, redis)).ToList();
        try
        {
            var active = await Task.WhenAll(instances.Select(i => i.GetRequiredService<SigningKeys>().ActiveAsync().AsTask()));

            Assert.Single(active.Select(k => k.KeyId).Distinct());
            Assert.Equal(1, await db.CountAsync("ota_signing_key"));
            Assert.Equal(1, await db.CountAsync("ota_signing_key", "active_slot = 1 AND activated_at IS NOT NULL AND retired_at IS NULL"));
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task ThePrivateKeyIsStoredWrappedAndItsIdComesFromThePublicKey()
    {
        await using var services = TestServices.Create(db, redis);
        var active = await services.GetRequiredService<SigningKeys>().ActiveAsync();
        var stored = (await services.GetRequiredService<SigningKeys>().ListAsync()).Single(k => k.KeyId == active.KeyId);
        var raw = services.GetRequiredService<IKeyService>().Unwrap(stored.WrappedKey);

        Assert.StartsWith("kw1:", stored.WrappedKey);
        Assert.Equal(32, raw.Length);
        Assert.DoesNotContain(Convert.ToBase64String(raw), stored.WrappedKey);
        Assert.DoesNotContain(Convert.ToHexStringLower(raw), stored.WrappedKey);
        Assert.Equal(32, stored.PublicKey.Length);
        Assert.Equal(SigningKeys.KeyIdOf(stored.PublicKey), stored.KeyId);
        Assert.Equal(16, stored.KeyId.Length);
    }

    [Fact]
    public async Task ARotatedOutKeyStaysPublishedUntilRetiredAndTheActiveKeyCannotBeRetired()
    {
        await using var services = TestServices.Create(db, redis);
        var keys = services.GetRequiredService<SigningKeys>();
        var old = (await keys.ActiveAsync()).KeyId;

        var (created, replaced) = await keys.RotateAsync();
        Assert.Equal(old, replaced);
        Assert.Equal(created.KeyId, (await keys.ActiveAsync()).KeyId);
        var published = (await keys.PublishedAsync()).Keys;
        Assert.Contains(published, k => k.KeyId == old && !k.Active);
        Assert.Contains(published, k => k.KeyId == created.KeyId && k.Active);
        Assert.Single(published, k => k.Active);

        Assert.Equal(SigningKeyRetirement.Active, await keys.RetireAsync(created.KeyId));
        Assert.Equal(SigningKeyRetirement.NotFound, await keys.RetireAsync("0123456789abcdef"));
        Assert.Equal(SigningKeyRetirement.Retired, await keys.RetireAsync(old.ToUpperInvariant()));
        Assert.Equal(SigningKeyRetirement.AlreadyRetired, await keys.RetireAsync(old));
        Assert.DoesNotContain((await keys.PublishedAsync()).Keys, k => k.KeyId == old);
        Assert.Equal(created.KeyId, (await keys.ActiveAsync()).KeyId);
    }
}
