return await Tandem.Cli.CliApp.RunAsync(args);

/// <summary>Entry point; everything is composed in <see cref="Tandem.TandemHost"/> and <see cref="Tandem.Cli.CliApp"/>.</summary>
public partial class Program;
