namespace Tandem.Features.Import;

/// <summary>One problem, located as file:line:column so it can be found in an editor. Line 1 is the header.</summary>
public sealed record ImportError(string File, int Line, int? Column, string? ColumnName, string Message)
{
    public override string ToString()
    {
        var where = Column is { } c ? $"{File}:{Line}:{c}" : Line > 0 ? $"{File}:{Line}" : File;
        return ColumnName is null ? $"{where}: {Message}" : $"{where} ({ColumnName}): {Message}";
    }
}

/// <summary>What an import did, or would have done, and why not.</summary>
public sealed class ImportResult(string file)
{
    /// <summary>Past this many, errors are counted but not listed: a broken file would otherwise print thousands.</summary>
    public const int MaxListed = 100;

    public string File { get; } = file;
    public int Rows { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    /// <summary>Rows with at least one error.</summary>
    public int InvalidRows { get; set; }
    public int ErrorCount { get; private set; }
    public List<ImportError> Errors { get; } = [];
    /// <summary>True when the rows were written (the transaction committed).</summary>
    public bool Committed { get; set; }
    public bool DryRun { get; set; }
    /// <summary>SQLite only (decision 0050): the first <see cref="Written"/> rows were committed, then a row the check had
    /// accepted was refused (a concurrent change) and the import stopped. Re-running the file after fixing it is safe:
    /// records are matched by externalId or natural key and touches by event id, so written rows are not duplicated.</summary>
    public bool Partial { get; set; }
    /// <summary>Rows already committed by a chunked SQLite write.</summary>
    public int Written { get; set; }
    /// <summary>Set when the file as a whole cannot be read (empty, wrong columns): no row was looked at.</summary>
    public bool Fatal { get; set; }

    public bool HasErrors => ErrorCount > 0;

    /// <summary>Things the import did on its own that the user should know about (an ignored column, a sniffed delimiter); never block it.</summary>
    public List<ImportError> Warnings { get; } = [];

    public void Warn(int line, int? column, string message) => Warnings.Add(new ImportError(File, line, column, null, message));

    public void Add(ImportError e)
    {
        ErrorCount++;
        if (Errors.Count < MaxListed) Errors.Add(e);
    }

    public void FileError(int line, string message)
    {
        Fatal = true;
        Add(new ImportError(File, line, null, null, message));
    }
}
