using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Tandem.Features.Cadence;

/// <summary>
/// The record as a PDF, drawn with PDFsharp 6.2.4 (MIT) from the same outline the email uses, so production needs no browser
/// (decision 0061). Text is drawn as text: a note holding markup prints its characters.
/// </summary>
public static class SyncPdf
{
    private const double Margin = 50, Width = 595, Height = 842; // A4 in points
    private static readonly Lock Gate = new();
    private static bool _fonts;

    public static byte[] Render(SyncDocument d, string sha256)
    {
        EnsureFonts();
        using var pdf = new PdfDocument();
        pdf.Info.Title = SyncOutline.Title(d);
        pdf.Info.Creator = "Tandem";
        var title = new XFont(EmbeddedFonts.Family, 16, XFontStyleEx.Bold);
        var agenda = new XFont(EmbeddedFonts.Family, 9, XFontStyleEx.Bold);
        var heading = new XFont(EmbeddedFonts.Family, 12, XFontStyleEx.Bold);
        var body = new XFont(EmbeddedFonts.Family, 9.5, XFontStyleEx.Regular);
        var small = new XFont(EmbeddedFonts.Family, 7, XFontStyleEx.Regular);
        XGraphics? g = null;
        double y = 0;
        void NewPage()
        {
            g?.Dispose();
            var page = pdf.AddPage();
            page.Width = XUnit.FromPoint(Width);
            page.Height = XUnit.FromPoint(Height);
            g = XGraphics.FromPdfPage(page);
            g.DrawString($"Tandem · {d.Week} · SHA-256 {sha256}", small, XBrushes.Gray, new XPoint(Margin, Height - 25));
            y = Margin;
        }
        void Line(string text, XFont font, XBrush brush, double indent = 0, double after = 2)
        {
            foreach (var part in Wrap(g!, text, font, Width - 2 * Margin - indent))
            {
                var h = font.GetHeight();
                if (y + h > Height - Margin) NewPage();
                g!.DrawString(part, font, brush, new XRect(Margin + indent, y, Width - 2 * Margin - indent, h), XStringFormats.TopLeft);
                y += h;
            }
            y += after;
        }
        NewPage();
        Line(SyncOutline.Title(d), title, XBrushes.Black, after: 10);
        string? last = null;
        foreach (var s in SyncOutline.Of(d))
        {
            if (s.Agenda != last) { y += 6; Line(s.Agenda.ToUpperInvariant(), agenda, XBrushes.SteelBlue); last = s.Agenda; }
            Line(s.Title, heading, XBrushes.Black, after: 4);
            foreach (var l in s.Lines) Line("• " + l, body, XBrushes.Black, indent: 8);
            y += 6;
        }
        g?.Dispose();
        using var ms = new MemoryStream();
        pdf.Save(ms, false);
        return ms.ToArray();
    }

    /// <summary>Greedy word wrap by measured width; a word longer than the line is cut.</summary>
    private static IEnumerable<string> Wrap(XGraphics g, string text, XFont font, double width)
    {
        foreach (var paragraph in text.Replace("\r", "").Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' '))
            {
                var next = line.Length == 0 ? word : line + " " + word;
                if (g.MeasureString(next, font).Width <= width) { line = next; continue; }
                if (line.Length > 0) yield return line;
                line = word;
                while (g.MeasureString(line, font).Width > width && line.Length > 1)
                {
                    var n = line.Length - 1;
                    while (n > 1 && g.MeasureString(line[..n], font).Width > width) n--;
                    yield return line[..n];
                    line = line[n..];
                }
            }
            yield return line;
        }
    }

    private static void EnsureFonts()
    {
        lock (Gate)
        {
            if (_fonts) return;
            if (GlobalFontSettings.FontResolver is null) GlobalFontSettings.FontResolver = new EmbeddedFonts();
            _fonts = true;
        }
    }
}

/// <summary>DejaVu Sans, embedded in the assembly (licence beside it in Fonts/): PDFsharp needs font files and a server may have none.</summary>
public sealed class EmbeddedFonts : IFontResolver
{
    public const string Family = "Tandem Sans";

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : "DejaVuSans", false, italic);

    public byte[]? GetFont(string faceName)
    {
        using var s = typeof(EmbeddedFonts).Assembly.GetManifestResourceStream($"Tandem.Fonts.{faceName}.ttf")
            ?? throw new InvalidOperationException($"Font {faceName} is not embedded.");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
