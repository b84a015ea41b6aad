using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Ota.Infrastructure.Platform.Identity;
using Ota.Testing;

namespace Ota.Web.Tests.Components;

public sealed class EnvironmentAdministrator
{
    private sealed class WithAdmin(string? email, string? password) : AppFixture
    {
        protected override void Configure(OtaAppFactory app)
        {
            app.Settings["OTA_ADMIN_EMAIL"] = email;
            app.Settings["OTA_ADMIN_PASSWORD"] = password;
        }
    }

    [Fact]
    public async Task TheFirstAdministratorComesFromTheEnvironmentAndCanSignIn()
    {
        var fixture = new WithAdmin("first@env.test", "Env-admin-password-1");
        await fixture.InitializeAsync();
        try
        {
            using var client = fixture.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var signIn = await ConsoleLogins.SignInAsync(client, new ConsoleLogins.Login("first@env.test", "Env-admin-password-1", ConsoleRoles.Admin));
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/users")).StatusCode);
            Assert.Equal(1, await fixture.Database.CountAsync("AspNetUsers u JOIN AspNetUserRoles ur ON ur.UserId = u.Id JOIN AspNetRoles r ON r.Id = ur.RoleId",
                "u.Email = 'first@env.test' AND r.Name = 'Admin'"));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnEmailWithoutAPasswordStopsTheAppWithAMessage()
    {
        var fixture = new WithAdmin("half@env.test", null);
        try
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(fixture.InitializeAsync);
            Assert.Contains("Set both OTA_ADMIN_EMAIL and OTA_ADMIN_PASSWORD", ex.ToString());
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
