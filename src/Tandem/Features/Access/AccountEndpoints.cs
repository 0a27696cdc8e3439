using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Tandem.Data;
using Tandem.Features.Users;

namespace Tandem.Features.Access;

/// <summary>
/// Sign-in, sign-out and password change: plain form posts from the Blazor pages, antiforgery-checked by the
/// framework (form binding requires a valid token). They answer with redirects, as forms expect.
/// </summary>
public static class AccountEndpoints
{
    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        var g = app.MapGroup("/account").ExcludeFromDescription();
        g.MapPost("/login", SignIn).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        g.MapPost("/logout", SignOut).RequireAuthorization(Permissions.Read);
        g.MapPost("/password", ChangePassword).RequireAuthorization(Permissions.Read);
        return app;
    }

    private static async Task<IResult> SignIn([FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl,
        SignInManager<User> signIn, TandemDb db, HttpContext http)
    {
        var back = SafeReturn(returnUrl);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password)) return Fail("missing", back);
        // Lockout per client address as well as per account (decision 0051): an address with too many recent failures is
        // refused before any password is checked, with the answer a wrong password gets, so it learns nothing more.
        var address = SignInThrottle.AddressOf(http);
        if (await SignInThrottle.IsBlockedAsync(db, address, http.RequestAborted)) return Fail("invalid", back);
        var result = await signIn.PasswordSignInAsync(email.Trim(), password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded) return Results.LocalRedirect(back);
        await SignInThrottle.RecordFailureAsync(db, address, http.RequestAborted);
        // A locked account answers as an unknown one does: a different answer would tell a prober which addresses exist.
        return Fail(result.IsNotAllowed && !result.IsLockedOut ? "disabled" : "invalid", back);
    }

    private static async Task<IResult> SignOut(SignInManager<User> signIn)
    {
        await signIn.SignOutAsync();
        return Results.LocalRedirect("/account/login?signedOut=1");
    }

    private static async Task<IResult> ChangePassword([FromForm] string? current, [FromForm] string? next, HttpContext http,
        UserManager<User> users, SignInManager<User> signIn)
    {
        var user = await users.GetUserAsync(http.User);
        if (user is null) return Results.LocalRedirect("/account/login");
        var result = await users.ChangePasswordAsync(user, current ?? "", next ?? "");
        if (!result.Succeeded)
            return Results.LocalRedirect("/account/password?error=" + Uri.EscapeDataString(string.Join(" ", result.Errors.Select(e => e.Description))));
        await signIn.RefreshSignInAsync(user);
        return Results.LocalRedirect("/account/password?changed=1");
    }

    private static IResult Fail(string error, string back) =>
        Results.LocalRedirect($"/account/login?error={error}&returnUrl={Uri.EscapeDataString(back)}");

    /// <summary>Only local paths: an open redirect after sign-in is a phishing aid.</summary>
    /// <summary>A path on this site, or "/": never another host, and never a control character (a TAB or CRLF would make
    /// <c>LocalRedirect</c> throw).</summary>
    private static string SafeReturn(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") && !url.Any(char.IsControl) ? url : "/";
}
