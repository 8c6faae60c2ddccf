import dgram from "node:dgram";
import t from "tap";
import type { Test } from "tap";
import { checkRecorder } from "../../../../conformance/check.js";
import { ScriptedUdpServer } from "../../../../conformance/client/scripted-udp-server.js";
import { bind, closeSocket } from "../../../../transport/udp-server.js";

/** A client socket of the test's own, whose datagrams are kept with their senders. */
async function client(t: Test) {
  const socket = dgram.createSocket("udp4");
  await bind(socket, "127.0.0.1", 0);
  t.teardown(() => closeSocket(socket));
  const got: Array<{ text: string; address: string; port: number }> = [];
  let wake = () => {};
  socket.on("message", (datagram, remote) => {
    got.push({ text: datagram.toString("utf8"), address: remote.address, port: remote.port });
    wake();
  });
  const next = async () => {
    while (got.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return got.shift()!;
  };
  return { socket, next };
}

async function server(t: Test) {
  const scripted = new ScriptedUdpServer("127.0.0.1", checkRecorder("bank"));
  await scripted.listen();
  t.teardown(() => scripted.close());
  return scripted;
}

t.test("receives a datagram, answers its sender, and finds silence when nothing comes", async (t) => {
  const kit = await server(t);
  const { socket, next } = await client(t);
  t.same(await kit.receive(50), { kind: "silence" });
  socket.send("b", kit.port, "127.0.0.1");
  const read = await kit.receive(5000);
  t.equal(read.kind === "message" && read.bytes.toString(), "b");
  await kit.answer("0 dollar(s) are in your balance.");
  t.match(await next(), { text: "0 dollar(s) are in your balance.", address: "127.0.0.1", port: kit.port });
  kit.drop();
  const events = kit.recorder.transcript().events.map((e) => `${e.conn} ${e.type}`);
  t.same(events, ["c1 silence", "c1 send", "c1 recv", "c1 silence"]);
});

t.test("a spoofed datagram comes from another port, or from 127.0.0.2 with the server's port", async (t) => {
  const kit = await server(t);
  const { socket, next } = await client(t);
  socket.send("d5", kit.port, "127.0.0.1");
  await kit.receive(5000);
  t.equal(await kit.spoof("spoofed", "other-port"), "other-port");
  const fromPort = await next();
  t.equal(fromPort.address, "127.0.0.1");
  t.not(fromPort.port, kit.port);
  const source = await kit.spoof("spoofed", "other-address");
  const fromAddress = await next();
  // Where 127.0.0.2 cannot be bound (not every system routes 127.0.0.0/8 to loopback), another port stands in.
  if (source === "other-address") t.match(fromAddress, { address: "127.0.0.2", port: kit.port });
  else t.not(fromAddress.port, kit.port);
});
