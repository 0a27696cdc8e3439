namespace Tandem.Data;

/// <summary>
/// A record that can be edited concurrently. <see cref="Version"/> is a concurrency token that
/// <see cref="TandemDb"/> bumps on every update, so a stale write fails instead of silently
/// overwriting (SQLite has no rowversion; a counter works on both providers).
/// </summary>
public interface IVersioned
{
    int Version { get; set; }
    DateTime UpdatedAt { get; set; }
}

/// <summary>The lifecycle of a person. Side states are Nurture and Disqualified.</summary>
public enum LifecycleStage { Inquiry, MQL, SAL, SQL, Customer, Nurture, Disqualified }

public enum TouchType
{
    FormFill, DemoRequest, ContactRequest, WebVisit, PricingPageVisit, CareersPageVisit,
    EmailOpen, EmailClick, WebinarRegistered, WebinarAttended, EventAttended, ContentDownload,
    AdClick, SocialEngagement, Call, Meeting, Chat, Unsubscribe, Bounce, Other,
}

public enum Outcome { Open, Won, Lost, NoDecision }

public enum TeamKind { Marketing, Sales }

public enum Role { Admin, Marketing, SalesManager, SalesRep, Viewer }

/// <summary>What a custom property hangs off.</summary>
public enum SubjectKind { Person, Account, Opportunity, Campaign, User, Team, Touch, Import, ApiKey, Access, Webhook, Territory, RoutingSeat, RejectReason, Holiday, Model }
