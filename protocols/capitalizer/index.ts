import path from "node:path";
import { closeServer, listen, type ProtocolModule, protocolsDir } from "../../kit/serve.js";
import { capitalizer, capitalizerLimitsProblem } from "./spec/index.js";

/**
 * The built-in reference capitalizer is checked with idle connections closed after 1.5 s (not a minute),
 * dropped 0.5 s after that close (not 2 s), and 64 connections, 16 from one address (not 1024 and 64), so
 * that CAP-IDLE-TIMEOUT and the connection limits cost little.
 */
export const REFERENCE_CAPITALIZER_LIMITS = { idleTimeoutMs: 1500, closeGraceMs: 500, maxConnections: 64, maxConnectionsPerAddress: 16 };

/** The capitalizer (TCP): sentences answered upper-cased, up to a quota shared by the whole server. */
export const capitalizerModule: ProtocolModule = {
  spec: capitalizer,
  dir: path.join(protocolsDir, "capitalizer"),
  tunableLimits: ["idleTimeoutMs", "closeGraceMs", "maxConnections", "maxConnectionsPerAddress"],
  referenceLimits: REFERENCE_CAPITALIZER_LIMITS,
  limitsProblem: capitalizerLimitsProblem,
  checks: async () => (await import("./checks/checks.js")).capitalizerChecks,
  server: {
    limits: ["quota", "idleTimeoutMs", "closeGraceMs", "maxConnections", "maxConnectionsPerAddress"],
    async start({ host, port, limits }) {
      const { createCapitalizerServer } = await import("./reference/server.js");
      const server = createCapitalizerServer({ ...limits, limit: limits.quota });
      return { port: await listen(server, host, port), close: () => closeServer(server) };
    },
  },
  client: {
    description: "type a sentence, read the reply; Ctrl+C or the end of input sends the shutdown request.",
    run: async (options) => (await import("./reference/client.js")).runCapitalizerClient(options),
  },
  clientChecks: {
    driver: path.join(protocolsDir, "capitalizer", "client", "driver.json"),
    actions: { sentence: ["text"] },
    checks: async () => (await import("./client/checks.js")).capitalizerClientChecks,
    broken: async () => (await import("./client/proving.js")).provingCapitalizerClients,
  },
  load: {
    serveLimits: { quota: Number.MAX_SAFE_INTEGER },
    workload: async ({ host, port }, timeoutMs) => (await import("./load.js")).capitalizerWorkload(host, port, timeoutMs),
  },
  recording: async () => (await import("./fixtures/sessions.js")).capitalizerRecording,
  async generatedFiles() {
    const [{ socketProtocolFiles, jsonFile }, { capitalizerMessageSchemas }, { generateUppercaseTable }] = await Promise.all([
      import("../../kit/index.js"),
      import("./spec/messages.js"),
      import("./spec/uppercase-table.js"),
    ]);
    return { ...socketProtocolFiles(capitalizer, capitalizerMessageSchemas(capitalizer)), "spec/uppercase.json": jsonFile(await generateUppercaseTable()) };
  },
  broken: async () => (await import("./broken/proving.js")).provingCapitalizers,
};
