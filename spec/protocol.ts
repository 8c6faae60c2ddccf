import { readJson } from "./read-json.js";

export type Level = "MUST" | "SHOULD" | "MAY";

/** One entry of a protocol's rule catalogue. */
/** What a rule's check needs to do with the server under test. */
export type ServerNeed = "any-server" | "fresh-server" | "restartable-server" | "killable-server";

/** What each need asks of the server, in words for the protocol documents. */
export const serverNeeds: Record<ServerNeed, string> = {
  "any-server": "checked against any running server, shared with other rules",
  "fresh-server": "each run needs a server in a fresh state: the runner starts one (`--spawn`) or resets a running one (`--reset`)",
  "restartable-server":
    "the runner starts the server itself, stops and restarts it in the same working folder, and reads or writes its files there (`--spawn`)",
  "killable-server": "the runner also kills the server (SIGKILL) at chosen moments and restarts it (`--spawn`)",
};

/** The environment variable that tells a server the runner starts a limit: `idleTimeoutMs` is `IDLE_TIMEOUT_MS`. */
export function limitEnvName(limit: string): string {
  return limit.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
}

export interface Rule {
  /** Stable identifier, e.g. `CAP-REPLY-UPPER`. */
  id: string;
  level: Level;
  statement: string;
  /** What the original program does, which this rule comes from. */
  original: string;
  /**
   * `fresh-server`: each run needs a server in a fresh state (started by the runner, or reset by `--reset`),
   * so it is skipped against a bare host/port; `restartable-server`: the runner starts the servers itself,
   * in folders it chooses, and reads or writes their files; `killable-server`: it also kills them
   * (SIGKILL), which only servers of their own process allow (`--spawn`).
   */
  needs: ServerNeed;
  /**
   * Whether the rule's failures depend on timing (a race, a kill at a chosen moment): such a failure does not
   * always show again on the same input, so a replay that passes proves nothing.
   */
  timing?: boolean;
}

/** One entry of a protocol's client rule catalogue: what a client must do, checked with the kit playing the server. */
export type ClientRule = Omit<Rule, "needs">;

/** The prefix of a protocol's client rules: its rule prefix followed by C (`CAPC`). */
export const clientRulePrefix = (spec: Pick<ProtocolSpec, "rulePrefix">) => `${spec.rulePrefix}C`;

export interface Message {
  name: string;
  from: "client" | "server";
  description: string;
  /** Path of the message's JSON Schema, relative to the protocol document. */
  schema: string;
  example?: string;
}

/** A protocol document from protocols/<protocol>/spec/protocol.json, validated against spec/schemas/protocol.schema.json. */
export interface ProtocolSpec<W extends string = string, L extends string = string> {
  protocol: string;
  title: string;
  summary: string;
  rulePrefix: string;
  transport: "tcp" | "udp" | "http";
  defaultPort: number;
  framing: { description: string; encoding?: "utf-8"; hazards?: string[] };
  /** Where the protocol upper-cases text: the mapping, the accepted Unicode versions and the generated table. */
  caseMapping?: { description: string; unicodeVersions: string[]; table: string };
  limits: Record<L, number>;
  /** Named default values (e.g. the bank's account). */
  defaults?: Record<string, string>;
  /** What a server keeps and where, and how the defaults are used; `{name}` stands for a default's value. */
  defaultsDescription?: string;
  wireTexts: Record<W, string>;
  messages: Message[];
  rules: Rule[];
  /** The rules a client must meet (`sockspec check-client`); the server runner never reads them. */
  clientRules?: ClientRule[];
  /** States of one connection or client address and the transitions between them. */
  stateMachine?: { initial: string; transitions: Array<{ from: string; on: string; to: string; sends?: string }> };
  /** Security considerations: what the protocol cannot protect and what a deployment must add. */
  security?: Array<{ topic: string; text: string }>;
  /** Differences from the original that no rule checks (features left out, behaviour not copied), each with why. */
  departures?: Array<{ topic: string; text: string }>;
}

/**
 * What is wrong with a document whose rules name what the original does `seed`, as documents written for
 * earlier versions of the kit do: one line telling the rename, rather than two schema errors per rule.
 */
export function renamedRuleField(doc: unknown): string | undefined {
  const rules = typeof doc === "object" && doc !== null ? (doc as { rules?: unknown }).rules : undefined;
  if (!Array.isArray(rules)) return undefined;
  const old = rules.filter((rule): rule is { id?: unknown } => typeof rule === "object" && rule !== null && "seed" in rule);
  if (old.length === 0) return undefined;
  const first = typeof old[0]!.id === "string" ? ` (${old[0]!.id}${old.length > 1 ? ` and ${old.length - 1} more` : ""})` : "";
  return `rules${first} have the field "seed": rename it to "original" (what the original program does)`;
}

/**
 * Loads and validates a protocol document, and checks that it defines the wire texts and limits the
 * caller's code relies on, so a renamed entry fails at load rather than as `undefined` on the wire.
 */
export function loadProtocol<W extends string, L extends string>(file: string, wireTexts: readonly W[], limits: readonly L[]): ProtocolSpec<W, L> {
  // The whole document is validated against protocol.schema.json by the tests and by `npm run spec`; here
  // only what the code relies on is checked, so that starting a server does not load a schema validator.
  const spec = readJson(file) as ProtocolSpec<W, L>;
  const renamed = renamedRuleField(spec);
  if (renamed) throw new Error(`${file}: ${renamed}`);
  for (const name of wireTexts) {
    if (typeof spec.wireTexts[name] !== "string") throw new Error(`${file}: wireTexts.${name} is missing`);
  }
  for (const name of limits) {
    if (typeof spec.limits[name] !== "number") throw new Error(`${file}: limits.${name} is missing`);
  }
  const ids = new Set<string>();
  for (const rule of spec.rules) {
    if (ids.has(rule.id)) throw new Error(`${file}: rule ${rule.id} is listed twice`);
    if (!rule.id.startsWith(`${spec.rulePrefix}-`)) throw new Error(`${file}: rule ${rule.id} lacks prefix ${spec.rulePrefix}-`);
    ids.add(rule.id);
  }
  for (const rule of spec.clientRules ?? []) {
    if (ids.has(rule.id)) throw new Error(`${file}: rule ${rule.id} is listed twice`);
    if (!rule.id.startsWith(`${clientRulePrefix(spec)}-`)) throw new Error(`${file}: client rule ${rule.id} lacks prefix ${clientRulePrefix(spec)}-`);
    ids.add(rule.id);
  }
  return spec;
}
