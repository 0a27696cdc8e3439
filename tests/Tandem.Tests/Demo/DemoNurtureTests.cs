using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Insight;
using Tandem.Features.Nurture;

namespace Tandem.Tests.Demo;

/// <summary>The demo's nurture tracks: valid, one of them testing two variants, and each active one finds people in the demo's own data.</summary>
public class DemoNurtureTests
{
    [Fact]
    public async Task The_demo_ships_tracks_that_enrol_its_own_recycled_and_not_yet_ready_people()
    {
        var ct = TestContext.Current.CancellationToken;
        var (testDb, _) = await DemoFixture.LoadAsync("sqlite", 2_000);
        await using var _ = testDb;
        await using var db = testDb.Open();

        var tracks = await db.NurtureTracks.AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct);
        Assert.InRange(tracks.Count, 2, 3);
        var contents = tracks.Select(t => TrackContent.Parse(t.Content)).ToList();
        Assert.All(contents, c => Assert.False(c.Validate(new Tandem.Api.Errors()).Any));
        Assert.Contains(contents, c => c.Enrol.Stage == LifecycleStage.Nurture);
        Assert.Contains(contents, c => c.Enrol.Stage == LifecycleStage.Inquiry && c.Enrol.Personas is { Length: > 0 });
        var tested = Assert.Single(contents.SelectMany(c => c.Steps), s => s.Variants is { Length: 2 });
        Assert.NotNull(tested.Test);

        // Each active track has people in the demo who would enter it on the first pass.
        var threshold = (await ActiveDefinition.LoadAsync(db, ct))!.Content.Qualify.Threshold;
        var people = await Candidates.LoadAsync(db, Personas.ReadSettings(), [], requireConsent: false, ct);
        var picked = Candidates.Match([.. tracks.Zip(contents).Where(t => t.First.Status == TrackStatus.Active).Select(t => (t.First.Id, t.Second.Enrol))], people, threshold);
        foreach (var t in tracks.Where(t => t.Status == TrackStatus.Active))
            Assert.True(picked.Count(p => p.TrackId == t.Id) > 0, $"nobody in the demo enters '{t.Name}'");
    }
}
