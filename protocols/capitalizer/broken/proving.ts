// The broken capitalizers as `sockspec prove capitalizer` starts them.
import { closeServer, listen, type ProvingServer } from "../../../kit/index.js";
import { brokenCapitalizerLimits, brokenCapitalizers, createBrokenCapitalizer } from "./servers.js";

export const provingCapitalizers: ProvingServer[] = brokenCapitalizers.map(({ defects, ...declared }) => ({
  ...declared,
  limits: brokenCapitalizerLimits,
  async start({ host, port }) {
    const server = createBrokenCapitalizer(defects);
    return { port: await listen(server, host, port), close: () => closeServer(server) };
  },
}));
