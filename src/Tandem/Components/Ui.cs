using Microsoft.AspNetCore.Diagnostics;

namespace Tandem.Components;

/// <summary>Blazor with static server rendering: pages are plain HTML forms and links; interactivity only where needed.</summary>
public static class Ui
{
    public static WebApplicationBuilder AddUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        return builder;
    }

    public static WebApplication MapUi(this WebApplication app)
    {
        // A mistyped page address gets the app's own Not found page (still a 404) instead of a bare status line.
        // Re-execution is only wired up at the top level (inside UseWhen it does not re-route), so the next
        // middleware switches it off for the API and machine endpoints: they keep the host's ProblemDetails.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // A re-executed request starts here, after the authorization middleware, so for an address that matched no
        // endpoint the Not found page (which requires a policy like every page) would meet an unchecked endpoint and
        // fail with a 500. Authorize that second pass here; ordinary requests were authorized already.
        app.UseWhen(http => http.Features.Get<IStatusCodeReExecuteFeature>() is not null, b => b.UseAuthorization());
        app.Use((context, next) =>
        {
            if (!IsPage(context.Request.Path) && context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
            return next(context);
        });
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>();
        return app;
    }

    private static bool IsPage(PathString path) =>
        !path.StartsWithSegments("/api") && !path.StartsWithSegments("/openapi") && !path.StartsWithSegments("/healthz")
        && !path.StartsWithSegments("/n"); // nurture links: people who never sign in get a bare 404
}
