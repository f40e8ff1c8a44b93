namespace Lscb.CaseFlow.Events;

/// <summary>Event sources the service itself gives meaning to.</summary>
public static class Sources
{
    /// <summary>
    /// Where imported history is stored from (CIN census, Annex A): the census rules apply to it alone, as it holds the
    /// census's complete records, closures included.
    /// </summary>
    public const string ImportedHistory = "urn:lscb:history";
}
