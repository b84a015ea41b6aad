using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Platform.Identity;

internal static class IdentityServices
{
    /// <summary>
    /// Console accounts in MySQL (the Identity tables of <see cref="OtaDbContext"/>). Identity's stores take a
    /// DbContext from the scope, so one is registered per scope; <see cref="ConsoleAccounts"/> opens a scope per
    /// operation and nothing else should ask for it (the rest of the app uses the context factory).
    /// </summary>
    public static IServiceCollection AddConsoleIdentity(this IServiceCollection services)
    {
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<OtaDbContext>>().CreateDbContext());
        services.AddIdentityCore<IdentityUser>(Configure)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<OtaDbContext>();
        services.AddSingleton<ConsoleAccounts>();
        return services;
    }

    private static void Configure(IdentityOptions options)
    {
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = true;
        options.Password.RequireLowercase = true;
        options.Password.RequireUppercase = true;
        options.Password.RequireNonAlphanumeric = false;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.SignIn.RequireConfirmedAccount = false;
        options.SignIn.RequireConfirmedEmail = false;
    }
}
