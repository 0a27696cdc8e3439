using Tandem.Data;
using Tandem.Components;
using Tandem.Features.Handoffs;

namespace Tandem.Tests.Wording;

public class SentencesTests
{
    private static string User(int id) => id == 10 ? "Ana Ruiz" : $"user {id}";

    [Fact]
    public void A_rep_accepting_reads_as_a_sentence_with_their_name()
    {
        Assert.Equal("Ana Ruiz accepted the lead", Sentences.Stage(LifecycleStage.MQL, LifecycleStage.SAL, "sla:accept", null, "Ana Ruiz"));
        Assert.Equal("Ana Ruiz accepted Bo Li", Sentences.Stage(LifecycleStage.MQL, LifecycleStage.SAL, "sla:accept", null, "Ana Ruiz", "Bo Li"));
    }

    [Fact]
    public void Rejections_say_where_the_lead_went_and_why()
    {
        Assert.Equal("Ana Ruiz sent the lead back to nurture: No budget or timing now",
            Sentences.Stage(LifecycleStage.MQL, LifecycleStage.Nurture, "sla:reject", "No budget or timing now", "Ana Ruiz"));
        Assert.Equal("Ana Ruiz rejected the lead: Competitor",
            Sentences.Stage(LifecycleStage.MQL, LifecycleStage.Disqualified, "sla:reject", "Competitor", "Ana Ruiz"));
    }

    [Fact]
    public void Automatic_moves_name_their_cause()
    {
        Assert.Equal("Became an MQL under definition v3", Sentences.Stage(LifecycleStage.Inquiry, LifecycleStage.MQL, "definition:v3", null, "Tandem"));
        Assert.Equal("Bo Li became an SQL: a deal was opened", Sentences.Stage(LifecycleStage.SAL, LifecycleStage.SQL, "opportunity", null, "Tandem", "Bo Li"));
        Assert.Equal("Entered as an Inquiry with a first touch", Sentences.Stage(null, LifecycleStage.Inquiry, "touch", null, "Tandem"));
        Assert.Equal("Ana Ruiz moved them from Nurture to MQL", Sentences.Stage(LifecycleStage.Nurture, LifecycleStage.MQL, "manual", null, "Ana Ruiz"));
    }

    [Fact]
    public void A_score_change_shows_before_after_and_the_rule()
    {
        Assert.Equal("Score 42 → 61 (Webinar attended)", Sentences.Score(41.6, 61.2, ["Webinar attended", "Webinar attended"]));
        Assert.Equal("Score 0 → 10", Sentences.Score(0, 10, []));
    }

    [Fact]
    public void Activity_rows_read_as_sentences_without_json_or_ids()
    {
        var assigned = Sentences.Activity("handoff.assigned", """{"assigneeId":10,"rule":"territory","why":"Territory EMEA, round robin"}""", "Tandem", User);
        Assert.Equal("Routed to Ana Ruiz: Territory EMEA, round robin", assigned);
        var attempt = Sentences.Activity("handoff.attempt", """{"handoffId":3,"kind":"Call","at":"2026-11-02T10:00:00Z","note":"left a voicemail"}""", "Ana Ruiz", User);
        Assert.Equal("Ana Ruiz logged a call attempt: “left a voicemail”", attempt);
        var breach = Sentences.Activity("sla.breached", """{"handoffId":3,"deadline":"FirstTouch","dueAt":"2026-11-02T17:00:00Z","assigneeId":10}""", "Tandem", User);
        Assert.Equal("Ana Ruiz missed the first touch deadline (due 2026-11-02 17:00 UTC)", breach);
        var owner = Sentences.Activity("person.updated", """{"changes":{"ownerId":[null,10],"title":["CTO","CEO"]}}""", "Tandem", User);
        Assert.Equal("Tandem changed owner from nothing to Ana Ruiz, title from “CTO” to “CEO”", owner);
    }

    [Fact]
    public void An_update_that_only_moved_the_stage_repeats_nothing() =>
        Assert.Null(Sentences.Activity("person.updated", """{"changes":{"stage":["MQL","SAL"],"stageChangedAt":["a","b"]}}""", "Tandem", User));

    [Fact]
    public void Deal_moves_and_outcomes_read_as_words() =>
        Assert.Equal("Ana Ruiz closed Acme renewal as no decision", Sentences.Deal("Acme renewal", "Proposal", "No Decision", Outcome.NoDecision, "Ana Ruiz"));

    [Fact]
    public void Actors_are_named_never_shown_as_ids()
    {
        var actors = new Actors(new Dictionary<int, string> { [10] = "Ana Ruiz" }, new Dictionary<int, string> { [3] = "CRM sync" });
        Assert.Equal(["Ana Ruiz", "API key “CRM sync”", "Tandem", "a former user (no. 99)"],
            new[] { "user:10", "api-key:3", "system", "user:99" }.Select(actors.Label).ToArray());
        Assert.DoesNotContain("user:", string.Join(" ", new[] { "user:10", "user:99" }.Select(actors.Label)));
    }
}
