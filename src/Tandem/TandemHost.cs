using System.Text.Json.Serialization;
using Tandem.Api;
using Tandem.Components;
using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Access;
using Tandem.Features.Activity;
using Tandem.Features.Agreement;
using Tandem.Features.Calendars;
using Tandem.Features.Campaigns;
using Tandem.Features.Channels;
using Tandem.Features.Notifications;
using Tandem.Features.Nurture;
using Tandem.Features.Handoffs;
using Tandem.Features.Import;
using Tandem.Features.Insight;
using Tandem.Features.Lifecycle;
using Tandem.Features.Learning;
using Tandem.Features.Opportunities;
using Tandem.Features.People;
using Tandem.Features.Plan;
using Tandem.Features.Cadence;
using Tandem.Features.Touches;
using Tandem.Features.Users;
using Tandem.Features.Webhooks;

namespace Tandem;

/// <summary>Options for one running web host.</summary>
public sealed record HostOptions(Storage Storage, string[]? Urls = null, TimeProvider? Clock = null, bool Quiet = false)
{
    public RateLimits Limits { get; init; } = new();

    /// <summary>Trust X-Forwarded-For/-Proto from a reverse proxy that terminates HTTPS (docs/guide/access.md).</summary>
    public bool BehindProxy { get; init; }

    /// <summary>Lets tests swap in a test server or extra services before the app is built.</summary>
    public Action<WebApplicationBuilder>? Configure { get; init; }
}

/// <summary>Composes the features into one web application. Program.cs and tests both come through here.</summary>
public static class TandemHost
{
    public static WebApplication Build(HostOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Named explicitly so static assets and Razor components resolve the same way under tests and benchmarks.
            ApplicationName = typeof(TandemHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        if (options.Urls is { Length: > 0 }) builder.WebHost.UseUrls(options.Urls);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // One line per request buried the printed demo sign-ins; requests are not worth an information line each.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.StaticAssets", LogLevel.Warning);
        if (options.Quiet) builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseStaticWebAssets();

        // Settings such as TANDEM_SMTP__HOST read as Smtp:Host, beside the other TANDEM_ variables (README).
        builder.Configuration.AddEnvironmentVariables("TANDEM_");
        builder.Services.AddSingleton(options.Clock ?? TimeProvider.System);
        options.Storage.AddTo(builder.Services);
        CompanyOptions.AddTo(builder.Services);
        builder.Services.AddSingleton<WhatIfService>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        // Let malformed bodies reach ApiExceptionHandler, which names the offending field.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer((schema, context, _) =>
        {
            // A channel is written by its own converter as a plain string: say so, since the generator cannot see it.
            var type = context.JsonTypeInfo.Type;
            if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(Channel))
            {
                schema.Type = Microsoft.OpenApi.JsonSchemaType.String; // a nullable property says null itself (oneOf)
                schema.Description ??= "A channel's key or label, as listed by GET /api/channels (decision 0100).";
            }
            return Task.CompletedTask;
        }).AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Tandem API";
            doc.Info.Version = "v1";
            doc.Servers = []; // the same document wherever it is served, so the checked-in copy compares equal
            // Integrations authenticate with an API key sent as a bearer token (docs/guide/access.md).
            doc.Components ??= new Microsoft.OpenApi.OpenApiComponents();
            doc.Components.SecuritySchemes = new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>
            {
                ["ApiKey"] = new Microsoft.OpenApi.OpenApiSecurityScheme
                {
                    Type = Microsoft.OpenApi.SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "tdm_…",
                    Description = "An API key created by an admin (tandem keys create), sent as 'Authorization: Bearer tdm_…'.",
                },
            };
            doc.Security = [new Microsoft.OpenApi.OpenApiSecurityRequirement { [new Microsoft.OpenApi.OpenApiSecuritySchemeReference("ApiKey", doc)] = [] }];
            return Task.CompletedTask;
        }));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddScoped<TouchIngestor>();
        builder.AddAccess(options.Limits);
        builder.AddNotifications();
        builder.AddWebhooks();
        builder.AddHandoff();
        builder.AddInsight();
        builder.AddPlan();
        builder.AddCadence();
        builder.AddNurture();
        builder.AddReevaluation(); // everyone re-evaluated when a version becomes active (Lifecycle; decision 0085)
        builder.AddLearning();
        builder.AddUi();
        options.Configure?.Invoke(builder);

        if (options.BehindProxy)
            builder.Services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
                o.KnownIPNetworks.Clear(); // the proxy is whatever sits in front; Tandem must then not be reachable directly
                o.KnownProxies.Clear();
            });

        var app = builder.Build();
        if (options.BehindProxy)
        {
            app.UseForwardedHeaders();
            app.UseHsts();
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAccess();
        app.MapOpenApi().AllowAnonymous();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapKeyFormEndpoints();
        app.MapImportFormEndpoints();
        app.MapDefinitionFormEndpoints();
        app.MapWebhookFormEndpoints();
        app.MapChannelFormEndpoints();
        app.MapHandoffFormEndpoints();
        app.MapCadenceFormEndpoints();
        app.MapLearningFormEndpoints();
        app.MapNurtureFormEndpoints();
        app.MapNurtureTracking();
        var api = app.MapGroup("/api").AddEndpointFilter<ActorFilter>();
        api.MapAccountsApi();
        api.MapPeopleApi();
        api.MapCampaignsApi();
        api.MapChannelsApi();
        api.MapTouchesApi();
        api.MapOpportunitiesApi();
        api.MapUsersApi();
        api.MapActivityApi();
        api.MapApiKeysApi();
        api.MapDefinitionsApi();
        api.MapCalendarsApi();
        api.MapWebhooksApi();
        api.MapInsightApi();
        api.MapPlansApi();
        api.MapForecastApi();
        api.MapSnapshotsApi();
        api.MapHandoffApi();
        api.MapRoutingApi();
        api.MapCadenceApi();
        api.MapNurtureApi();
        api.MapLearningApi();
        app.MapUi();
        return app;
    }

    /// <summary>Applies migrations; every start does this so a fresh data folder just works.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        await Storage.MigrateAsync(scope.ServiceProvider.GetRequiredService<TandemDb>(), ct);
    }
}
