using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;

namespace Tandem.Features.Access;

public sealed record ApiKeyDto(int Id, string Name, string Prefix, KeyScope Scope, int? CreatedByUserId, DateTime CreatedAt,
    DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt)
{
    public static ApiKeyDto From(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.Scope, k.CreatedByUserId, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt);
}

/// <summary>The secret appears in this answer only; Tandem keeps just its hash.</summary>
public sealed record CreatedApiKey(ApiKeyDto Key, string Secret);

public sealed record ApiKeyInput(string? Name, KeyScope? Scope, DateTime? ExpiresAt);

public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/keys").WithTags("Access");
        g.MapGet("/", List).WithName("ListApiKeys").WithSummary("API keys (never their secrets).").RequireAuthorization(Permissions.Admin);
        g.MapPost("/", Create).WithName("CreateApiKey").WithSummary("Create an API key; the secret is shown once.").RequireAuthorization(Permissions.Admin);
        g.MapPost("/{id:int}/revoke", Revoke).WithName("RevokeApiKey").WithSummary("Revoke an API key at once.").RequireAuthorization(Permissions.Admin);
        return api;
    }

    private static async Task<Ok<List<ApiKeyDto>>> List(TandemDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct)).Select(ApiKeyDto.From).ToList());

    private static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> Create(TandemDb db, HttpContext http, ApiKeyInput input, CancellationToken ct)
    {
        var e = new Errors().Required("name", input.Name);
        if (input.Scope is null) e.Add("scope", "'scope' is required: one of " + string.Join(", ", Enum.GetNames<KeyScope>()) + ".");
        else if (ModelLimits.EnumProblem(input.Scope, "scope") is { } scope) e.Add("scope", scope);
        if (input.ExpiresAt is { } x && x.ToUniversalTime() <= db.UtcNow) e.Add("expiresAt", "'expiresAt' is in the past.");
        if (e.Any) return e.ToProblem();
        var (key, secret) = Issue(db, input.Name!.Trim(), input.Scope!.Value, input.ExpiresAt?.ToUniversalTime(), http.User.UserId());
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/keys/{key.Id}", new CreatedApiKey(ApiKeyDto.From(key), secret));
    }

    private static async Task<Results<Ok<ApiKeyDto>, ProblemHttpResult>> Revoke(TandemDb db, int id, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return Problems.NotFound("API key", id);
        key.RevokedAt ??= db.UtcNow;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ApiKeyDto.From(key));
    }

    /// <summary>Adds a new key to the context (saved by the caller) and returns its one-time secret.</summary>
    public static (ApiKey Key, string Secret) Issue(TandemDb db, string name, KeyScope scope, DateTime? expiresAt, int? createdBy)
    {
        var secret = ApiKeySecrets.NewSecret();
        var key = new ApiKey
        {
            Name = name, Scope = scope, ExpiresAt = expiresAt, CreatedByUserId = createdBy, CreatedAt = db.UtcNow,
            Hash = ApiKeySecrets.Hash(secret), Prefix = ApiKeySecrets.PrefixOf(secret),
        };
        db.ApiKeys.Add(key);
        return (key, secret);
    }
}
