// Runs one hostile server on HOST and PORT, as a runner's --spawn command: node serve.js <kind>.
import { hostile, type HostileKind } from "./servers.js";

const kind = process.argv[2] as HostileKind;
if (!(kind in hostile)) throw new Error(`no hostile server "${kind}" (known: ${Object.keys(hostile).join(", ")})`);
await hostile[kind]().listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
