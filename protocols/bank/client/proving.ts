// The broken bank clients as `sockspec prove bank` starts them: broken-client.js with one defect each.
import { fileURLToPath } from "node:url";
import type { ProvingClient } from "../../../kit/serve.js";
import { BANK_CLIENT_DEFECTS } from "./defects.js";

const script = fileURLToPath(new URL("./broken-client.js", import.meta.url));

export const provingBankClients: ProvingClient[] = Object.entries(BANK_CLIENT_DEFECTS).map(([defect, rule]) => ({
  name: defect,
  fails: [rule],
  command: `"${process.execPath}" "${script}" ${defect}`,
}));
