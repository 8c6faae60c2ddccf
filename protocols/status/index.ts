import path from "node:path";
import { closeServer, listen, type ProtocolModule, protocolsDir } from "../../kit/serve.js";
import { status } from "./spec/index.js";

/**
 * The built-in reference status server is checked with 16 connections from one address (not 64), so that
 * STATUS-CONNECTIONS-PER-ADDRESS holds few sockets.
 */
export const REFERENCE_STATUS_LIMITS = { maxConnectionsPerAddress: 16 };

/** The status service (HTTP): a local httpstat.us, answering `/<code>` with that status. */
export const statusModule: ProtocolModule = {
  spec: status,
  dir: path.join(protocolsDir, "status"),
  tunableLimits: ["maxConnectionsPerAddress"],
  referenceLimits: REFERENCE_STATUS_LIMITS,
  checks: async () => (await import("./checks/checks.js")).statusChecks,
  server: {
    limits: ["maxConnectionsPerAddress"],
    async start({ host, port, limits }) {
      const { createStatusServer } = await import("./reference/server.js");
      const server = createStatusServer({ maxConnectionsPerAddress: limits.maxConnectionsPerAddress });
      return { port: await listen(server, host, port), close: () => closeServer(server) };
    },
  },
  load: {
    // Every load client connects from one address, and as many at once as asked.
    serveLimits: { maxConnectionsPerAddress: 1_000_000 },
    workload: async ({ host, port }, timeoutMs) => (await import("./load.js")).statusWorkload(host, port, timeoutMs),
  },
  async generatedFiles() {
    const [{ messageSchemaFiles, jsonFile }, { statusMessageSchemas }, { openApiDocument }] = await Promise.all([
      import("../../kit/index.js"),
      import("./spec/messages.js"),
      import("./spec/openapi.js"),
    ]);
    const schemas = statusMessageSchemas(status);
    return { ...messageSchemaFiles(schemas), "spec/openapi.json": jsonFile(openApiDocument(status, schemas)) };
  },
  commands: {
    probe: {
      summary: "request URLs (optionally /<code> for a list of codes) and print status, reason, time, headers",
      load: async () => import("./probe.js").then((m) => ({ help: m.probeHelp, run: m.runProbe })),
    },
  },
  broken: async () => (await import("./broken/proving.js")).provingStatusServers,
};
