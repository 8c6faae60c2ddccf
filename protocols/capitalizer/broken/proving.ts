// The broken capitalizers as `sockspec prove capitalizer` starts them.
import { type BrokenServer, closeServer, listen, type ProvingServer } from "../../../kit/index.js";
import { brokenCapitalizerLimits, brokenCapitalizers, createBrokenCapitalizer, type Defects } from "./servers.js";

/** A capitalizer with these defects, as prove starts it. */
export const provingCapitalizer = ({ defects, ...declared }: BrokenServer<Defects>): ProvingServer => ({
  ...declared,
  limits: brokenCapitalizerLimits,
  async start({ host, port }) {
    const server = createBrokenCapitalizer(defects);
    return { port: await listen(server, host, port), close: () => closeServer(server) };
  },
});

export const provingCapitalizers: ProvingServer[] = brokenCapitalizers.map(provingCapitalizer);
