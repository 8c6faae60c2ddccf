// The broken status servers as `sockspec prove status` starts them.
import { type BrokenServer, closeServer, listen, type ProvingServer } from "../../../kit/index.js";
import { brokenStatusServers, createBrokenStatusServer, type StatusDefects } from "./servers.js";

/** A status server with these defects, as prove starts it. */
export const provingStatusServer = ({ defects, ...declared }: BrokenServer<StatusDefects>): ProvingServer => ({
  ...declared,
  async start({ host, port }) {
    const server = createBrokenStatusServer(defects);
    return { port: await listen(server, host, port), close: () => closeServer(server) };
  },
});

export const provingStatusServers: ProvingServer[] = brokenStatusServers.map(provingStatusServer);
