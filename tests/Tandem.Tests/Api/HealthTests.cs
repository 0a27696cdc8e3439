namespace Tandem.Tests.Api;

public class HealthTests
{
    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Healthz_reports_healthy_when_the_database_answers(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var res = await app.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal("Healthy", await res.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
