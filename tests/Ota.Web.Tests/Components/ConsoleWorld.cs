using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Identity;
using Ota.Testing;

namespace Ota.Web.Tests.Components;

/// <summary>The app with the demo catalog and a few S1-M1 vehicles, and the console's services as a given user would call them.</summary>
public class ConsoleWorld : AppFixture
{
    public TestFleet Fleet { get; private set; } = null!;

    public static readonly string[] GoodVins = Enumerable.Range(1, 6).Select(i => TestFleet.TestVin(i, 'W')).ToArray();

    protected override async Task StartAsync(OtaAppFactory app)
    {
        await base.StartAsync(app);
        Fleet = new TestFleet(app.Services, Database);
        await Fleet.ImportDemoCatalogAsync();
        var rows = new List<Ota.Infrastructure.Fleet.VehicleRow>();
        foreach (var vin in GoodVins) rows.Add(await Fleet.VehicleAsync(vin));
        await Fleet.AddVehiclesAsync(rows);
    }

    /// <summary>A console service created for a signed-in user with this name and role.</summary>
    public T As<T>(string role, string? name = null) where T : class =>
        ActivatorUtilities.CreateInstance<T>(App.Services, new ConsoleUser(new SignedIn(name ?? $"{role.ToLowerInvariant()}@test.local", role)));

    private sealed class SignedIn(string name, string role) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"))));
    }
}
