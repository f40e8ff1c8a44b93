namespace Lscb.CaseFlow.Kpis;

/// <summary>A KPI's answer for one window.</summary>
public sealed record KpiValue(long? Numerator, long? Denominator, double? Value, long? Count)
{
    public static KpiValue OfCount(long count) => new(null, null, count, count);
}

/// <summary>One measure of the board's report, named and summarised as in <c>kpis.md</c>.</summary>
public abstract record Kpi(string Key, string Title, string Summary)
{
    /// <summary>The measures it is computed from (for counting them all in one pass).</summary>
    public abstract IEnumerable<Measure> Measures { get; }

    /// <summary>The answer, given the counts of its measures and the population (0–17) if one applies.</summary>
    public abstract KpiValue Evaluate(Func<Measure, long> count, long? population);

    /// <summary>A number of things in the window.</summary>
    public sealed record Count(string Key, string Title, string Summary, Measure Of) : Kpi(Key, Title, Summary)
    {
        public override IEnumerable<Measure> Measures => [Of];

        public override KpiValue Evaluate(Func<Measure, long> count, long? population) => KpiValue.OfCount(count(Of));
    }

    /// <summary><c>100 × numerator / denominator</c>; null when the denominator is 0.</summary>
    public sealed record Percentage(string Key, string Title, string Summary, Measure Numerator, Measure Denominator) : Kpi(Key, Title, Summary)
    {
        public override IEnumerable<Measure> Measures => [Numerator, Denominator];

        public override KpiValue Evaluate(Func<Measure, long> count, long? population)
        {
            var (n, d) = (count(Numerator), count(Denominator));
            return new KpiValue(n, d, d == 0 ? null : 100.0 * n / d, null);
        }
    }

    /// <summary><c>10000 × numerator / population</c>; null when no population applies. Not annualised.</summary>
    public sealed record RatePer10k(string Key, string Title, string Summary, Measure Numerator) : Kpi(Key, Title, Summary)
    {
        public override IEnumerable<Measure> Measures => [Numerator];

        public override KpiValue Evaluate(Func<Measure, long> count, long? population)
        {
            var n = count(Numerator);
            return new KpiValue(n, population, population is > 0 ? 10000.0 * n / population.Value : null, null);
        }
    }
}
