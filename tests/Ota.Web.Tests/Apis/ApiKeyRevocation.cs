using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;

namespace Ota.Web.Tests.Apis;

/// <summary>A revoked open-API key is refused at once by every instance, not only the one that revoked it (SPEC §15).</summary>
public sealed class ApiKeyRevocation(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly object Body = new { name = "revocation", type = "Normal", seriesModel = "S1-M1", targetVersion = "3.1.5", vins = new[] { "bad" } };

    [Fact]
    public async Task ARevokedKeyIsRefusedByAnotherInstanceWithinTwoSeconds()
    {
        await using var other = new OtaAppFactory(fixture.Database, fixture.Redis);
        var store = fixture.App.Services.GetRequiredService<ApiKeyStore>();
        var (key, secret) = await store.CreateAsync($"revoked-{Guid.NewGuid():N}"[..30]);
        using var client = other.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", secret);

        // The other instance has checked the key and remembers it.
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/ota/open/api/task/verify", Body)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/ota/open/api/task/verify", Body)).StatusCode);

        await store.RevokeAsync(key.Id);
        var revoked = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            // Paced within the key's rate limit (10 a second, 20 at once), so a 429 cannot hide the answer.
            await Task.Delay(100);
            status = (await client.PostAsJsonAsync("/ota/open/api/task/verify", Body)).StatusCode;
        }
        while (status != HttpStatusCode.Unauthorized && revoked.Elapsed < TimeSpan.FromSeconds(2));

        Assert.True(status == HttpStatusCode.Unauthorized, $"still accepted {revoked.Elapsed.TotalSeconds:0.0} s after the revocation ({(int)status})");
    }
}
