using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Tandem.Features.Users;

namespace Tandem.Features.Access;

/// <summary>Request limits. Ingestion is limited per caller (key or user), so one flooding integration does not slow anyone else.</summary>
public sealed record RateLimits(int SignInPerMinute = 10, int IngestPerMinute = 600)
{
    public const string SignIn = "signin";
    public const string Ingest = "ingest";
}

public static class AccessSetup
{
    public const string Scheme = "tandem";

    /// <summary>The setting (TANDEM_DATAPROTECTION__KEYSFOLDER) naming a folder every server shares for its Data Protection keys.</summary>
    public const string KeysFolderSetting = "DataProtection:KeysFolder";

    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder, RateLimits limits)
    {
        var s = builder.Services;
        AddIdentity(s);
        // Sign-in cookies and form tokens are encrypted with Data Protection keys. By default ASP.NET Core keeps them in
        // ~/.aspnet/DataProtection-Keys of the user running the server (only in memory when it has no home folder), so each
        // server has its own. With a shared folder all servers use one key ring under one application name, and a cookie or
        // form token issued by one is accepted by the others (docs/guide/deploy.md).
        // Read when the options are built, so settings added after this call (appsettings, tests) count too.
        s.AddDataProtection();
        s.AddOptions<DataProtectionOptions>().Configure<IConfiguration>((o, config) =>
        {
            if (config[KeysFolderSetting] is { Length: > 0 }) o.ApplicationDiscriminator = "tandem";
        });
        s.AddOptions<KeyManagementOptions>().Configure<IConfiguration, ILoggerFactory>((o, config, logs) =>
        {
            if (config[KeysFolderSetting] is { Length: > 0 } keys)
                o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.GetFullPath(keys)), logs);
        });
        // Behind an HTTPS proxy (--behind-proxy) the request is HTTPS, so the form-token cookie is marked Secure like the sign-in one.
        s.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        // A disabled user's cookie stops working within a minute (disabling changes the security stamp).
        s.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        s.AddAuthentication(o => { o.DefaultScheme = Scheme; o.DefaultChallengeScheme = Scheme; o.DefaultForbidScheme = Scheme; })
            .AddPolicyScheme(Scheme, "Sign-in cookie or API key", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiKeyAuthentication.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddIdentityCookies(c => c.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/account/login";
                o.AccessDeniedPath = "/account/denied";
                o.Cookie.Name = "tandem";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                // The API answers with status codes, never with a redirect to the sign-in page.
                o.Events.OnRedirectToLogin = ctx => Answer(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => Answer(ctx, StatusCodes.Status403Forbidden);
            }));

        s.AddAuthorization(o =>
        {
            foreach (var p in Permissions.All) o.AddPolicy(p, b => b.RequireAuthenticatedUser().RequireClaim(Permissions.Claim, p));
            o.FallbackPolicy = o.GetPolicy(Permissions.Read);
        });
        s.AddSingleton<DenialRecorder>();
        s.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler>(sp => sp.GetRequiredService<DenialRecorder>());
        s.AddRateLimiter(o => ConfigureLimits(o, limits));
        return builder;
    }

    /// <summary>Identity with Tandem's password and lockout rules; the CLI uses it too, without the web parts.</summary>
    public static IServiceCollection AddIdentity(IServiceCollection s)
    {
        s.AddIdentityCore<User>(o =>
            {
                // NIST SP 800-63B: length over composition rules.
                o.Password = new PasswordOptions { RequiredLength = 10, RequireDigit = false, RequireLowercase = false,
                    RequireUppercase = false, RequireNonAlphanumeric = false, RequiredUniqueChars = 4 };
                o.Lockout = new LockoutOptions { MaxFailedAccessAttempts = 5, DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15), AllowedForNewUsers = true };
                o.SignIn.RequireConfirmedAccount = true; // "confirmed" means active: see ActiveUserConfirmation
                o.User.RequireUniqueEmail = true;
            })
            .AddUserStore<UserStore>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<TandemClaimsFactory>();
        s.AddScoped<IUserConfirmation<User>, ActiveUserConfirmation>();
        return s;
    }

    private static Task Answer(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api")) ctx.Response.StatusCode = status;
        else ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    private static void ConfigureLimits(RateLimiterOptions o, RateLimits limits)
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.OnRejected = async (ctx, ct) =>
        {
            var seconds = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var ra) ? (int)Math.Ceiling(ra.TotalSeconds) : 60;
            ctx.HttpContext.Response.Headers.RetryAfter = seconds.ToString();
            await Results.Problem(title: "Too many requests", detail: $"Slow down: try again in {seconds} s.", statusCode: 429).ExecuteAsync(ctx.HttpContext);
        };
        o.AddPolicy(RateLimits.SignIn, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "local",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.SignInPerMinute, Window = TimeSpan.FromMinutes(1) }));
        o.AddPolicy(RateLimits.Ingest, http => RateLimitPartition.GetFixedWindowLimiter(
            http.User.Actor(),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.IngestPerMinute, Window = TimeSpan.FromMinutes(1) }));
    }

    public static WebApplication UseAccess(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            var h = http.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            h.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'";
            return next(http);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseCsrfGuard();
        app.UseRateLimiter();
        return app;
    }
}
