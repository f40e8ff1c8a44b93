namespace Lscb.CaseFlow.Kpis;

/// <summary>The 0–17 population a window's rates are per 10,000 of.</summary>
public static class Population
{
    /// <summary>
    /// The ONS mid-year estimate for the latest configured year y whose mid-year (30 June y) is on or before
    /// the window's end: a financial year ending 31 March Y uses mid-(Y−1), as the DfE does. Null when none.
    /// </summary>
    public static (int Year, long Children)? For(Window window, IReadOnlyDictionary<int, long> estimates) =>
        estimates.Where(e => new DateOnly(e.Key, 6, 30) <= window.To)
            .OrderByDescending(e => e.Key)
            .Select(e => ((int Year, long Children)?)(e.Key, e.Value))
            .FirstOrDefault();
}
