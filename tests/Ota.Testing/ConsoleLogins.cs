using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Identity;

namespace Ota.Testing;

/// <summary>Console accounts for tests, and signing an HttpClient in through the real sign-in form.</summary>
public static partial class ConsoleLogins
{
    public sealed record Login(string Email, string Password, string Role);

    /// <summary>A new account with a generated password in the app's database.</summary>
    public static async Task<Login> CreateAsync(IServiceProvider services, string role, string? email = null)
    {
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}"[..20] + "@test.local";
        var issued = await services.GetRequiredService<ConsoleAccounts>().CreateOrResetAsync(email, role);
        return new Login(issued.Email, issued.Password, role);
    }

    /// <summary>Posts the sign-in form (with its antiforgery token) so the client carries the console cookie; returns where it was sent.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, Login login, string returnUrl = "/")
    {
        var page = await client.GetStringAsync($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        var token = TokenField().Match(page);
        if (!token.Success) throw new InvalidOperationException("The sign-in page has no antiforgery token.");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["Input.Email"] = login.Email,
            ["Input.Password"] = login.Password,
        });
        return await client.PostAsync($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}", form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
