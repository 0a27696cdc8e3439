using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Nurture;

namespace Tandem.Tests.NurtureTracks;

/// <summary>The editor's form against the track document: both ways, blank rows, made-up keys, and errors back on their rows.</summary>
public class TrackFormTests
{
    private static readonly TrackContent Sample = new(
        new EnrolRule(LifecycleStage.Nurture, RecycleReasons: ["No budget or timing now"], Personas: ["Executive"], Grades: [Grade.A, Grade.B],
            Channels: [Channel.Webinar], Properties: new() { ["segment"] = "SMB" }),
        [
            new Step("m1", StepKind.Message, [new Variant("A", "Still thinking, {{ firstName | there }}?", "Hi,\n\n[Pricing](https://acme.test/pricing)"),
                new Variant("B", "Next quarter?", "Hello {{ company }}")], new VariantTest(TestMode.Fixed, Reward.Mql, 15, 0.05, 0.02, Alpha: 0.01, Power: 0.9, MqlDays: 45)),
            new Step("w1", StepKind.Wait, Days: 5),
            new Step("b1", StepKind.Branch, IfClicked: "m2", IfNotClicked: TrackContent.End),
            new Step("m2", StepKind.Message, [new Variant("A", "Shall we talk?", "Hi")]),
        ]);

    /// <summary>The form as a browser would post it: every input by name, ticked boxes as several values.</summary>
    private static Dictionary<string, string[]> Post(TrackForm f)
    {
        var d = new Dictionary<string, string[]>
        {
            [TrackForm.Name] = [f.TrackName], [TrackForm.Status] = [f.StatusText], [TrackForm.Version] = [f.TrackVersion], [TrackForm.Stage] = [f.EnrolStage],
            [TrackForm.RecycleReasons] = [.. f.Reasons], [TrackForm.PersonasField] = [.. f.Personas], [TrackForm.Grades] = [.. f.GradeList],
            [TrackForm.Channels] = [.. f.ChannelList], [TrackForm.Properties] = [f.PropertyLines],
        };
        for (var i = 0; i < f.Steps.Count; i++)
        {
            var s = f.Steps[i];
            foreach (var (k, v) in new[] { ("key", s.Key), ("kind", s.Kind), ("days", s.Days), ("ifClicked", s.IfClicked), ("ifNotClicked", s.IfNotClicked),
                         ("test.mode", s.TestMode), ("test.reward", s.Reward), ("test.holdoutPercent", s.Holdout), ("test.baseline", s.Baseline), ("test.mde", s.Mde),
                         ("test.mqlDays", s.MqlDays), ("test.alpha", s.Alpha), ("test.power", s.Power) })
                d[TrackForm.StepField(i, k)] = [v];
            for (var v = 0; v < s.Variants.Count; v++)
            {
                d[TrackForm.VariantField(i, v, "key")] = [s.Variants[v].Key];
                d[TrackForm.VariantField(i, v, "subject")] = [s.Variants[v].Subject];
                d[TrackForm.VariantField(i, v, "body")] = [s.Variants[v].Body];
            }
        }
        return d;
    }

    [Fact]
    public void A_stored_track_goes_through_the_form_and_comes_back_the_same()
    {
        var form = TrackForm.Of("No budget", TrackStatus.Active, 7, Sample);
        Assert.Equal(Sample.Steps.Length + TrackForm.SpareSteps, form.Steps.Count);
        Assert.All(form.Steps, s => Assert.Equal(TrackForm.MaxVariants, s.Variants.Count));
        Assert.Equal(("5", "2", "15"), (form.Steps[0].Baseline, form.Steps[0].Mde, form.Steps[0].Holdout)); // rates in percent, as people say them
        Assert.Equal(("Fixed", "1", "90"), (form.Steps[0].TestMode, form.Steps[0].Alpha, form.Steps[0].Power));

        var back = TrackForm.Read(Post(form)).ToContent();
        Assert.False(back.Errors.Any, string.Join(" ", back.Errors.ToDictionary().SelectMany(e => e.Value)));
        Assert.Equal((TrackStatus.Active, 7), (back.Status, back.Version));
        Assert.Equal(Sample.ToJson(), back.Content!.ToJson());
    }

    [Fact]
    public void Spare_rows_are_left_out_and_empty_keys_are_made_up_from_the_kind()
    {
        var form = TrackForm.New().Padded();
        form.TrackName = "Welcome";
        form.Steps[0].Variants[0] = new VariantFields { Subject = "Hello", Body = "Hi {{ firstName | there }}" };
        form.Steps[1].Kind = "Wait";
        form.Steps[1].Days = "3";
        form.Steps[2].Kind = "Message";
        form.Steps[2].Variants[1] = new VariantFields { Subject = "Again", Body = "Still here" }; // typed in the second slot, the first left blank

        var r = TrackForm.Read(Post(form)).ToContent();
        Assert.False(r.Errors.Any, string.Join(" ", r.Errors.ToDictionary().SelectMany(e => e.Value)));
        Assert.Equal(["m1", "w1", "m2"], r.Content!.Steps.Select(s => s.Key));
        Assert.Equal("A", Assert.Single(r.Content.Steps[2].Variants!).Key);
        Assert.Null(r.Content.Steps[0].Test);
        Assert.Equal(TrackStatus.Draft, r.Status);
        Assert.Null(r.Version);
    }

