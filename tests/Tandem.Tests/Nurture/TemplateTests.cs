using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Nurture;

namespace Tandem.Tests.NurtureTracks;

public class TemplateTests
{
    private static readonly Variant Hello = new("A", "{{ firstName | Hello }}, a note from Acme",
        "Hi {{ firstName | there }},\n\nSee [our pricing](https://acme.test/pricing) or [book a call](https://acme.test/call).\nThanks, {{ company }}");

    [Fact]
    public void An_unknown_field_is_an_error_that_names_it_and_a_closed_field_list_is_given()
    {
        var errors = MessageTemplate.Check("Hi {{ fristName }}, {{ company }}", links: true);
        var e = Assert.Single(errors);
        Assert.Contains("'fristName'", e);
        Assert.Contains("firstName", e);
        Assert.Contains("not closed", Assert.Single(MessageTemplate.Check("Hi {{ firstName", links: false)));
        Assert.Contains("not an absolute", Assert.Single(MessageTemplate.Check("[x](javascript:void)", links: true)));
        Assert.Empty(MessageTemplate.Check(Hello.Body, links: true));
    }

    [Fact]
    public void Values_are_html_escaped_in_the_html_part_and_plain_in_the_text_part_which_is_generated()
    {
        var values = MessageTemplate.Values("<script>alert('x')</script>", "Lee", "ann@acme.test", null, "Tom & Jerry <Ltd>");
        var r = MessageTemplate.Render(Hello, values, url => "https://t.test/c?u=" + Uri.EscapeDataString(url), "https://t.test/u/1-x");

        Assert.DoesNotContain("<script>", r.Html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", r.Html);
        Assert.Contains("Tom &amp; Jerry &lt;Ltd&gt;", r.Html);
        Assert.Contains("<a href=\"https://t.test/c?u=https%3A%2F%2Facme.test%2Fpricing\">our pricing</a>", r.Html);
        Assert.Contains("<br>", r.Html); // a single line break inside a paragraph
        Assert.Contains("Hi <script>alert('x')</script>,", r.Text);
        Assert.Contains("our pricing (https://t.test/c?u=https%3A%2F%2Facme.test%2Fpricing)", r.Text);
        Assert.Contains("Unsubscribe: https://t.test/u/1-x", r.Text);
        Assert.DoesNotContain("<", r.Text.Replace("<script>alert('x')</script>", "").Replace("<Ltd>", ""));
        Assert.Equal(["https://acme.test/pricing", "https://acme.test/call"], r.Links);
        Assert.Equal("<script>alert('x')</script>, a note from Acme", r.Subject);
    }

    [Fact]
    public void A_missing_value_takes_the_fallback()
    {
        var r = MessageTemplate.Render(Hello, MessageTemplate.Values(null, null, "x@acme.test", null, null), u => u, "https://t.test/u");
        Assert.StartsWith("Hi there,", r.Text);
        Assert.Equal("Hello, a note from Acme", r.Subject);
    }

    [Fact]
    public void A_track_is_checked_whole_and_each_error_names_its_field()
    {
        var content = new TrackContent(new EnrolRule(LifecycleStage.SQL),
        [
            new Step("m1", StepKind.Message, [new Variant("A", "Hi", "Hello {{ nmae }}"), new Variant("A", "", "x")]),
            new Step("w", StepKind.Wait, Days: 0),
            new Step("b", StepKind.Branch, IfClicked: "m1"),
        ]);
        var errors = content.Validate(new Errors()).ToDictionary();
        Assert.Contains("'nmae'", Assert.Single(errors["content.steps[0].variants[0].body"]));
        Assert.Contains("used twice", Assert.Single(errors["content.steps[0].variants[1].key"]));
        Assert.Contains("subject", Assert.Single(errors["content.steps[0].variants[1].subject"]));
        Assert.Contains("1 to 365", Assert.Single(errors["content.steps[1].days"]));
        Assert.Contains("only jumps forward", Assert.Single(errors["content.steps[2].ifClicked"]));
        Assert.Contains("Nurture", Assert.Single(errors["content.enrol.stage"]));
    }
}
