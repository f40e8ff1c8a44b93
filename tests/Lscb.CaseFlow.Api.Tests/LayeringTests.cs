using System.Text.RegularExpressions;

namespace Lscb.CaseFlow.Api.Tests;

/// <summary>
/// Dependencies point one way: features → read model → domain, with Http the plumbing every feature shares. Read from
/// the sources, so that a <c>using</c> pointing back fails here before it settles in.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lscb.CaseFlow.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Lscb.CaseFlow.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every namespace a folder's sources name in a using, with the file naming it.</summary>
    private static List<(string File, string Namespace)> UsingsUnder(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Using().Matches(File.ReadAllText(f)).Select(m => (Path.GetRelativePath(Root, f), m.Groups[1].Value)))
            .ToList();

    [GeneratedRegex(@"^using\s+(?:static\s+)?([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Using();

    [Theory]
    [InlineData("src/Lscb.CaseFlow", "Lscb.CaseFlow.Api")]
    [InlineData("src/Lscb.CaseFlow", "Microsoft.AspNetCore")]
    [InlineData("src/Lscb.CaseFlow", "Marten")]
    [InlineData("src/Lscb.CaseFlow", "Npgsql")]
    [InlineData("src/Lscb.CaseFlow", "Wolverine")]
    [InlineData("src/Lscb.CaseFlow.Api/ReadModel", "Lscb.CaseFlow.Api.Features")]
    [InlineData("src/Lscb.CaseFlow.Api/Http", "Lscb.CaseFlow.Api.Features")]
    [InlineData("src/Lscb.CaseFlow.Api/Http", "Lscb.CaseFlow.Api.Host.Demo")]
    public void no_dependency_points_back(string folder, string forbidden)
    {
        var back = UsingsUnder(folder)
            .Where(u => u.Namespace == forbidden || u.Namespace.StartsWith(forbidden + ".", StringComparison.Ordinal))
            .Select(u => $"{u.File}: using {u.Namespace}")
            .ToList();

        back.ShouldBeEmpty();
    }

    [Fact]
    public void each_feature_holds_its_endpoints_and_tests_mirror_the_folders()
    {
        var features = Directory.GetDirectories(Path.Combine(Root, "src/Lscb.CaseFlow.Api/Features")).Select(Path.GetFileName).ToList();
        features.ShouldBe(["Audit", "DataQuality", "Importing", "Ingesting", "Journeys", "Kpis", "Reference", "Reports"], ignoreOrder: true);
        foreach (var feature in features)
        {
            Directory.Exists(Path.Combine(Root, "tests/Lscb.CaseFlow.Api.Tests/Features", feature!)).ShouldBeTrue($"tests/…/Features/{feature}");
            Directory.EnumerateFiles(Path.Combine(Root, "src/Lscb.CaseFlow.Api/Features", feature!), "*.cs")
                .Any(f => File.ReadAllText(f).Contains("[Wolverine", StringComparison.Ordinal)).ShouldBeTrue($"{feature} has an endpoint");
        }
    }

    [Fact]
    public void every_endpoint_returns_a_declared_type()
    {
        var endpoints = typeof(Lscb.CaseFlow.Api.Host.CaseFlowHost).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            .Where(m => m.GetCustomAttributes(typeof(Wolverine.Http.WolverineHttpMethodAttribute), inherit: false).Length > 0)
            .ToList();

        endpoints.Count.ShouldBeGreaterThan(15);
        var undeclared = endpoints
            .Select(m => (Method: m, Returns: m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
                ? m.ReturnType.GetGenericArguments()[0] : m.ReturnType))
            .Where(e => e.Returns == typeof(object) || e.Returns == typeof(Microsoft.AspNetCore.Http.IResult) || e.Returns == typeof(Task))
            .Select(e => $"{e.Method.DeclaringType!.Name}.{e.Method.Name} returns {e.Returns.Name}")
            .ToList();

        undeclared.ShouldBeEmpty();
    }
}
