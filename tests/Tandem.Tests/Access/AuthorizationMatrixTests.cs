using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Tests.Access;

/// <summary>
/// Tries every operation of the OpenAPI document as anonymous, as every role (signed in through the real form)
/// and with every key scope, and checks each answer against <see cref="Permissions"/>. An endpoint added
/// without a named policy fails <see cref="Every_api_endpoint_declares_exactly_one_named_policy"/>.
/// </summary>
public class AuthorizationMatrixTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_api_endpoint_declares_exactly_one_named_policy()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var endpoints = ApiEndpoints(app).ToList();
        Assert.True(endpoints.Count >= 30, $"only {endpoints.Count} API endpoints found");
        Assert.All(endpoints, e =>
        {
            var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            Assert.True(policies.Count == 1 && Permissions.All.Contains(policies[0]),
                $"{e.DisplayName} must require exactly one of {string.Join(", ", Permissions.All)}; it has [{string.Join(", ", policies)}]");
        });
    }

    /// <summary>The only routes anyone may reach without signing in. Adding one here is a security decision.</summary>
    // /n/…: the links in nurture emails, followed by people who never sign in (decision 0073).
    private static readonly string[] AnonymousByDecision = ["/healthz", "/openapi/{documentName}.json", "/account/login", "/not-found", "/n/c/{token}", "/n/o/{token}", "/n/u/{token}"];

    /// <summary>Framework endpoints Tandem does not declare; the fallback policy (read) protects them.</summary>
    private static readonly string[] FrameworkUnderFallback = ["/{**path:file}", "/_framework/opaque-redirect"];

    [Fact]
    public async Task Every_endpoint_and_page_names_a_policy_unless_it_is_anonymous_by_decision()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var routes = app.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null).ToList();
        Assert.Contains(routes, e => e.RoutePattern.RawText == "/people/{Id:int}");
        Assert.All(routes, e =>
        {
            var pattern = "/" + e.RoutePattern.RawText!.TrimStart('/');
            if (FrameworkUnderFallback.Contains(pattern))
                Assert.Empty(e.Metadata.GetOrderedMetadata<IAllowAnonymous>());
            else if (e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
                Assert.True(AnonymousByDecision.Contains(pattern), $"{pattern} allows anonymous access but is not in the list of anonymous routes");
            else
                Assert.True(e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => Permissions.All.Contains(a.Policy)),
                    $"{pattern} ({e.DisplayName}) names no permission policy");
        });
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Every_operation_answers_every_role_and_key_scope_as_the_matrix_says(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var policyOf = ApiEndpoints(app).Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 1)
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName,
                e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Single().Policy!);
        var doc = JsonNode.Parse(await app.Client.GetStringAsync("/openapi/v1.json", Ct))!;
        var operations = doc["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Verb: o.Key.ToUpperInvariant(), Name: (string)o.Value!["operationId"]!)))
            .ToList();

        var callers = new List<(string Who, HttpClient Client, IReadOnlyList<string> Perms)> { ("anonymous", app.Anonymous(), []) };
        foreach (var role in Enum.GetValues<Role>())
            callers.Add(($"role {role}", (await app.SignInAsNewAsync(role)).Browser.Client, Permissions.For(role)));
        foreach (var scope in Enum.GetValues<KeyScope>())
            callers.Add(($"key {scope}", await app.ClientWithKeyAsync(scope), Permissions.For(scope)));

        var failures = new List<string>();
        foreach (var (path, verb, name) in operations)
        {
            Assert.True(policyOf.TryGetValue(name, out var policy), $"{verb} {path} ({name}) has no endpoint with a policy");
            var url = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", "999");
            foreach (var (who, client, perms) in callers)
            {
                using var req = new HttpRequestMessage(new HttpMethod(verb), url);
                if (verb is "POST" or "PUT") req.Content = JsonContent.Create(new { });
                var status = (await client.SendAsync(req, Ct)).StatusCode;
                var expected = who == "anonymous" ? "401" : perms.Contains(policy) ? "allowed" : "403";
                var actual = status switch { HttpStatusCode.Unauthorized => "401", HttpStatusCode.Forbidden => "403", _ => "allowed" };
                if (expected != actual) failures.Add($"{verb} {path} as {who} (needs {policy}): expected {expected}, got {(int)status}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(operations.Count * callers.Count >= 300, $"only {operations.Count * callers.Count} checks ran");
    }

    private static IEnumerable<RouteEndpoint> ApiEndpoints(TestApp app) =>
        app.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api") == true || e.RoutePattern.RawText?.StartsWith("api") == true);
}
