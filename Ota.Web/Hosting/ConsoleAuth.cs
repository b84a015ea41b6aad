using System.Security.Claims;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Identity;

namespace Ota.Web.Hosting;

/// <summary>
/// Console login (SPEC §10): ASP.NET Core Identity cookies for the Blazor console, the Admin/Operator/Viewer
/// policies, the Hangfire dashboard for Admins. The open API (X-Api-Key), /health and the vehicle API carry no
/// authorization metadata, so the cookie never applies to them; a cookie challenge on an API path answers 401
/// instead of redirecting to the login page.
/// </summary>
public static class ConsoleAuth
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string AccessDeniedPath = "/account/access-denied";

    /// <summary>Admins and Operators: anything that changes data.</summary>
    public const string EditPolicy = "console-edit";

    /// <summary>Admins only: users, API keys, audit log, background jobs.</summary>
    public const string AdminPolicy = "console-admin";

    private static readonly string[] ApiPrefixes = ["/api/", "/ota/open/api/", "/health", "/console/files/", "/files/"];

    public static IServiceCollection AddConsoleAuth(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, ConsoleAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        new IdentityBuilder(typeof(IdentityUser), typeof(IdentityRole), services).AddSignInManager();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "ota.console";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.LoginPath = LoginPath;
            cookie.LogoutPath = LogoutPath;
            cookie.AccessDeniedPath = AccessDeniedPath;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = context => AnswerApisWithStatus(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => AnswerApisWithStatus(context, StatusCodes.Status403Forbidden);
        });
        // A locked account or a changed role reaches open sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthorizationBuilder()
            .AddPolicy(EditPolicy, p => p.RequireRole(ConsoleRoles.Admin, ConsoleRoles.Operator))
            .AddPolicy(AdminPolicy, p => p.RequireRole(ConsoleRoles.Admin));
        services.AddHostedService<EnvironmentAdministrator>();
        return services;
    }

    private static Task AnswerApisWithStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (ApiPrefixes.Any(p => context.Request.Path.StartsWithSegments(p.TrimEnd('/'))))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>POST /account/logout (form with the antiforgery token).</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(LogoutPath, async (HttpContext http, SignInManager<IdentityUser> signIn, AuditTrail audit, [FromForm] string? returnUrl) =>
        {
            if (http.User.Identity?.IsAuthenticated == true)
                await audit.RecordAsync("Signed out", "Session", null, null, null, http.User.Identity.Name ?? "?");
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(LoginPath);
        }).WithName("Logout").ExcludeFromDescription();
        return app;
    }

    /// <summary>The Hangfire dashboard: the endpoint demands the Admin policy (so anonymous users go to the login page), and the dashboard checks the role again.</summary>
    public static IEndpointRouteBuilder MapAdminHangfireDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminDashboardAuthorization()],
            AppPath = "/",
            DisplayStorageConnectionString = false,
            DashboardTitle = "OTA background jobs",
        }).RequireAuthorization(AdminPolicy);
        return app;
    }

    private sealed class AdminDashboardAuthorization : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(ConsoleRoles.Admin);
    }
}

/// <summary>
/// The circuit's user, checked again every minute against the account: a locked account, a new role or a reset
/// password (each changes the security stamp) ends the session in open browser tabs too.
/// </summary>
internal sealed class ConsoleAuthenticationStateProvider(
    ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.GetUserAsync(state.User);
        if (user is null || await users.IsLockedOutAsync(user)) return false;
        if (!users.SupportsUserSecurityStamp) return true;
        var stamp = state.User.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}

/// <summary>
/// The first administrator from the environment (OTA_ADMIN_EMAIL and OTA_ADMIN_PASSWORD): created at start-up when
/// missing. An e-mail without a password (or the reverse) stops the app with a message rather than being ignored.
/// </summary>
internal sealed class EnvironmentAdministrator(IConfiguration configuration, ConsoleAccounts accounts, ILogger<EnvironmentAdministrator> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var email = configuration["OTA_ADMIN_EMAIL"];
        var password = configuration["OTA_ADMIN_PASSWORD"];
        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(password)) return;
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password))
            throw new InvalidOperationException("Set both OTA_ADMIN_EMAIL and OTA_ADMIN_PASSWORD to create the first console administrator, or neither.");
        try
        {
            if (await accounts.EnsureAdminAsync(email, password, cancellationToken))
                log.LogInformation("Created console administrator {Email} from the environment", email);
        }
        catch (ConsoleAccountException ex)
        {
            throw new InvalidOperationException($"The administrator from OTA_ADMIN_EMAIL/OTA_ADMIN_PASSWORD cannot be created: {ex.Message}", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
