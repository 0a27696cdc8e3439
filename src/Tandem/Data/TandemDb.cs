using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Tandem.Features.Accounts;
using Tandem.Features.Activity;
using Tandem.Features.Agreement;
using Tandem.Features.Campaigns;
using Tandem.Features.Opportunities;
using Tandem.Features.People;
using Tandem.Features.Properties;
using Tandem.Features.Touches;
using Tandem.Features.Users;

namespace Tandem.Data;

/// <summary>
/// The one database of the funnel. Handlers use it directly. Each provider has a subclass
/// (<see cref="SqliteTandemDb"/>, <see cref="PostgresTandemDb"/>) only so each keeps its own migrations.
/// </summary>
public abstract class TandemDb(DbContextOptions options, TimeProvider clock) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Features.Notifications.OutboxEmail> EmailOutbox => Set<Features.Notifications.OutboxEmail>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<StageChange> StageChanges => Set<StageChange>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<Touch> Touches => Set<Touch>();
    public DbSet<Opportunity> Opportunities => Set<Opportunity>();
    public DbSet<OpportunityStageChange> OpportunityStageChanges => Set<OpportunityStageChange>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<CustomProperty> CustomProperties => Set<CustomProperty>();
    public DbSet<ActivityEntry> Activity => Set<ActivityEntry>();
    public DbSet<Features.Access.ApiKey> ApiKeys => Set<Features.Access.ApiKey>();
    public DbSet<Features.Access.SignInFailure> SignInFailures => Set<Features.Access.SignInFailure>();
    public DbSet<LeadDefinition> LeadDefinitions => Set<LeadDefinition>();
    public DbSet<DefinitionReview> DefinitionReviews => Set<DefinitionReview>();
    public DbSet<Features.Plan.RevenuePlan> RevenuePlans => Set<Features.Plan.RevenuePlan>();
    public DbSet<Features.Plan.PlanReview> PlanReviews => Set<Features.Plan.PlanReview>();
    public DbSet<Features.Plan.PipelineSnapshot> PipelineSnapshots => Set<Features.Plan.PipelineSnapshot>();
    public DbSet<Features.Plan.SnapshotDeal> SnapshotDeals => Set<Features.Plan.SnapshotDeal>();
    public DbSet<Features.Cadence.ScorecardVersion> Scorecards => Set<Features.Cadence.ScorecardVersion>();
    public DbSet<Features.Cadence.ScorecardReview> ScorecardReviews => Set<Features.Cadence.ScorecardReview>();
    public DbSet<Features.Cadence.SyncRecord> SyncRecords => Set<Features.Cadence.SyncRecord>();
    public DbSet<Features.Cadence.FieldNote> FieldNotes => Set<Features.Cadence.FieldNote>();
    public DbSet<Features.Cadence.ActionItem> ActionItems => Set<Features.Cadence.ActionItem>();
    public DbSet<LeadScore> LeadScores => Set<LeadScore>();
    public DbSet<Reevaluation> Reevaluations => Set<Reevaluation>();
    public DbSet<Features.Import.ImportUpload> ImportUploads => Set<Features.Import.ImportUpload>();
    public DbSet<Features.Calendars.Holiday> Holidays => Set<Features.Calendars.Holiday>();
    public DbSet<Features.Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Features.Webhooks.WebhookEndpoint>();
    public DbSet<Features.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Features.Webhooks.WebhookDelivery>();
    public DbSet<Features.Handoffs.Handoff> Handoffs => Set<Features.Handoffs.Handoff>();
    public DbSet<Features.Handoffs.HandoffAttempt> HandoffAttempts => Set<Features.Handoffs.HandoffAttempt>();
    public DbSet<Features.Handoffs.SlaBreach> SlaBreaches => Set<Features.Handoffs.SlaBreach>();
    public DbSet<Features.Handoffs.TerritoryRule> TerritoryRules => Set<Features.Handoffs.TerritoryRule>();
    public DbSet<Features.Handoffs.RoutingSeat> RoutingSeats => Set<Features.Handoffs.RoutingSeat>();
    public DbSet<Features.Handoffs.RejectReason> RejectReasons => Set<Features.Handoffs.RejectReason>();
    public DbSet<Features.Channels.ChannelRow> Channels => Set<Features.Channels.ChannelRow>();
    public DbSet<Features.Handoffs.OpportunityInfluence> OpportunityInfluences => Set<Features.Handoffs.OpportunityInfluence>();
    public DbSet<Features.Learning.LearnedModel> LearnedModels => Set<Features.Learning.LearnedModel>();
    public DbSet<Features.Nurture.NurtureTrack> NurtureTracks => Set<Features.Nurture.NurtureTrack>();
    public DbSet<Features.Nurture.NurtureEnrolment> NurtureEnrolments => Set<Features.Nurture.NurtureEnrolment>();
    public DbSet<Features.Nurture.NurtureSend> NurtureSends => Set<Features.Nurture.NurtureSend>();
    public DbSet<Features.Nurture.EmailSuppression> EmailSuppressions => Set<Features.Nurture.EmailSuppression>();
    public DbSet<Features.Nurture.EmailConsent> EmailConsents => Set<Features.Nurture.EmailConsent>();
    public DbSet<Features.Nurture.NurtureState> NurtureState => Set<Features.Nurture.NurtureState>();

    public TimeProvider Clock { get; } = clock;

    /// <summary>Who is making the changes saved through this context; written to the activity log.</summary>
    public string Actor { get; set; } = "system";

    /// <summary>Bulk loaders (demo data) switch this off and write one summary entry instead.</summary>
    public bool AuditChanges { get; set; } = true;

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    public DateTime UtcNow => Clock.GetUtcNow().UtcDateTime;

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TandemDb).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        // Every timestamp is UTC. SQLite hands DateTime back as Kind=Unspecified; say what it is.
        b.Properties<DateTime>().HaveConversion<UtcConverter>();
        b.Properties<DateTime?>().HaveConversion<UtcConverter>();
        // A channel is stored as its key (decision 0100); the columns are the ones the old enum names filled.
        b.Properties<Channel>().HaveConversion<ChannelConverter>().HaveMaxLength(Channel.MaxKey);
        b.Properties<Channel?>().HaveConversion<ChannelConverter>().HaveMaxLength(Channel.MaxKey);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>What the current transaction has changed so far; written as one change-feed entry at commit
    /// (<see cref="Feed.ChangeFeedInterceptor"/>). Raw-SQL writers add to it themselves.</summary>
    public Feed.PendingChanges Changes { get; } = new();

    public DbSet<Feed.ChangeFeedEntry> ChangeFeed => Set<Feed.ChangeFeedEntry>();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken ct = default)
    {
        var saving = Feed.FeedRecorder.Capture(ChangeTracker);
        if (saving.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
        // Always in a transaction of our own (or the caller's): new rows' ids are known only after the save, and the feed
        // entry naming them must commit with them.
        var owned = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(ct) : null;
        try
        {
            var n = await SaveAuditedAsync(acceptAllChangesOnSuccess, ct);
            Feed.FeedRecorder.Record(Changes, saving);
            if (owned is not null) await owned.CommitAsync(ct);
            return n;
        }
        finally
        {
            if (owned is not null) await owned.DisposeAsync();
        }
    }

    private async Task<int> SaveAuditedAsync(bool acceptAllChangesOnSuccess, CancellationToken ct)
    {
        var now = UtcNow;
        var pending = AuditChanges ? ChangeAudit.Collect(ChangeTracker, now) : [];
        ChangeAudit.Stamp(ChangeTracker, now);
        if (pending.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);

        // Ids of new rows are known only after the first save, so the log is written in a second
        // save inside the same transaction (SaveChangesAsync always has one): either both land or neither.
        var n = await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
        Activity.AddRange(pending.Select(p => p.ToEntry(Actor)));
        await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
        return n;
    }

    private sealed class ChannelConverter() : ValueConverter<Channel, string>(v => v.Key, v => new Channel(v));

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class SqliteTandemDb(DbContextOptions<SqliteTandemDb> options, TimeProvider clock) : TandemDb(options, clock);

public sealed class PostgresTandemDb(DbContextOptions<PostgresTandemDb> options, TimeProvider clock) : TandemDb(options, clock);
