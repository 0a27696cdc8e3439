using Tandem.Features.Agreement;

namespace Tandem.Features.Demo;

/// <summary>The demo's v1 lead definition, compiled once and shared by every person's walk (read-only, so thread-safe).</summary>
internal sealed class DemoEngine
{
    public DefinitionContent Content { get; } = StarterDefinition.Content;
    public Scoring Scoring { get; } = new(StarterDefinition.Content.Engagement);
    public string Cause => "definition:v1";
}
