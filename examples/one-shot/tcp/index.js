// @ts-check
// The one-shot TCP capitalizer as a sockspec protocol: `sockspec check --protocol examples/one-shot/tcp`.
import { fileURLToPath } from "node:url";
import path from "node:path";
import { closeServer, listen, loadProtocol } from "sockspec/kit/serve";
import { upperAscii } from "../sentences.js";

const dir = path.dirname(fileURLToPath(import.meta.url));
const spec = loadProtocol(path.join(dir, "spec", "protocol.json"), [], ["maxSentenceBytes"]);

/** @type {import("sockspec/kit").ProtocolModule} */
export default {
  spec,
  dir,
  tunableLimits: [],
  referenceLimits: {},
  checks: async () => (await import("./checks.js")).oneShotTcpChecks,
  // Client rules too: `sockspec check-client --protocol examples/one-shot/tcp --spawn "python3 TCPClient.py"`.
  clientChecks: {
    driver: path.join(dir, "driver.json"),
    actions: { sentence: ["text"] },
    checks: async () => (await import("./client-checks.js")).oneShotTcpClientChecks,
    // What `sockspec prove` checks the client checks with: the reference meets both rules, each broken client breaks one.
    reference: `"${process.execPath}" "${path.join(dir, "client.js")}"`,
    broken: async () => [
      { name: "line end sent", fails: ["ONETCPC-SEND-EXACT"], command: `"${process.execPath}" "${path.join(dir, "broken-client.js")}" newline-sent` },
      { name: "the textbook's TCPClient.py", why: "one recv(1024)", fails: ["ONETCPC-SHOW-REPLY"], command: `python3 "${path.join(dir, "TCPClient.py")}"` },
    ],
  },
  server: {
    limits: [],
    async start({ host, port }) {
      const { createOneShotTcpServer } = await import("./server.js");
      const server = createOneShotTcpServer(spec.limits, upperAscii);
      return { port: await listen(server, host, port), close: () => closeServer(server) };
    },
  },
  // Broken servers, each failing one rule: `sockspec prove --protocol examples/one-shot/tcp` shows the checks catch them.
  broken: async () =>
    (await import("./broken.js")).brokenServers.map(({ name, why, fails, create }) => ({
      name,
      why,
      fails,
      async start({ host, port }) {
        const server = create();
        return { port: await listen(server, host, port), close: () => closeServer(server) };
      },
    })),
};
