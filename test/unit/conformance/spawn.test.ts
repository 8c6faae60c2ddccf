import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import net from "node:net";
import path from "node:path";
import t, { type Test } from "tap";
import { freePort, listenerOwnedBy, serverSockets } from "../../../conformance/ports.js";
import { absolutizePaths, spawnTarget } from "../../../conformance/spawn.js";
import { TargetUnavailableError } from "../../../conformance/target.js";
import { closeServer, listen } from "../../../transport/tcp-server.js";
import { pidNamespace } from "../../../conformance/containment.js";
import { packageRoot } from "../../../spec/paths.js";
import { cliPath, processesGone, processesMentioning, python, runCli } from "../../support/helpers.js";

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

/** A server that listens on HOST:PORT until it is ended, as a file in the test's folder (which names it in `ps`). */
function listenerIn(t: Test): { dir: string; listener: string } {
  const dir = t.testdir({ "listen.cjs": `require("net").createServer((s) => s.end("hi\\n")).listen(Number(process.env.PORT), process.env.HOST);` });
  return { dir, listener: `"${process.execPath}" ${path.join(dir, "listen.cjs")}` };
}

const noNamespace = (await pidNamespace()) === undefined ? "no PID namespace on this machine: only the process group is stopped" : false;

t.test("a server that leaves its process group (setsid) is the command's own all the same, and is stopped with it", { skip: noNamespace }, async (t) => {
  const { dir, listener } = listenerIn(t);
  const server = await spawnTarget(`setsid ${listener} & wait`, { host: "127.0.0.1" }).start();
  t.teardown(() => server.stop());
  t.equal(await answerOf(server.port), "hi\n", "it serves: its port was not taken for another process's");
  await server.stop();
  t.same(await processesGone(dir), [], "no process of it is left");
});

t.test("a launcher that exits before its server listens takes the server with it, and is told to stay in the foreground", { skip: noNamespace }, async (t) => {
  const { dir, listener } = listenerIn(t);
  const error = await spawnTarget(`setsid ${listener} &`, { host: "127.0.0.1" })
    .start()
    .catch((e: unknown) => e);
  t.ok(error instanceof TargetUnavailableError);
  t.match((error as Error).message, /exited with code 0 before listening on port \d+ \(a server command must keep running in the foreground\)/);
  t.same(await processesGone(dir), [], "the server it left behind is gone too");
});

t.test("a runner killed outright (SIGKILL) leaves none of its servers running, a daemon among them", { skip: noNamespace }, async (t) => {
  const { dir, listener } = listenerIn(t);
  const spawnModule = path.join(packageRoot, "dist", "conformance", "spawn.js");
  const runnerScript = `const { spawnTarget } = await import(${JSON.stringify(spawnModule)});
const server = await spawnTarget(${JSON.stringify(`setsid ${listener} & wait`)}, { host: "127.0.0.1" }).start();
console.log(server.port);
setInterval(() => {}, 1000);`;
  const runner = spawn(process.execPath, ["--input-type=module", "-e", runnerScript], { stdio: ["ignore", "pipe", "inherit"] });
  t.teardown(() => runner.kill("SIGKILL"));
  const [line] = (await once(runner.stdout!, "data")) as [Buffer];
  t.equal(await answerOf(Number(line.toString())), "hi\n", "the daemon serves");
  runner.kill("SIGKILL");
  await once(runner, "exit");
  t.same(await processesGone(dir), [], "no process of it is left");
});

t.test("a spawned server runs under the resource limits asked for, and a write past its file size is cut", async (t) => {
  const dir = t.testdir({
    "listen.py": "import os, socket, time\ns = socket.socket()\ns.bind((os.environ['HOST'], int(os.environ['PORT'])))\ns.listen()\ntime.sleep(600)\n",
  });
  const command = `head -c 2097152 /dev/zero > big; exec ${python()} ${path.join(dir, "listen.py")}`;
  const resources = { memoryMiB: 256, cpuSeconds: 60, processes: 4096, fileSizeMiB: 1 };
  const server = await spawnTarget(command, { host: "127.0.0.1", resources }).start();
  t.teardown(() => server.stop());
  t.equal(statSync(path.join(server.workdir!, "big")).size, 1024 * 1024, "the file stops at 1 MiB");
  const pids = await processesMentioning(path.join(dir, "listen.py"));
  t.ok(pids.length > 0);
  for (const pid of pids) {
    const limits = readFileSync(`/proc/${pid}/limits`, "utf8");
    t.match(limits, /Max cpu time\s+60\s+60/);
    t.match(limits, /Max file size\s+1048576\s+1048576/);
    t.match(limits, /Max processes\s+4096\s+4096/);
    t.match(limits, /Max address space\s+268435456\s+268435456/);
  }
});

t.test("the --spawn-* limits need --spawn, and take positive integers", async (t) => {
  const without = await runCli(["check", "capitalizer", "--spawn-memory", "256"]);
  t.equal(without.code, 2);
  t.match(without.stderr, /--spawn-memory and the other --spawn-\* limits need --spawn/);
  const zero = await runCli(["check", "capitalizer", "--spawn", "true", "--spawn-cpu", "0"]);
  t.equal(zero.code, 2);
  t.match(zero.stderr, /--spawn-cpu/);
});

/** The first bytes a TCP server sends a client that connects to it on 127.0.0.1. */
async function answerOf(port: number): Promise<string> {
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.setTimeout(30_000, () => socket.destroy(new Error("no answer within 30 s")));
  const [data] = (await once(socket, "data")) as [Buffer];
  socket.destroy();
  return data.toString();
}

t.test("a server that dies before listening is told by its error's line, not by a stack frame or Node's version", async (t) => {
  const error = await spawnTarget(`"${process.execPath}" -e 'throw new TypeError("cannot read the port")'`, { host: "127.0.0.1" })
    .start()
    .catch((e: unknown) => e);
  t.match((error as Error).message, /exited with code 1 before listening on port \d+: TypeError: cannot read the port$/);
});
