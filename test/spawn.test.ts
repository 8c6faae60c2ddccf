import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import t from "tap";
import { freePort, listenerOwnedBy } from "../conformance/ports.js";
import { absolutizePaths, spawnTarget } from "../conformance/spawn.js";
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

t.test("a listening socket is told apart by the process group that holds it", async (t) => {
  const port = await freePort("tcp", "127.0.0.1");
  const child = spawn(process.execPath, ["-e", `require("net").createServer().listen(${port}, "127.0.0.1", () => console.log("up"))`], { detached: true });
  t.teardown(() => child.kill("SIGKILL"));
  await once(child.stdout!, "data");
  t.equal(await listenerOwnedBy("tcp", port, child.pid!), "ours");
  t.equal(await listenerOwnedBy("tcp", port, process.pid), "another process");
  t.equal(await listenerOwnedBy("tcp", await freePort("tcp", "127.0.0.1"), child.pid!), "none");
});
