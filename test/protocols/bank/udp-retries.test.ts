import dgram from "node:dgram";
import t from "tap";
import { check } from "../../../index.js";
import type { Target } from "../../../conformance/target.js";
import { bind, closeSocket } from "../../../transport/udp-server.js";
import { runCli, referenceOf } from "../../support/helpers.js";

/** The reference bank behind a front that loses every `nth` datagram from the clients (never an answer, so a resend is safe). */
function lossyBank(nth: number): Target {
  const reference = referenceOf("bank");
  return {
    label: `reference bank losing every ${nth}th request`,
    fresh: true,
    start: async (options) => {
      const server = await reference.start(options);
      const front = dgram.createSocket("udp4");
      const upstreams = new Map<string, dgram.Socket>();
      let seen = 0;
      front.on("message", (datagram, client) => {
        if (++seen % nth === 0) return;
        const key = `${client.address}:${client.port}`;
        let upstream = upstreams.get(key);
        if (!upstream) {
          upstream = dgram.createSocket("udp4");
          upstream.on("message", (answer) => front.send(answer, client.port, client.address));
          upstreams.set(key, upstream);
        }
        upstream.send(datagram, server.port, server.host);
      });
      const port = await bind(front, "127.0.0.1", 0);
      return {
        host: "127.0.0.1",
        port,
        stop: async () => {
          await Promise.all([...upstreams.values()].map(closeSocket));
          await closeSocket(front);
          await server.stop();
        },
      };
    },
  };
}

const options = { protocol: "bank", only: ["BANK-BALANCE", "BANK-DEPOSIT"], runs: 10, shrinkTimeMs: 0 };

t.test("lost datagrams are timeouts unless --udp-retries resends them, and the resends are counted", async (t) => {
  const lossy = await check({ ...options, target: lossyBank(2), timeouts: { replyMs: 150 } });
  t.ok(
    lossy.rules.some((r) => r.outcome === "timeout"),
    `without retries a lost request is a timeout: ${lossy.rules.map((r) => r.outcome)}`,
  );
  const retried = await check({ ...options, target: lossyBank(2), timeouts: { replyMs: 150, udpRetries: 3 } });
  t.same(
    retried.rules.map((r) => r.outcome),
    ["pass", "pass"],
  );
  for (const rule of retried.rules) t.match(rule.detail.message, /, \d+ UDP retries/, `${rule.id} reports its resends`);
});

t.test("--udp-retries is for UDP protocols", async (t) => {
  const result = await runCli(["check", "capitalizer", "--udp-retries", "2"]);
  t.equal(result.code, 2);
  t.match(result.stderr, /--udp-retries is for UDP protocols; capitalizer is not one/);
});
