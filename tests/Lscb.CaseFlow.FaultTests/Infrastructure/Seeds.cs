using System.Globalization;

namespace Lscb.CaseFlow.FaultTests.Infrastructure;

/// <summary>The seed of a test's random choices: CASEFLOW_FAULT_SEED to replay a run, otherwise a new one (printed by the test).</summary>
public static class Seeds
{
    public static int Next() =>
        int.TryParse(Environment.GetEnvironmentVariable("CASEFLOW_FAULT_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next();
}
