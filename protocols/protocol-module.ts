import path from "node:path";
import type { ParseArgsConfig } from "node:util";
import type { RuleCheck } from "../conformance/check.js";
import type { ClientRuleCheck } from "../conformance/client/define-client-check.js";
import type { InProcessServer } from "../conformance/target.js";
import type { Endpoint, Recording } from "../fixtures/recording.js";
import type { Workload } from "../load/driver.js";
import type { ProtocolSpec } from "../spec/protocol.js";

/**
 * Everything sockspec knows of one protocol: `check`, `serve`, `client`, `bench`, `record`, the docs and
 * the generated schemas read it from here and nowhere else. A protocol is a folder (`protocols/<name>/`
 * for the built-in ones) that exports one such value; its heavier parts (checks, servers, clients) are
 * loaded only by the command that uses them, so that `sockspec serve` starts fast.
 */
export interface ProtocolModule {
  /** The protocol document, loaded from `<dir>/spec/protocol.json`. */
  spec: ProtocolSpec;
  /** The protocol's folder: `spec/protocol.json` and `spec/messages/` in it, recorded transcripts in `fixtures/`. */
  dir: string;
  /** The spec's limits a server may be configured with otherwise (`--limit NAME=VALUE`); the checks read them from the context. */
  tunableLimits: readonly string[];
  /** The shorter limits the built-in reference is checked with (some of tunableLimits), so that its waits cost little. */
  referenceLimits: Readonly<Record<string, number>>;
  /** Why limits a server says it runs with cannot be checked (undefined when they can). */
  limitsProblem?(limits: Readonly<Record<string, number>>): string | undefined;
  /** The rules' checks, one per rule of the catalogue, in its order. */
  checks(): Promise<RuleCheck[]>;
  /** The reference server: what `sockspec serve` runs and `sockspec check` checks when given no other. */
  server: ReferenceServer;
  /** An interactive client (`sockspec client`), for a protocol that has one. */
  client?: Client;
  /** How `sockspec check-client` checks a client of the protocol against its client rules, for a protocol that has them. */
  clientChecks?: ClientChecks;
  /** The load `sockspec bench` sends, for a protocol that has one. */
  load?: LoadModule;
  /** Sessions `npm run record-fixtures` records from the original server into `<dir>/fixtures/`. */
  recording?(): Promise<Recording<Endpoint>>;
  /**
   * The files generated from the protocol document (`npm run spec`; a test fails when they differ), by path
   * relative to `dir`: its message schemas and API document, besides the rule-ID type every protocol gets.
   */
  generatedFiles?(): Promise<Record<string, string>>;
  /** Commands of the protocol's own, e.g. `sockspec probe` for an HTTP protocol. */
  commands?: Record<string, Command>;
  /**
   * Deliberately broken servers, each leaving its own rules unmet and no others: what `sockspec prove`
   * checks, so that a catalogue's checks are shown to catch what they are about.
   */
  broken?(): Promise<readonly ProvingServer[]>;
}

/** A deliberately broken server: what is wrong with it, the rules it leaves unmet (and no others), how it starts. */
export interface ProvingServer {
  name: string;
  /** What is wrong with it, in a few words, where its name does not say. */
  why?: string;
  /** The MUST rules it fails (or times out on). */
  fails: readonly string[];
  /** The SHOULD rules it does not meet. */
  warns?: readonly string[];
  /** Rules its defect leaves not checkable (each saying so, naming the rule it breaks). */
  leavesUnchecked?: readonly string[];
  /** Set on the narrowest defect for a rule that no server can leave unmet alone: the rule, and why. */
  notAlone?: { rule: string; why: string };
  /** Limits it is checked with, where they differ from the protocol's referenceLimits. */
  limits?: Readonly<Record<string, number>>;
  /** Starts it in this process, as ReferenceServer.start does. */
  start(config: ServerConfig): Promise<InProcessServer>;
  /**
   * How it runs as a process of its own (as `--spawn` takes a command), for the rules that kill their
   * servers; without it those rules are not checked, and it must list them in leavesUnchecked.
   */
  command?: string;
}

/** Options of a command of a protocol's own, strings each, described for --help and checked against their choices. */
export type CommandOptions = Record<string, { description: string; choices?: readonly string[] }>;

