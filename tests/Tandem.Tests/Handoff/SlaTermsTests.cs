using Tandem.Features.Handoffs;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Handoff;

/// <summary>The SLA terms are part of the agreement: versioned, validated field by field, stated in plain language.</summary>
public class SlaTermsTests
{
    [Fact]
    public void A_definition_without_sla_terms_keeps_the_hash_it_had_before_sla_terms_existed()
    {
        // Approvals are of this hash (computed before the Sla section was added): if it moved, every approved version would look edited.
        Assert.Equal("ed80a02588045b54", StarterDefinition.Content.Hash());
        Assert.DoesNotContain("sla", StarterDefinition.Content.ToJson(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SlaSection.Default, StarterDefinition.Content.SlaTerms());
    }

    [Fact]
    public void Sla_terms_change_the_hash_and_survive_a_round_trip()
    {
        var with = StarterDefinition.Content with { Sla = new SlaSection(2, 4, 6, 2) };
        Assert.NotEqual(StarterDefinition.Content.Hash(), with.Hash());
        Assert.Equal(new SlaSection(2, 4, 6, 2), DefinitionContent.FromJson(with.ToJson()).Sla);
    }

    [Fact]
    public void Invalid_sla_terms_are_named_by_field()
    {
        var bad = StarterDefinition.Content with { Sla = new SlaSection(0, 0, 40, 0) };
        var errors = DefinitionValidation.Validate(bad).ToDictionary();
        Assert.Contains("content.sla.firstTouchHours", errors.Keys);
        Assert.Contains("content.sla.minAttempts", errors.Keys);
        Assert.Contains("content.sla.attemptDays", errors.Keys);
        Assert.Contains("content.sla.decideDays", errors.Keys);
        Assert.False(DefinitionValidation.Validate(StarterDefinition.Content with { Sla = new SlaSection(4, 3, 5, 3) }).Any);
    }

    [Fact]
    public void The_plain_language_states_the_terms_and_says_when_they_are_the_defaults()
    {
        Assert.Equal("Sales makes the first touch within 4 business hours, at least 3 attempts within 5 business days, and accepts or rejects "
            + "within 3 business days (the default terms: this version sets none).", PlainLanguage.Sla(StarterDefinition.Content));
        var custom = StarterDefinition.Content with { Sla = new SlaSection(1, 1, 1, 2) };
        Assert.Equal("Sales makes the first touch within 1 business hour, at least 1 attempt within 1 business day, and accepts or rejects "
            + "within 2 business days.", PlainLanguage.Sla(custom));
        Assert.Contains(DefinitionDiff.Compare(StarterDefinition.Content, custom), l => l.Section == "SLA" && l.Change == "added");
    }
}
