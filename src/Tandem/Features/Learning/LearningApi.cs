using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Learning;

public sealed record PromoteInput(bool? Confirm);
public sealed record ModelDto(int Number, string Status, string Target, string Trainer, double TestAuc, DateTime TrainedAt, string TrainedBy,
    DateTime? PromotedAt, string? PromotedBy);

/// <summary>
/// The learned models over HTTP: list them, and promote one (decision 0075). Promotion needs WriteSetup, the permission the
/// lead definition's drafts need: the people who own the definition (admins, marketing, sales managers) decide which model
/// scores their leads. Reps and viewers read.
/// </summary>
public static class LearningApi
{
    public static void MapLearningApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/learning").WithTags("Learning");
        g.MapGet("/models", List).WithName("ListLearnedModels").WithSummary("Every trained model, newest first, with its status and test AUC.")
            .RequireAuthorization(Permissions.Read);
        g.MapPost("/models/{version}/promote", Promote).WithName("PromoteLearnedModel")
            .WithSummary("Makes a model the active one (the previous one retires). A model predicting another outcome than the active one " +
                         "answers 409 with the warning unless confirm is true.")
            .RequireAuthorization(Permissions.WriteSetup);
        g.MapGet("/models/{version}/people", People).WithName("LearnedModelPeople")
            .WithSummary("The test-set people behind one figure of a model's report, best score first: set=decile&n=1..10, set=bin&n=0..9 " +
                         "(calibration, 0 = predicted 0–10 %) or set=top (precision at K); outcome=positive keeps those who reached the outcome.")
            .RequireAuthorization(Permissions.Read);
    }

    private static async Task<Results<Ok<ModelDrillPage>, ValidationProblem, ProblemHttpResult>> People(string version, string? set, int? n,
        string? outcome, int? page, TandemDb db, Insight.InsightStore store, CancellationToken ct)
    {
        var e = new Errors();
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            e.Add("version", $"'{version}' is not a model number: use the number the models list shows, such as 3.");
        var (cell, problem) = DrillCell.Parse(set, n, outcome);
        if (problem is not null) e.Add(problem.StartsWith("outcome", StringComparison.Ordinal) ? "outcome" : problem.StartsWith("set", StringComparison.Ordinal) ? "set" : "n", problem);
        if (page is < 1) e.Add("page", "Pages start at 1.");
        if (e.Any) return e.ToProblem();
        var model = await Models.FindAsync(db, number, ct);
        if (model is not { IsTrained: true })
            return TypedResults.Problem(title: "No such model.", detail: model is null ? $"There is no model #{number}." : $"Model #{number} holds no trained model.",
                statusCode: StatusCodes.Status404NotFound, extensions: new Dictionary<string, object?> { ["field"] = "version" });
        var result = await ModelDrill.PageAsync(db, await store.GetAsync(db, ct), model, cell!, page ?? 1, ct);
        return result is null
            ? TypedResults.Problem(title: "The test set cannot be rebuilt.", detail: $"The history no longer gives model #{number} a test set to list.",
                statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Ok(result);
    }

    private static async Task<Ok<List<ModelDto>>> List(TandemDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.LearnedModels.AsNoTracking().OrderByDescending(m => m.Number).ToListAsync(ct)).Select(Dto).ToList());

    public static ModelDto Dto(LearnedModel m) => new(m.Number, StatusWord(m.Status), m.Target.Sentence, m.Trainer, m.TestAuc, m.TrainedAt, m.TrainedBy,
        m.PromotedAt, m.PromotedBy);

    public static string StatusWord(ModelStatus s) => s switch
    {
        ModelStatus.Active => "active", ModelStatus.Candidate => "candidate", ModelStatus.Training => "training", ModelStatus.Refused => "refused",
        _ => "retired",
    };

    private static async Task<Results<Ok<ModelDto>, ValidationProblem, ProblemHttpResult>> Promote(string version, [FromBody] PromoteInput? input,
        HttpContext http, TandemDb db, CancellationToken ct)
    {
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            return Errors.Single("version", $"'{version}' is not a model number: use the number the models list shows, such as 3.");
        var (outcome, message) = await PromoteAsync(db, http, number, input?.Confirm == true, ct);
        return outcome switch
        {
            Models.PromoteOutcome.Promoted => TypedResults.Ok(Dto((await Models.FindAsync(db, number, ct))!)),
            Models.PromoteOutcome.NotFound => TypedResults.Problem(title: "No such model.", detail: message, statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["field"] = "version" }),
            Models.PromoteOutcome.NeedsConfirmation => TypedResults.Problem(title: "The model predicts another outcome than the active one.",
                detail: message + " Send {\"confirm\": true} to promote it anyway.", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["field"] = "confirm" }),
            Models.PromoteOutcome.NotReady => TypedResults.Problem(title: "The model cannot be promoted.", detail: message,
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["field"] = "version" }),
            _ => Problems.Conflict(message),
        };
    }

    /// <summary>The promotion in the name of the signed-in person (or the API key), shared by the API and the page's form.</summary>
    public static async Task<(Models.PromoteOutcome, string)> PromoteAsync(TandemDb db, HttpContext http, int number, bool confirm, CancellationToken ct)
    {
        db.Actor = http.User.Actor();
        var name = http.User.UserId() is { } id
            ? await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.Name).FirstOrDefaultAsync(ct)
            : null;
        return await Models.PromoteAsync(db, number, name ?? db.Actor, confirm, ct);
    }
}

/// <summary>The learning page's Promote button: a plain form post that answers with a redirect back to the model's page.</summary>
public static class LearningFormEndpoints
{
    public static WebApplication MapLearningFormEndpoints(this WebApplication app)
    {
        app.MapPost("/learning/{number:int}/promote", async (int number, [FromForm] string? confirm, HttpContext http, TandemDb db, CancellationToken ct) =>
        {
            var (outcome, message) = await LearningApi.PromoteAsync(db, http, number, confirm == "true", ct);
            var key = outcome switch
            {
                Models.PromoteOutcome.Promoted => "done",
                Models.PromoteOutcome.NeedsConfirmation => "warning",
                _ => "error",
            };
            return Results.LocalRedirect($"/learning/{number}?{key}={Uri.EscapeDataString(message)}#models");
        }).ExcludeFromDescription().RequireAuthorization(Permissions.WriteSetup);
        return app;
    }
}
