import path from "node:path";
import { serverTransport, type ProtocolModule } from "../protocols/protocol-module.js";
import { packageRoot, protocolsDir } from "../spec/paths.js";
import { spawnTarget } from "./spawn.js";
import { describeThrown } from "../spec/thrown.js";
import { inProcessTarget, TargetUnavailableError, type Target } from "./target.js";

/**
 * The arguments that name a protocol to `sockspec serve`: one whose folder is the package's own (a built-in
 * one) by its name, another by its folder.
 */
function protocolArgs(module: ProtocolModule): string {
  return module.dir === path.join(protocolsDir, module.spec.protocol) ? module.spec.protocol : `--protocol "${module.dir}"`;
}

/** The command that runs a protocol's reference server as a process of its own, `{host}` and `{port}` left for spawnTarget. */
export function serveCommand(module: ProtocolModule, limits: Readonly<Record<string, number>>): string {
  const cli = path.join(packageRoot, "dist", "cli", "main.js");
  const limitArgs = Object.entries(limits).map(([name, value]) => ` --limit ${name}=${value}`);
  return `"${process.execPath}" "${cli}" serve ${protocolArgs(module)} --host {host} --port {port}${limitArgs.join("")}`;
}

/**
 * The built-in reference as a target, configured with the protocol's reference limits and `limits`: its
 * servers run in this process, except one that a rule kills, which runs as `sockspec serve` in a process of
 * its own, so that every rule is checked.
 */
export function referenceTarget(module: ProtocolModule, limits: Readonly<Record<string, number>>): Target {
  const configured = { ...module.referenceLimits, ...limits };
  const inProcess = inProcessTarget("built-in reference server", async (host, workdir) => {
    try {
      return await module.server.start({ host, port: 0, limits: configured, options: {}, workdir });
    } catch (error) {
      // A protocol's own server that will not start leaves its rules unchecked: the run's exit 2, not the kit's bug.
      throw new TargetUnavailableError(`${module.spec.protocol}'s server.start() failed: ${describeThrown(error)}`);
    }
  });
  const processes = spawnTarget(serveCommand(module, configured), { host: "127.0.0.1", transport: serverTransport(module.spec) });
  return { ...inProcess, killable: true, limits: configured, start: (options = {}) => (options.process ? processes.start(options) : inProcess.start(options)) };
}
