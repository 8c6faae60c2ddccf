// The broken status servers as `sockspec prove status` starts them.
import { closeServer, listen, type ProvingServer } from "../../../kit/index.js";
import { brokenStatusServers, createBrokenStatusServer } from "./servers.js";

export const provingStatusServers: ProvingServer[] = brokenStatusServers.map(({ defects, ...declared }) => ({
  ...declared,
  async start({ host, port }) {
    const server = createBrokenStatusServer(defects);
    return { port: await listen(server, host, port), close: () => closeServer(server) };
  },
}));
