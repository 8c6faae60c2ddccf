import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "./paths.js";
import type { ProtocolSpec } from "./protocol.js";

/** A message name as an AsyncAPI key and operation suffix: `limit-notice` -> `limitNotice`. */
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const capital = (name: string) => camel(name).replace(/^./, (c) => c.toUpperCase());

/**
 * The protocol as an AsyncAPI 3.0 document, so AsyncAPI tooling can render it: one channel (a TCP
 * connection, or the datagrams between a client address and the server), its messages with the spec's
 * JSON Schemas as payloads, and the server's operations (it receives client messages, sends the others).
 */
export function asyncApiDocument(spec: ProtocolSpec, messageSchemas: Record<string, object>): object {
  const { version } = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string };
  const channel = spec.transport === "udp" ? "datagrams" : "connection";
  const payload = (name: string) => {
    const { $schema: _schema, $id: _id, ...schema } = messageSchemas[name] as Record<string, unknown>;
    return { schemaFormat: "application/schema+json;version=draft-07", schema };
  };
  const messages = Object.fromEntries(
    spec.messages.map((m) => [
      camel(m.name),
      {
        name: m.name,
        title: m.name,
        summary: m.description,
        contentType: "text/plain",
        payload: payload(m.name),
        ...(m.example !== undefined ? { examples: [{ payload: m.example }] } : {}),
      },
    ]),
  );
  return {
    asyncapi: "3.0.0",
    info: {
      title: `${spec.title} protocol`,
      version,
      description: `${spec.summary}\n\nGenerated from protocols/${spec.protocol}/spec/protocol.json by \`npm run spec\`; the rules are in docs/protocols/${spec.protocol}.md.`,
    },
    defaultContentType: "text/plain",
    servers: {
      reference: {
        host: `127.0.0.1:${spec.defaultPort}`,
        protocol: spec.transport,
        description: `The reference server: \`npx sockspec serve ${spec.protocol}\`.`,
      },
    },
    channels: {
      [channel]: {
        description: spec.framing.description,
        messages: Object.fromEntries(spec.messages.map((m) => [camel(m.name), { $ref: `#/components/messages/${camel(m.name)}` }])),
      },
    },
    operations: Object.fromEntries(
      spec.messages.map((m) => [
        `${m.from === "client" ? "receive" : "send"}${capital(m.name)}`,
        {
          action: m.from === "client" ? "receive" : "send",
          channel: { $ref: `#/channels/${channel}` },
          summary: m.description,
          messages: [{ $ref: `#/channels/${channel}/messages/${camel(m.name)}` }],
        },
      ]),
    ),
    components: { messages },
  };
}