    [Fact]
    public void An_unknown_template_field_is_named_on_the_row_it_is_in_even_after_blank_rows()
    {
        var form = TrackForm.Of("T", TrackStatus.Draft, 1, Sample);
        // A blank first variant slot and a spare step row before the broken one: indices in the content and on the form differ.
        form.Steps.Insert(1, new StepFields { Variants = [new(), new(), new()] });
        form.Steps[4].Variants[0] = new VariantFields();
        form.Steps[4].Variants[2] = new VariantFields { Key = "C", Subject = "Hi", Body = "Dear {{ frist_name }}" };

        var r = TrackForm.Read(Post(form)).ToContent();
        var errors = r.Errors.ToDictionary();
        var field = Assert.Single(errors.Keys);
        Assert.Equal(TrackForm.VariantField(4, 2, "body"), field);
        Assert.Contains("'frist_name'", Assert.Single(errors[field]));
    }

    [Fact]
    public void Words_where_numbers_belong_and_bad_branches_are_errors_on_their_fields_in_the_forms_words()
    {
        var form = TrackForm.Of("", TrackStatus.Draft, null, Sample);
        form.Steps[0].Baseline = "four";
        form.Steps[1].Days = "";
        form.Steps[2].IfClicked = "m1"; // backwards
        form.Steps[3].Kind = "Message";
        form.Steps[3].Variants = [new(), new(), new()];

        var errors = TrackForm.Read(Post(form)).ToContent().Errors.ToDictionary();
        Assert.Contains("A track needs a name.", errors[TrackForm.Name]);
        Assert.Equal(["'four' is not a percentage between 0 and 100."], errors[TrackForm.StepField(0, "test.baseline")]);
        Assert.Equal(["Enter a number of business days."], errors[TrackForm.StepField(1, "days")]);
        Assert.Contains("a branch only jumps forward", Assert.Single(errors[TrackForm.StepField(2, "ifClicked")]));
        Assert.Contains("at least one variant", Assert.Single(errors[TrackForm.StepField(3, "variants")]));
    }

    [Fact]
    public void The_tests_mode_significance_and_power_are_checked_on_their_fields_in_percent()
    {
        var form = TrackForm.Of("T", TrackStatus.Draft, 1, Sample);
        form.Steps[0].Alpha = "30";
        form.Steps[0].Power = "100";
        form.Steps[3].TestMode = "Bayesian";

        var errors = TrackForm.Read(Post(form)).ToContent().Errors.ToDictionary();
        Assert.Contains("at most 20 %", Assert.Single(errors[TrackForm.StepField(0, "test.alpha")]));
        Assert.Contains("from 50 % to below 100 %", Assert.Single(errors[TrackForm.StepField(0, "test.power")]));
        Assert.Contains("'Bayesian' is not a kind of test", Assert.Single(errors[TrackForm.StepField(3, "test.mode")]));
        Assert.Equal(3, errors.Count);

        form.Steps[0].Alpha = "2,5 %";
        form.Steps[0].Power = "95";
        form.Steps[3].TestMode = "sequential";
        var r = TrackForm.Read(Post(form)).ToContent();
        Assert.False(r.Errors.Any, string.Join(" ", r.Errors.ToDictionary().SelectMany(e => e.Value)));
        Assert.Equal((TestMode.Fixed, 0.025, 0.95), (r.Content!.Steps[0].Test!.Mode, r.Content.Steps[0].Test!.Alpha, r.Content.Steps[0].Test!.Power));
        Assert.Equal(TestMode.Sequential, r.Content.Steps[3].Test!.Mode);
    }

    [Fact]
    public void The_editor_states_a_fixed_tests_sample_size_and_a_stricter_alpha_or_higher_power_needs_more_people()
    {
        var row = new StepFields { TestMode = "Fixed", Holdout = "0", Baseline = "4", Mde = "1", Alpha = "5", Power = "80" };
        var n = TrackForm.RequiredPerVariant(row, 2);
        Assert.Equal(VariantStats.SampleSize(0.04, 0.01, 0.05, 0.8), n);
        Assert.InRange(n!.Value, 6_000, 8_000); // the textbook figure for 4 % → 5 % at α 5 %, power 80 %
        Assert.True(TrackForm.RequiredPerVariant(new StepFields { TestMode = "Fixed", Holdout = "0", Baseline = "4", Mde = "1", Alpha = "1", Power = "80" }, 2) > n);
        Assert.True(TrackForm.RequiredPerVariant(new StepFields { TestMode = "Fixed", Holdout = "0", Baseline = "4", Mde = "1", Alpha = "5", Power = "95" }, 2) > n);
        // With a control held out, both variants are compared with it: α is split in two, so each needs more.
        Assert.True(TrackForm.RequiredPerVariant(new StepFields { TestMode = "Fixed", Holdout = "10", Baseline = "4", Mde = "1", Alpha = "5", Power = "80" }, 2) > n);
        Assert.Null(TrackForm.RequiredPerVariant(new StepFields { TestMode = "Fixed", Alpha = "abc" }, 2));
    }

    [Theory]
    [InlineData("content.steps[1].variants[0].body", "steps[3].variants[2].body")]
    [InlineData("content.steps[1].days", "steps[3].days")]
    [InlineData("content.steps[0]", "steps[0]")]
    [InlineData("content.enrol.stage", "enrol.stage")]
    [InlineData("content.steps", "steps")]
    public void Content_paths_map_to_form_rows(string path, string field) =>
        Assert.Equal(field, TrackForm.FieldOf(path, [0, 3], [[0], [2]]));
}
