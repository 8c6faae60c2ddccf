// @ts-check
// The one-shot UDP capitalizer as a sockspec protocol: `sockspec check --protocol examples/one-shot/udp`.
import { fileURLToPath } from "node:url";
import path from "node:path";
import { bind, closeSocket, loadProtocol } from "sockspec/kit/serve";
import { upperAscii } from "../sentences.js";

const dir = path.dirname(fileURLToPath(import.meta.url));
const spec = loadProtocol(path.join(dir, "spec", "protocol.json"), [], ["maxSentenceBytes"]);

/** @type {import("sockspec/kit").ProtocolModule} */
export default {
  spec,
  dir,
  tunableLimits: [],
  referenceLimits: {},
  checks: async () => (await import("./checks.js")).oneShotUdpChecks,
  server: {
    limits: [],
    async start({ host, port }) {
      const { createOneShotUdpServer } = await import("./server.js");
      const socket = createOneShotUdpServer(host, upperAscii);
      return { port: await bind(socket, host, port), close: () => closeSocket(socket) };
    },
  },
  // Broken servers, each failing one rule: `sockspec prove --protocol examples/one-shot/udp` shows the checks catch them.
  broken: async () =>
    (await import("./broken.js")).brokenServers.map(({ name, why, fails, create }) => ({
      name,
      why,
      fails,
      async start({ host, port }) {
        const socket = create();
        return { port: await bind(socket, host, port), close: () => closeSocket(socket) };
      },
    })),
};
