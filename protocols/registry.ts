import { bankModule } from "./bank/index.js";
import { capitalizerModule } from "./capitalizer/index.js";
import type { ProtocolModule } from "./protocol-module.js";
import { statusModule } from "./status/index.js";

/** The protocols that come with sockspec, in the order the CLI lists them. */
export const builtInProtocols: readonly ProtocolModule[] = [capitalizerModule, bankModule, statusModule];

/** The names of the built-in protocols. */
export const builtInNames = (): string[] => builtInProtocols.map((module) => module.spec.protocol);

/** A built-in protocol by name. */
export function builtInProtocol(name: string): ProtocolModule {
  const module = builtInProtocols.find((m) => m.spec.protocol === name);
  if (!module) throw new RangeError(`unknown protocol "${name}" (known: ${builtInNames().join(", ")})`);
  return module;
}
