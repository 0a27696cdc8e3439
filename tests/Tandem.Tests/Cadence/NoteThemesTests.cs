using Tandem.Features.Cadence;

namespace Tandem.Tests.Cadence;

/// <summary>The pure rules behind "top questions over time": which words are themes and how they are counted per week.</summary>
public class NoteThemesTests
{
    private static readonly IsoWeek W1 = new(2026, 10), W2 = new(2026, 11);
    private static IsoWeek WeekOf(DateTime at) => IsoWeek.Of(DateOnly.FromDateTime(at));
    private static readonly DateTime InW1 = new(2026, 3, 3, 10, 0, 0, DateTimeKind.Utc), InW2 = new(2026, 3, 10, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Terms_drop_common_words_and_numbers_fold_plurals_and_count_each_word_once()
    {
        Assert.Equal(["import", "hubspot", "integration"], NoteThemes.Terms("Can we import from HubSpot? Imports, integrations, 2026, and the HubSpot integration."));
        Assert.Equal(["status", "process", "analysis", "pricing"], NoteThemes.Terms("status process analysis pricing"));
        Assert.Equal(["single-sign-on"], NoteThemes.Terms("Does it do single-sign-on?"));
        Assert.Empty(NoteThemes.Terms("   "));
        Assert.Empty(NoteThemes.Terms(null));
    }

    [Fact]
    public void A_theme_is_counted_once_per_note_in_the_week_it_was_heard_and_the_most_frequent_come_first()
    {
        var notes = new[]
        {
            (InW1, "Pricing for pricing teams? pricing!"), (InW1, "Is there SSO?"), (InW2, "What does pricing look like for 50 seats?"),
            (InW2, "Okta with Salesforce?"), (InW2, "Okta again"), (new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), "pricing long ago"),
        };
        var t = NoteThemes.Of(notes, [W1, W2], WeekOf, top: 3);

        Assert.Equal(5, t.Notes);
        // Ties by total go to the theme heard most recently, then alphabetically.
        Assert.Equal(["okta", "pricing", "look"], t.Rows.Select(r => r.Term));
        Assert.Equal([0, 2], t.Rows[0].PerWeek);
        Assert.Equal([1, 1], t.Rows[1].PerWeek);
        Assert.Equal(2, t.Rows[1].Total);
        Assert.True(NoteThemes.Matches("What does pricing look like?", "pricing"));
        Assert.False(NoteThemes.Matches("Repricing", "pricing"));
    }

    [Fact]
    public void No_notes_give_an_empty_table_not_an_error()
    {
        var t = NoteThemes.Of([], NoteThemes.WeeksEnding(W2, 8), WeekOf, top: 8);
        Assert.Empty(t.Rows);
        Assert.Equal(8, t.Weeks.Count);
        Assert.Equal(W2, t.Weeks[^1]);
        Assert.Equal(new IsoWeek(2026, 4), t.Weeks[0]);
    }

    [Theory]
    [InlineData("/handoff/12", "/handoff/12")]
    [InlineData("/people/3", "/people/3")]
    [InlineData("//evil.test/x", "/sync/notes")]
    [InlineData("/\\evil.test", "/sync/notes")]
    [InlineData("https://evil.test/", "/sync/notes")]
    [InlineData("/people/3?noteDone=x", "/sync/notes")]
    [InlineData(null, "/sync/notes")]
    public void The_form_returns_only_to_a_page_of_this_site(string? back, string expected) =>
        Assert.Equal(expected, CadenceFormEndpoints.LocalPage(back));
}
