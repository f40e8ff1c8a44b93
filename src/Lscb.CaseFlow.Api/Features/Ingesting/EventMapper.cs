using System.Text.Json;
using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Api.Features.Ingesting;

/// <summary>Turns a validated CloudEvent into the domain event it records, and back into wire data.</summary>
public static class EventMapper
{
    public static readonly JsonSerializerOptions WireJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static CaseEvent ToDomain(IncomingEvent incoming)
    {
        var type = EventTypes.Find(incoming.Type)!;
        var e = (CaseEvent)incoming.Data!.Value.Deserialize(type.ClrType, WireJson)!;
        return e with { Source = incoming.Source!, EventId = incoming.Id! };
    }

    /// <summary>The event's <c>data</c> as the journey shows it: the contract's fields, without <c>occurredOn</c>.</summary>
    public static JsonElement DataOf(CaseEvent e)
    {
        var node = JsonSerializer.SerializeToNode(e, e.GetType(), WireJson)!.AsObject();
        node.Remove("source");
        node.Remove("eventId");
        node.Remove("occurredOn");
        return JsonSerializer.SerializeToElement(node, WireJson);
    }
}
