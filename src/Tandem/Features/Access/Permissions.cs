using Tandem.Data;

namespace Tandem.Features.Access;

/// <summary>What an API key may do. Keys are for integrations, so most are narrow.</summary>
public enum KeyScope { Ingest, Read, Write, Admin }

/// <summary>
/// The permission matrix, in one place (docs/guide/access.md prints it). Every endpoint and page requires
/// exactly one of these policies; a principal carries one "perm" claim per permission it has.
/// Reps hold <see cref="WriteLeads"/> but may change only their own leads and opportunities (checked per record).
/// </summary>
public static class Permissions
{
    public const string Claim = "perm";

    /// <summary>See the funnel: people, accounts, campaigns, touches, opportunities, users, reports.</summary>
    public const string Read = "read";
    /// <summary>Change people, their stages and opportunities (reps: only their own).</summary>
    public const string WriteLeads = "write-leads";
    /// <summary>Act on leads handed to sales: log attempts, accept, convert, reject (reps: only their own). Sales' side of
    /// the SLA, so marketing cannot accept its own MQLs (decision 0034).</summary>
    public const string WorkLeads = "work-leads";
    /// <summary>Change accounts and campaigns: the setup marketing and sales managers own.</summary>
    public const string WriteSetup = "write-setup";
    /// <summary>Send touches (websites, marketing tools).</summary>
    public const string Ingest = "ingest";
    /// <summary>Manage users, teams, API keys and settings; read the audit trail.</summary>
    public const string Admin = "admin";

    public static readonly string[] All = [Read, WriteLeads, WorkLeads, WriteSetup, Ingest, Admin];

    public static IReadOnlyList<string> For(Role role) => role switch
    {
        Role.Admin => All,
        Role.Marketing => [Read, WriteLeads, WriteSetup, Ingest],
        Role.SalesManager => [Read, WriteLeads, WorkLeads, WriteSetup],
        Role.SalesRep => [Read, WriteLeads, WorkLeads],
        Role.Viewer => [Read],
        _ => [],
    };

    public static IReadOnlyList<string> For(KeyScope scope) => scope switch
    {
        KeyScope.Ingest => [Ingest],
        KeyScope.Read => [Read],
        KeyScope.Write => [Read, WriteLeads, WorkLeads, WriteSetup, Ingest],
        KeyScope.Admin => All,
        _ => [],
    };

    /// <summary>Only reps are limited to their own records; everyone else with WriteLeads may change any lead.</summary>
    public static bool MayChangeRecordOwnedBy(Role? role, int? actingUserId, int? ownerId) =>
        role != Role.SalesRep || (actingUserId is not null && ownerId == actingUserId);
}
