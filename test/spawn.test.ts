import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import net from "node:net";
import path from "node:path";
import t from "tap";
import { freePort, listenerOwnedBy, serverSockets } from "../conformance/ports.js";
import { absolutizePaths, spawnTarget } from "../conformance/spawn.js";
import { TargetUnavailableError } from "../conformance/target.js";
import { closeServer, listen } from "../transport/tcp-server.js";
import { cliPath } from "./helpers.js";

t.test("a spawn command's paths: a script right after the program, and any path with a slash, are made absolute", (t) => {
  const dir = t.testdir({ "server.py": "", "user.txt": "", lib: { "tcpserver.py": "" } });
  t.equal(
    absolutizePaths("python3 server.py --data user.txt", dir),
    `python3 ${path.join(dir, "server.py")} --data user.txt`,
    "user.txt stays the server's own",
  );
  t.equal(absolutizePaths("python3 lib/tcpserver.py", dir), `python3 ${path.join(dir, "lib", "tcpserver.py")}`);
  t.equal(absolutizePaths("server.py", dir), "server.py", "the first word is a command on PATH");
  t.equal(absolutizePaths("python3 -m http.server {port}", dir), "python3 -m http.server {port}");
  t.equal(absolutizePaths("python3 missing.py", dir), "python3 missing.py", "only files that exist");
  t.end();
});

t.test("a port taken before the server could bind it is retried on another", async (t) => {
  const dir = t.testdir();
  const marker = path.join(dir, "tried");
  // The first start fails as a server does whose port was taken; the next one serves.
  const command = `if [ -e ${marker} ]; then exec "${process.execPath}" "${cliPath}" serve capitalizer --port {port}; else touch ${marker}; echo "Error: listen EADDRINUSE: address already in use" >&2; exit 1; fi`;
  const server = await spawnTarget(command, { host: "127.0.0.1" }).start();
  t.teardown(() => server.stop());
  t.equal(await listenerOwnedBy("tcp", server.port, Number.NaN), "another process", "it listens (and not in a process group of NaN)");
});

t.test("a server that exits in words of its own while another socket holds its port is retried on another", async (t) => {
  const dir = t.testdir();
  const [marker, heldMarker] = [path.join(dir, "first-port"), path.join(dir, "held")];
  // Something else (here a client socket of this process) holds the chosen port, and the server says only
  // that it failed, as the original capitalizer does ("Error in setting up connection to host port."). The
  // first start waits until the port is held, so the socket is there, whatever the machine's load, when the
  // runner looks.
  const held: net.Socket[] = [];
  const other = net.createServer((socket) => held.push(socket));
  const otherPort = await listen(other, "127.0.0.1", 0);
  t.teardown(async () => {
    for (const socket of held) socket.destroy();
    await closeServer(other);
  });
  const waitHeld = `i=0; while [ ! -e ${heldMarker} ] && [ $i -lt 3000 ]; do sleep 0.01; i=$((i + 1)); done`;
  const command = `if [ -e ${marker} ]; then exec "${process.execPath}" "${cliPath}" serve capitalizer --port {port}; else echo {port} > ${marker}; ${waitHeld}; echo "Exception: Error in setting up connection to host port." >&2; exit 1; fi`;
  const starting = spawnTarget(command, { host: "127.0.0.1" }).start();
  for (let i = 0; i < 3000 && (!existsSync(marker) || readFileSync(marker, "utf8").trim() === ""); i++) await delay(10);
  const firstPort = Number(readFileSync(marker, "utf8"));
  const holder = net.connect({ host: "127.0.0.1", port: otherPort, localAddress: "127.0.0.1", localPort: firstPort });
  t.teardown(() => holder.destroy());
  await once(holder, "connect");
  writeFileSync(heldMarker, "");
  const server = await starting;
  t.teardown(() => server.stop());
  t.not(server.port, firstPort, "it serves on another port");
});

t.test("a server that exits before listening while nothing holds its port is not checked, and not started again", async (t) => {
  const dir = t.testdir();
  const attempts = path.join(dir, "attempts");
  const command = `echo {port} >> ${attempts}; echo "Exception: Error in setting up connection to host port." >&2; exit 1`;
  const error = await spawnTarget(command, { host: "127.0.0.1" })
    .start()
    .catch((e: unknown) => e);
  t.ok(error instanceof TargetUnavailableError, "the server is unavailable, so its rules are not checked");
  t.match((error as Error).message, /exited with code 1 before listening on port \d+: Exception: Error in setting up connection/);
  t.equal(readFileSync(attempts, "utf8").trim().split("\n").length, 1, "one attempt");
});

t.test("on Linux a server's port is chosen below the range the OS gives outgoing connections", { skip: process.platform !== "linux" }, async (t) => {
  const outgoingStart = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
  for (const transport of ["tcp", "udp"] as const) {
    const port = await freePort(transport, "127.0.0.1");
    t.ok(port >= 10_000 && port < outgoingStart, `${transport}: ${port} is in [10000, ${outgoingStart})`);
  }
});

t.test("a listening socket is told apart by the process group that holds it", async (t) => {
  const port = await freePort("tcp", "127.0.0.1");
  const child = spawn(process.execPath, ["-e", `require("net").createServer().listen(${port}, "127.0.0.1", () => console.log("up"))`], { detached: true });
  t.teardown(() => child.kill("SIGKILL"));
  await once(child.stdout!, "data");
  t.equal(await listenerOwnedBy("tcp", port, child.pid!), "ours");
  t.equal(await listenerOwnedBy("tcp", port, process.pid), "another process");
  t.equal(await listenerOwnedBy("tcp", await freePort("tcp", "127.0.0.1"), child.pid!), "none");
});

t.test("a server command is seen to hold a socket of its own (beyond its standard streams) only once it opens one", async (t) => {
  // The listener is a child of the shell (`; true` keeps sh from handing over its process), as a wrapped server is.
  const listener = `console.log("waiting"); process.stdin.once("data", () => require("net").createServer().listen(0, "127.0.0.1", () => console.log("up")))`;
  const child = spawn("sh", ["-c", `"${process.execPath}" -e '${listener}'; true`], { detached: true, stdio: ["pipe", "pipe", "pipe"] });
  // The test kills the group itself; the teardown is for a test that ends before that.
  t.teardown(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  });
  await once(child.stdout!, "data"); // node has started, and waits
  t.equal((await serverSockets(child.pid!))?.size, 0, "standard streams only");
  child.stdin!.write("listen\n");
  await once(child.stdout!, "data");
  const held = await serverSockets(child.pid!);
  t.equal(held?.size, 1, "its child listens");
  t.same([...held!.values()], [child.pid], "in the server's process group");
  process.kill(-child.pid!, "SIGKILL");
  await once(child, "close");
  t.equal(await serverSockets(child.pid!), undefined, "gone: cannot be told");
});
