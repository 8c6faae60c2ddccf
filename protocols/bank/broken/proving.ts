// The broken banks as `sockspec prove bank` starts them: in this process, and as processes of their own
// (broken/process.ts) for the rule that kills its servers.
import { fileURLToPath } from "node:url";
import { bind, type BrokenServer, closeSocket, type ProvingServer } from "../../../kit/index.js";
import { type BankDefects, brokenBankLimits, brokenBanks, createBrokenBank } from "./servers.js";

const processScript = fileURLToPath(new URL("./process.js", import.meta.url));

/** A bank with these defects, as prove starts it: in this process, and as a process of its own for the rule that kills. */
export const provingBank = ({ defects, ...declared }: BrokenServer<BankDefects>): ProvingServer => ({
  ...declared,
  limits: brokenBankLimits,
  command: `"${process.execPath}" "${processScript}" '${JSON.stringify(defects)}'`,
  async start({ host, port, workdir }) {
    const socket = await createBrokenBank(workdir, defects);
    return { port: await bind(socket, host, port), close: () => closeSocket(socket) };
  },
});

export const provingBanks: ProvingServer[] = brokenBanks.map(provingBank);
