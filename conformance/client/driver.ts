import { readJson } from "../../spec/read-json.js";
import { assertValid } from "../../spec/validator.js";

/**
 * How to make a client do each thing a check asks of it, as lines typed on its standard input
 * (spec/schemas/client-driver.schema.json). `{name}` in a line is filled in by the check.
 */
export interface ClientDriver {
  protocol: string;
  description?: string;
  actions: Record<string, string[]>;
}

/** The actions a protocol's client checks use, each with the placeholders the check fills in. */
export type DriverActions = Readonly<Record<string, readonly string[]>>;

const placeholders = (line: string) => [...line.matchAll(/\{([A-Za-z][\w-]*)\}/g)].map((m) => m[1]!);

/**
 * A driver file, read and checked: valid against its schema, for the protocol, with every action the checks
 * use and only the placeholders each fills in. Throws with one line saying what is wrong.
 */
export function loadDriver(file: string, protocol: string, actions: DriverActions): ClientDriver {
  let driver: ClientDriver;
  try {
    driver = readJson(file) as ClientDriver;
    assertValid("client-driver.schema.json", driver, file);
  } catch (error) {
    throw new Error(`bad client driver ${file}: ${(error as Error).message.split("\n")[0]}`);
  }
  const problem = driverProblem(driver, protocol, actions);
  if (problem) throw new Error(`bad client driver ${file}: ${problem}`);
  return driver;
}

/** What keeps a driver from driving the protocol's checks, or undefined when nothing does. */
export function driverProblem(driver: ClientDriver, protocol: string, actions: DriverActions): string | undefined {
  if (driver.protocol !== protocol) return `it is for ${driver.protocol}, not ${protocol}`;
  for (const [action, names] of Object.entries(actions)) {
    const lines = driver.actions[action];
    if (lines === undefined) return `it lacks the action "${action}" (the checks use ${Object.keys(actions).join(", ")})`;
    const unknown = lines.flatMap(placeholders).find((name) => !names.includes(name));
    if (unknown !== undefined)
      return `action "${action}" has the placeholder {${unknown}}, which the checks do not fill in (they fill in ${names.map((n) => `{${n}}`).join(", ") || "none"})`;
  }
  const unused = Object.keys(driver.actions).find((action) => !(action in actions));
  return unused === undefined ? undefined : `no check uses the action "${unused}" (they use ${Object.keys(actions).join(", ")})`;
}

/** The lines that make the client do an action, its placeholders filled in. */
export function inputLines(driver: ClientDriver, action: string, values: Readonly<Record<string, string>> = {}): string[] {
  const lines = driver.actions[action];
  if (lines === undefined) throw new Error(`the client driver has no action "${action}"`);
  return lines.map((line) => line.replace(/\{([A-Za-z][\w-]*)\}/g, (whole, name: string) => values[name] ?? whole));
}
