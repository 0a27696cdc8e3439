using System.Text;
using Microsoft.EntityFrameworkCore;
using Tandem.Features.Import;

namespace Tandem.Tests.Import;

/// <summary>A 100 MB export streams through in bounded memory, and one bad row near its end still rolls everything back.</summary>
public class LargeFileTests
{
    // Wide rows (about 1.7 KB, like an export with long free-text columns): 100 MB in 60,000 rows keeps the test under a minute.
    private const int Rows = 60_000;
    private const int BadLine = Rows - 9; // physical line: the header is line 1

    [Fact]
    public async Task Hundred_megabyte_file_with_one_bad_row_near_the_end_imports_nothing_and_names_the_line()
    {
        // SQLite only: this checks streaming and the single transaction, which do not depend on the provider.
        await using var h = await ImportHarness.CreateAsync("sqlite");
        var path = Path.Combine(h.Dir, "people.csv");
        var filler = new string('x', 1640);
        await using (var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20))
        {
            await w.WriteLineAsync("email,first_name,last_name,title,notes");
            for (var line = 2; line <= Rows + 1; line++)
            {
                var email = line == BadLine ? "broken.example.com" : $"person{line}@example{line % 500}.com";
                await w.WriteLineAsync($"{email},First{line},Last{line},Buyer,{filler}");
            }
        }
        Assert.True(new FileInfo(path).Length >= 95_000_000, "the generated file should be about 100 MB");

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var r = await h.ImportAsync(ImportEntity.People, path, """{ "columns": { "notes": "ignore" } }""");

        Assert.False(r.Committed);
        Assert.Equal(Rows, r.Rows);
        Assert.Equal($"people.csv:{BadLine}:1 (email): 'broken.example.com' is not a valid email address", Assert.Single(r.Errors).ToString());
        Assert.Equal(0, await h.QueryAsync(db => db.People.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(0, await h.QueryAsync(db => db.StageChanges.CountAsync(TestContext.Current.CancellationToken)));
        // Batches are cleared from the change tracker, so memory does not grow with the file.
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) - before < 200_000_000, "memory should stay bounded");
    }
}
