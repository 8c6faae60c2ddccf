// `npm run bench`: the memory the reference capitalizer needs to hold 1,000 idle connections, against its
// target (under 100 MB RSS). The server runs as `sockspec serve` in a process of its own, so
// its RSS is its alone; read from /proc (Linux).
import { writeReadmeSection } from "./readme-section.js";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import net from "node:net";
import { packageRoot } from "../spec/paths.js";
import path from "node:path";

const CONNECTIONS = 1000;
const TARGET_MIB = 100;

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

const server = spawn(process.execPath, [
  path.join(packageRoot, "dist", "cli", "main.js"),
  "serve",
  "capitalizer",
  "--port",
  "0",
  "--limit",
  `maxConnections=${CONNECTIONS}`,
]);
let stderr = "";
server.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
const started = await Promise.race([once(server.stdout, "data") as Promise<[Buffer]>, once(server, "exit").then(() => undefined)]);
if (!started) throw new Error(`sockspec serve capitalizer ended before it listened: ${stderr.trim()}`);
const [line] = started;
const port = Number(/:(\d+)\n$/.exec(line.toString())![1]);
const before = rssMiB(server.pid!);
const sockets: net.Socket[] = [];
for (let i = 0; i < CONNECTIONS; i++) {
  const socket = net.connect(port, "127.0.0.1");
  await once(socket, "connect");
  sockets.push(socket);
}
// Every connection is accepted once a sentence on the last one is answered: the server reads in order.
sockets.at(-1)!.write("ready?");
await once(sockets.at(-1)!, "data");
const held = rssMiB(server.pid!);
for (const socket of sockets) socket.destroy();
server.kill("SIGTERM");
const ok = held < TARGET_MIB;
const summary = `${CONNECTIONS} idle connections held by the reference capitalizer: rss ${held.toFixed(1)} MiB (${before.toFixed(1)} MiB before; target < ${TARGET_MIB} MiB: ${ok ? "met" : "MISSED"})`;
console.log(`${ok ? "ok  " : "MISS"} ${summary}`);
writeReadmeSection("idle-memory", `${summary}; measured by \`npm run bench\`, ${new Date().toISOString().slice(0, 10)}.`);
process.exitCode = ok ? 0 : 1;
