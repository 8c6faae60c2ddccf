// A broken bank as a process of its own, for the checks that kill servers:
// `node dist/protocols/bank/broken/process.js '<BankDefects as JSON>'`, with HOST and PORT from the environment.
import { bind } from "../../../kit/index.js";
import { createBrokenBank, type BankDefects } from "./servers.js";

const defects = JSON.parse(process.argv[2] ?? "{}") as BankDefects;
const socket = await createBrokenBank(process.cwd(), defects);
await bind(socket, process.env.HOST ?? "127.0.0.1", Number(process.env.PORT));
