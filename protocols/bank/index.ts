import path from "node:path";
import { bind, closeSocket, type ProtocolModule, protocolsDir } from "../../kit/serve.js";
import { bank } from "./spec/index.js";

/**
 * The built-in reference bank is checked with a short challenge timeout and throttle window, so that
 * BANK-CHALLENGE-TIMEOUT and BANK-THROTTLE-WINDOW wait seconds rather than the spec's minutes; `sockspec
 * serve bank` keeps the spec's.
 */
export const REFERENCE_BANK_LIMITS = { challengeTimeoutMs: 1000, throttleWindowMs: 1000 };

const workloads = ["balance", "deposit"] as const;

/** The bank (UDP): one account in a file, deposits and withdrawals challenged for its username and PIN. */
export const bankModule: ProtocolModule = {
  spec: bank,
  dir: path.join(protocolsDir, "bank"),
  tunableLimits: ["challengeTimeoutMs", "throttleWindowMs"],
  referenceLimits: REFERENCE_BANK_LIMITS,
  checks: async () => (await import("./checks/checks.js")).bankChecks,
  server: {
    limits: ["challengeTimeoutMs", "throttleWindowMs"],
    options: { data: { description: `the account file (default ${bank.defaults.dataFile} in the current folder)` } },
    async start({ host, port, limits, options, workdir }) {
      const { createBankServer } = await import("./reference/server.js");
      const { AccountFileError } = await import("./reference/account-file.js");
      const socket = await createBankServer({ dataFile: path.resolve(workdir, options.data ?? bank.defaults.dataFile), ...limits, host }).catch(
        (error: unknown) => {
          throw error instanceof AccountFileError ? new Error(`cannot use the account file ${error.message}`) : error;
        },
      );
      return { port: await bind(socket, host, port), close: () => closeSocket(socket) };
    },
  },
  client: {
    description: "the original's menu (1 balance, 2 withdraw, 3 deposit); asks for the username and PIN when the server challenges.",
    run: async (options) => (await import("./reference/client.js")).runBankClient(options),
  },
  clientChecks: {
    driver: path.join(protocolsDir, "bank", "client", "driver.json"),
    actions: { balance: [], withdraw: ["amount"], deposit: ["amount"], credentials: ["username", "pin"] },
    checks: async () => (await import("./client/checks.js")).bankClientChecks,
    broken: async () => (await import("./client/proving.js")).provingBankClients,
  },
  load: {
    options: {
      workload: {
        description: `${workloads.join(" or ")} (default balance); a deposit is request, challenge, credentials and acknowledgement, and the balance must move by the acknowledged ones`,
        choices: workloads,
      },
      username: { description: "the account's username (default: the spec's)" },
      pin: { description: "the account's PIN (default: the spec's)" },
    },
    workload: async ({ host, port }, timeoutMs, { workload, username, pin }) =>
      (await import("./load.js")).bankWorkload((workload as (typeof workloads)[number] | undefined) ?? "balance", { host, port, timeoutMs, username, pin }),
  },
  recording: async () => (await import("./fixtures/sessions.js")).bankRecording,
  async generatedFiles() {
    const [{ socketProtocolFiles }, { bankMessageSchemas }] = await Promise.all([import("../../kit/index.js"), import("./spec/messages.js")]);
    return socketProtocolFiles(bank, bankMessageSchemas(bank));
  },
  broken: async () => (await import("./broken/proving.js")).provingBanks,
};
