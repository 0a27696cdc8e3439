namespace Tandem.Tests.Import;

/// <summary>Small CSV files and mappings shared by the import tests, shaped like the maven-crm export.</summary>
internal static class Samples
{
    public const string Accounts = """
        account,sector,revenue,employees,office_location
        Acme Corporation,technolgy,1100.04,2822,United States
        Betasoloin,medical,251.41,495,United States
        """;

    public const string AccountsMap = """
        { "externalId": "account", "columns": { "account": "name", "sector": "industry", "revenue": "annualRevenue",
          "employees": "employeeCount", "office_location": "country" },
          "values": { "industry": { "technolgy": "technology" } }, "scale": { "annualRevenue": 1000000 } }
        """;

    public const string Users = """
        name,email,team
        Moses Frase,moses@maven.test,Central
        Darcel Schlecht,darcel@maven.test,Central
        """;

    public const string Pipeline = """
        opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
        1C1I7A6R,Moses Frase,GTX Plus Basic,Acme Corporation,Won,2016-10-20,2017-03-01,1054
        Z063OYW0,Darcel Schlecht,GTXPro,Betasoloin,Lost,2016-10-25,2017-03-11,0
        EC4QE1BX,Darcel Schlecht,MG Special,,Prospecting,,,
        """;

    public const string PipelineMap = """
        { "externalId": "opportunity_id",
          "columns": { "sales_agent": "owner", "deal_stage": ["salesStage", "outcome"], "engage_date": "createdAt",
                       "close_date": "closedAt", "close_value": "amount", "product": "properties.product" },
          "values": { "outcome": { "Prospecting": "Open", "Engaging": "Open" }, "properties.product": { "GTXPro": "GTX Pro" } },
          "dateFormat": "yyyy-MM-dd", "defaults": { "currency": "USD" } }
        """;

    /// <summary>A folder under the repository's samples/ (crm-export, maven-crm), found above the test binaries.</summary>
    public static string Folder(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, "samples", name))) return Path.Combine(d.FullName, "samples", name);
        throw new DirectoryNotFoundException($"samples/{name} not found above the test folder.");
    }

    public static async Task<ImportHarness> WithAccountsAndUsersAsync(string provider)
    {
        var h = await ImportHarness.CreateAsync(provider);
        Assert.True((await h.ImportAsync(Features.Import.ImportEntity.Accounts, h.Write("accounts.csv", Accounts), AccountsMap)).Committed);
        Assert.True((await h.ImportAsync(Features.Import.ImportEntity.Users, h.Write("users.csv", Users))).Committed);
        return h;
    }
}
