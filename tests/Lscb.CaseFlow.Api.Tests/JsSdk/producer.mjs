// Encodes events as the JavaScript CloudEvents SDK sends them over HTTP, for JsSdkTests.cs.
// stdin: { "mode": "binary" | "structured" | "batched", "events": [ { CloudEvent attributes and data } ] }
// stdout: { "headers": { name: value }, "body": "..." }
import { CloudEvent, HTTP } from "cloudevents";

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}

const { mode, events } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const made = events.map((e) => new CloudEvent(e));

let message;
if (mode === "binary") {
  message = HTTP.binary(made[0]);
} else if (mode === "structured") {
  message = HTTP.structured(made[0]);
} else {
  // The SDK has no batch serializer: a batch is the events' own JSON in an array, under the batch media type.
  message = { headers: { "content-type": "application/cloudevents-batch+json; charset=utf-8" }, body: JSON.stringify(made) };
}

process.stdout.write(JSON.stringify(message));
