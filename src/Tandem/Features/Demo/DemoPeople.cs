using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Agreement;
using Tandem.Features.People;

namespace Tandem.Features.Demo;

/// <summary>
/// Makes people in order, a slice at a time. Each person draws from their own random stream (seed and index),
/// so a slice does not depend on how the run was sliced; only email de-duplication looks back at earlier people.
/// </summary>
internal sealed class DemoPeople(DemoCompany co, int seed, DemoEngine engine, int definitionId)
{
    private readonly HashSet<string> _emails = new(StringComparer.Ordinal);
    private readonly List<(int First, int Last)> _names = [];
    private readonly DemoIds _ids = new();
    private readonly double[] _shares = [.. DemoProfile.Channels.Select(c => c.Share)];
    public DemoHandoffs Handoffs { get; } = new(co, seed);

    public DemoChunk Generate(int from, int count)
    {
        var chunk = new DemoChunk();
        for (var i = from; i < from + count; i++) One(chunk, i);
        return chunk;
    }

    private void One(DemoChunk chunk, int index)
    {
        var rng = DemoRandom.For(seed, index);
        var (first, last, duplicate) = Name(ref rng, index);
        var personal = rng.Chance(duplicate ? 0.5 : DemoProfile.PersonalDomainShare);
        // Bigger customers show up more often: a skewed pick puts many people on the first accounts.
        var account = personal ? null : co.Accounts[(int)(co.Accounts.Count * Math.Pow(rng.Next(), 1.6))];
        var region = account is null ? (int)(rng.Next() * 2.2) : co.AccountRegion[account.Id - 1];
        var channel = Pick(ref rng);
        var created = co.Start.AddSeconds(Math.Round(Math.Pow(rng.Next(), 0.8) * (co.Now - co.Start).TotalSeconds * 0.999));
        var f = co.FirstNames[first];
        var l = co.LastNames[last];
        var p = new Person
        {
            Id = index + 1, FirstName = f, LastName = l, Email = Email(ref rng, f, l, account?.Domain ?? rng.Pick(DemoProfile.PersonalDomains), duplicate),
            Title = rng.Chance(0.8) ? rng.Pick(co.Titles) : null, Phone = rng.Chance(0.4) ? $"+1 555 {rng.Next(10_000_000):0000000}" : null,
            AccountId = account?.Id, SourceChannel = DemoProfile.Channels[channel].Channel,
            SourceCampaignId = co.CampaignId(channel, created), CreatedAt = created,
        };
        chunk.People.Add(p);
        var subject = new FitSubject(p.Email, p.Title, p.SourceChannel, account?.Industry, account?.EmployeeCount, account?.AnnualRevenue,
            account?.Country, account?.Region, account?.Status.ToString());
        new DemoLife(co, _ids, chunk, p, DemoProfile.Channels[channel], region, account?.Status == AccountStatus.OutOfBusiness,
            account?.Name ?? $"{f} {l}", account?.EmployeeCount ?? 10, engine, subject, definitionId, Handoffs) { Rng = rng }.Run();
    }

    private (int First, int Last, bool Duplicate) Name(ref DemoRandom rng, int index)
    {
        // A few people sign up twice under another address: the duplicates every real CRM has.
        if (index > 20 && rng.Chance(DemoProfile.DuplicateShare))
        {
            var (f, l) = _names[rng.Next(_names.Count)];
            _names.Add((f, l));
            return (f, l, true);
        }
        var name = (rng.Next(co.FirstNames.Length), rng.Next(co.LastNames.Length));
        _names.Add(name);
        return (name.Item1, name.Item2, false);
    }

    private string Email(ref DemoRandom rng, string first, string last, string domain, bool duplicate)
    {
        static string Clean(string s) => new string([.. s.ToLowerInvariant().Where(char.IsAsciiLetter)]) is { Length: > 0 } c ? c : "x";
        var (f, l) = (Clean(first), Clean(last));
        var local = (duplicate ? 1 + rng.Next(3) : rng.Next(4)) switch
        {
            0 => $"{f}.{l}",
            1 => $"{f[..1]}{l}",
            2 => $"{f}{l}{rng.Next(100)}",
            _ => $"{f}_{l}",
        };
        var email = $"{local}@{domain}";
        for (var n = 2; !_emails.Add(email); n++) email = $"{local}{n}@{domain}";
        return email;
    }

    private int Pick(ref DemoRandom rng)
    {
        var u = rng.Next() * _shares.Sum();
        for (var i = 0; i < _shares.Length; i++)
            if ((u -= _shares[i]) < 0) return i;
        return _shares.Length - 1;
    }
}
