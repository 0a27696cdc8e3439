namespace Tandem.Features.Import;
public static class Prof
{
    public static readonly Dictionary<string, System.Diagnostics.Stopwatch> W = new();
    public static System.Diagnostics.Stopwatch S(string n) { if (!W.TryGetValue(n, out var w)) W[n] = w = new(); return w; }
    public static void Print() { foreach (var (k, v) in W) Console.WriteLine($"  prof {k}: {v.Elapsed.TotalSeconds:0.00}"); W.Clear(); }
}
