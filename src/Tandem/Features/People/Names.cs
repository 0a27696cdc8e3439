namespace Tandem.Features.People;

/// <summary>How a person is called on every page, email and report: the one rule, so no page shows a blank or a bare id.</summary>
public static class Names
{
    /// <summary>"First Last", else the email, else the external id ("id 00Q5e…"), else "Person 42".</summary>
    public static string Person(string? first, string? last, string? email, string? externalId, int id)
    {
        var name = string.Join(' ', new[] { first, last }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()));
        if (name.Length > 0) return name;
        if (!string.IsNullOrWhiteSpace(email)) return email;
        if (!string.IsNullOrWhiteSpace(externalId)) return $"id {externalId}";
        return $"Person {id}";
    }
}
