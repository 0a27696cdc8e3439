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
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>();
        return app;
    }
}
