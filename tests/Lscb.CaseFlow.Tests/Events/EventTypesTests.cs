using System.Reflection;
using System.Runtime.CompilerServices;
using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Tests.Events;

public class EventTypesTests
{
    public static TheoryData<string> TypeNames => [.. EventTypes.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(TypeNames))]
    public void catalog_fields_are_exactly_the_record_s_properties_and_required_alike(string name)
    {
        var type = EventTypes.Find(name).ShouldNotBeNull();
        var properties = type.ClrType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType == type.ClrType)
            .ToDictionary(p => JsonName(p.Name), p => p.IsDefined(typeof(RequiredMemberAttribute)));

        properties.Keys.Order(StringComparer.Ordinal).ShouldBe(type.Fields.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var field in type.Fields)
        {
            properties[field.Name].ShouldBe(field.Required, $"{name}.{field.Name}");
        }
    }

    [Fact]
    public void each_wire_type_has_its_own_record()
    {
        EventTypes.All.Select(t => t.ClrType).Distinct().Count().ShouldBe(EventTypes.All.Count);
        typeof(CaseEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CaseEvent)) && !t.IsAbstract)
            .ShouldAllBe(t => EventTypes.All.Any(e => e.ClrType == t));
    }

    [Fact]
    public void unknown_type_is_not_found()
    {
        EventTypes.Find("referal").ShouldBeNull();
        EventTypes.Find(null).ShouldBeNull();
        EventTypes.Find("Referral").ShouldBeNull();
    }

    private static string JsonName(string property) => char.ToLowerInvariant(property[0]) + property[1..];
}
