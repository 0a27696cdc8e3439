using Microsoft.EntityFrameworkCore;
using NodaTime;
using Tandem.Data;
using Tandem.Features.People;
using Tandem.Features.Users;

namespace Tandem.Features.Import;

/// <summary>
/// Users update by externalId, else by email. Teams are created by name when missing. A manager may be an
/// existing user or a row earlier in the same batch; exports that only name managers in a column (maven's
/// sales_teams.csv) are imported twice: once mapping the manager column to the user's name, then the agents.
/// </summary>
internal sealed class UserImporter(ImportContext ctx) : EntityImporter(ctx)
{
    private Dictionary<string, Team>? _teams;

    public override Type Stored => typeof(Users.User);

    public override IReadOnlyList<FieldDef> Fields { get; } =
    [
        new("externalId"), new("name", Required: true), new("email"), new("emailDomain"), new("team"), new("teamKind"),
        new("role"), new("manager"), new("timeZone"),
    ];

    public override async Task ImportBatchAsync(IReadOnlyList<RowValues> rows, CancellationToken ct)
    {
        _teams ??= await Db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Name, StringComparer.OrdinalIgnoreCase, ct);
        await Ctx.Users.PrefetchAsync(rows.Select(r => r.Text("manager")), ct);
        var parsed = rows.Select(r => (Row: r, Ext: r.Text("externalId"), Name: r.Text("name", required: true), Email: EmailOf(r),
            Team: r.Text("team"), Kind: r.Enum<TeamKind>("teamKind"))).ToList();
        await CreateTeamsAsync(parsed.Select(p => (p.Team, p.Kind)), ct);
        var index = new KeyIndex<User>(u => u.ExternalId, u => u.Email).AddRange(await ImportContext.ExistingAsync(Db.Users.OrderBy(u => u.Id),
            u => u.ExternalId, parsed.Select(p => p.Ext), u => u.Email, parsed.Select(p => p.Email), ct));
        var inBatch = parsed.Where(p => p.Row.Ok).SelectMany(p => new[] { p.Ext, p.Name, p.Email }).OfType<string>().ToHashSet();

        var written = new List<(User Entity, Dictionary<string, string?> Props)>();
        var deferred = new List<(User User, string Manager)>();
        foreach (var (r, extId, name, email, team, _) in parsed)
        {
            Ctx.Once(r, extId);
            var (role, tz) = (r.Enum<Role>("role"), r.Text("timeZone"));
            var manager = r.Text("manager");
            int? managerId = null;
            if (manager is not null && !inBatch.Contains(manager)) managerId = r.Ref("manager", Ctx.Users);
            if (manager is not null && (manager == name || manager == extId)) r.Fail("manager", $"'{name}' cannot be their own manager");
            if (tz is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(tz) is null) r.Fail("timeZone", $"'{tz}' is not an IANA time zone (e.g. Europe/Berlin)");
            var u = index.Find(extId, email);
            if (u is null && index.ByNatural(email) is { } other) r.Fail("email", $"'{email}' already belongs to another user (externalId '{other.ExternalId}')");
            var props = r.Properties();
            if (!r.Ok) continue;

            u ??= index.Add(Db.Users.Add(new User { Name = name!, Email = email!, Role = Role.SalesRep }).Entity);
            u.Name = name!;
            u.Email = email!;
            u.ExternalId = extId ?? u.ExternalId;
            if (r.Has("team")) u.TeamId = team is null ? null : _teams[team].Id;
            if (r.Has("role")) u.Role = role ?? Role.SalesRep;
            if (r.Has("timeZone")) u.TimeZone = tz ?? "UTC";
            if (r.Has("manager")) u.ManagerId = managerId;
            if (manager is not null && managerId is null) deferred.Add((u, manager));
            index.Add(u);
            written.Add((u, props));
        }
        await Ctx.SaveAsync(written.Select(w => w.Entity), ct);
        // Managers named by a row of this same batch have an id only now.
        foreach (var (u, m) in deferred)
            u.ManagerId = written.Select(w => w.Entity).First(x => x.ExternalId == m || x.Name == m || x.Email == m).Id;
        await Ctx.WritePropertiesAsync(SubjectKind.User, written.Select(w => (w.Entity.Id, w.Props)).ToList(), ct);
        await Db.SaveChangesAsync(ct);
    }

    /// <summary>The row's email; without one, a placeholder from the name when the mapping gives an emailDomain (maven has no emails).</summary>
    private static string? EmailOf(RowValues r)
    {
        if (r.Has("email") && r.Text("email") is not null) return r.Email("email");
        if (r.Text("emailDomain") is { } domain && r.Text("name") is { } name)
        {
            var local = string.Join('.', name.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(w => new string(w.Where(char.IsAsciiLetterOrDigit).ToArray())).Where(w => w.Length > 0));
            var email = $"{local}@{domain}".ToLowerInvariant();
            if (EmailAddress.IsValid(email)) return email;
            r.Fail("emailDomain", $"'{domain}' does not make a valid email address");
            return null;
        }
        r.Fail("email", "'email' is required (or give \"defaults\": { \"emailDomain\": \"example.invalid\" } to make placeholders from names)");
        return null;
    }

    /// <summary>Teams are created before the batch's users so a save here never saves half a batch.</summary>
    private async Task CreateTeamsAsync(IEnumerable<(string? Name, TeamKind? Kind)> teams, CancellationToken ct)
    {
        var created = false;
        foreach (var (name, kind) in teams)
        {
            if (name is null || _teams!.ContainsKey(name)) continue;
            _teams[name] = Db.Teams.Add(new Team { Name = name, Kind = kind ?? TeamKind.Sales }).Entity;
            created = true;
        }
        if (created) await Db.SaveChangesAsync(ct);
    }
}