export interface ReferenceServer {
  /** The limits `sockspec serve --limit` takes: tunableLimits, and any other a user may want to change. */
  limits: readonly string[];
  /** Options of the server's own (`sockspec serve <protocol> --NAME VALUE`), e.g. the bank's account file. */
  options?: CommandOptions;
  /**
   * Starts the server listening on host and port (0 for a free one), with `limits` instead of the spec's
   * where given, its files in `workdir` (the current folder under `sockspec serve`).
   */
  start(config: ServerConfig): Promise<InProcessServer>;
}

export interface ServerConfig {
  host: string;
  port: number;
  limits: Readonly<Record<string, number>>;
  /** Values of ReferenceServer.options, by name. */
  options: Readonly<Record<string, string | undefined>>;
  workdir: string;
}

export interface Client {
  /** How it is used, for --help. */
  description: string;
  /** Runs it until the end of input; resolves with the process exit code. */
  run(options: ClientOptions): Promise<number>;
}

export interface ClientChecks {
  /** The default driver file: how the original client is made to do each action the checks use. */
  driver: string;
  /** Each action the checks use, with the placeholders they fill in (a driver must give exactly these). */
  actions: Readonly<Record<string, readonly string[]>>;
  /** The client rules' checks, one per client rule of the catalogue. */
  checks(): Promise<ClientRuleCheck[]>;
  /**
   * The reference client as a command (HOST and PORT in its environment), which `sockspec prove` checks
   * meets every client rule; a protocol with a built-in `client` is checked through `sockspec client`.
   */
  reference?: string;
  /** Deliberately broken clients, each leaving its own client rules unmet and no others: what `sockspec prove` proves the client checks with. */
  broken?(): Promise<readonly ProvingClient[]>;
}

/** A deliberately broken client: what is wrong with it, the client rules it leaves unmet (and no others), and the command that starts it. */
export interface ProvingClient {
  name: string;
  /** What is wrong with it, in a few words, where its name does not say. */
  why?: string;
  /** The MUST client rules it fails. */
  fails: readonly string[];
  /** The SHOULD client rules it does not meet. */
  warns?: readonly string[];
  /** How it starts, as check-client's --spawn takes it (HOST and PORT in its environment). */
  command: string;
}

export interface ClientOptions {
  host: string;
  port: number;
  replyTimeoutMs: number | undefined;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export interface LoadModule {
  /** Options of the workload's own (`sockspec bench <protocol> --NAME VALUE`). */
  options?: CommandOptions;
  /** Limits the reference server is started with for a load run, e.g. a quota raised out of reach. */
  serveLimits?: Readonly<Record<string, number>>;
  /** The workload against a server, with the values of `options` by name. */
  workload(server: { host: string; port: number }, timeoutMs: number, options: Readonly<Record<string, string | undefined>>): Promise<Workload>;
}

export interface Command {
  /** What it does, on one line of `sockspec --help`. */
  summary: string;
  /** The command itself, loaded when it is used. */
  load(): Promise<{ help: string; run(args: string[]): Promise<number> }>;
}

/** The transport a protocol's servers listen on: HTTP runs on TCP. */
export const serverTransport = (spec: ProtocolSpec): "tcp" | "udp" => (spec.transport === "udp" ? "udp" : "tcp");

/** Where a protocol keeps its document: `<dir>/spec/protocol.json`. */
export const specFolder = (module: Pick<ProtocolModule, "dir">): string => path.join(module.dir, "spec");

/** Where a protocol keeps its recorded transcripts: `<dir>/fixtures/`. */
export const fixturesFolder = (module: Pick<ProtocolModule, "dir">): string => path.join(module.dir, "fixtures");

/** parseArgs options for CommandOptions. */
export function parseArgsOptions(options: CommandOptions = {}): NonNullable<ParseArgsConfig["options"]> {
  return Object.fromEntries(Object.keys(options).map((name) => [name, { type: "string" as const }]));
}

/**
 * What is wrong with a protocol's checks, in words, or undefined: each rule of its catalogue needs exactly
 * one check, and each check a rule (the built-in protocols' tests assert it; a protocol of your own is
 * told so when it is checked).
 */
export function checksProblem(spec: ProtocolSpec, checks: readonly RuleCheck[]): string | undefined {
  const ids = checks.map((check) => check.id);
  const rules = spec.rules.map((rule) => rule.id);
  const problems = [
    ...rules.filter((id) => !ids.includes(id)).map((id) => `rule ${id} has no check`),
    ...ids.filter((id) => !rules.includes(id)).map((id) => `check ${id} names no rule of the catalogue`),
    ...ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `rule ${id} has more than one check`),
  ];
  return problems.length > 0 ? `${spec.protocol}: ${problems.join("; ")}` : undefined;
}
