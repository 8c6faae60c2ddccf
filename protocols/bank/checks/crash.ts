import { fc, blameCrash, checkRecorder, count, describeValue, failing, type ServerHandle } from "../../../kit/index.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout } from "node:timers/promises";
import { accountFileText, appliedReply, balanceChange, bank, credentials, deniedReply, operationRequest, type Operation } from "../spec/index.js";
import { FileWatch } from "./file-watch.js";
import { BankSession, check, rightCredentials, text } from "./session.js";

const { username, pin, dataFile } = bank.defaults;

/** Where in an operation the server is killed. */
type Moment = "before-request" | "after-challenge" | "in-flight" | "after-reply";

interface Step {
  operation: Operation;
  amount: string;
  right: boolean;
  /** Kill the server at this moment of the step, and restart it, or not at all. */
  kill?: { moment: Moment; delayMs: number };
}

/**
 * Operations per property run, and kills among them: the default 5 runs make 200 operations and 20 kills.
 * Kills are what the rule is about, and each costs a server start; so does each run.
 */
const OPERATIONS = 40;
const KILLS = 4;

const step: fc.Arbitrary<Omit<Step, "kill">> = fc.record({
  operation: fc.constantFrom<Operation>("deposit", "withdraw"),
  amount: fc.bigInt({ min: 1n, max: 10n ** 6n }).map(String),
  right: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, fc.constant(false)),
});
const kill = fc.record({
  // In flight, the credentials are out and the answer not yet in: the moment a careless write is caught.
  moment: fc.oneof({ arbitrary: fc.constant<Moment>("in-flight"), weight: 3 }, fc.constantFrom<Moment>("before-request", "after-challenge", "after-reply")),
  delayMs: fc.integer({ min: 0, max: 3 }),
});

const steps: fc.Arbitrary<Step[]> = fc
  .tuple(
    fc.array(step, { minLength: OPERATIONS, maxLength: OPERATIONS }),
    fc.uniqueArray(fc.nat(OPERATIONS - 1), { minLength: KILLS, maxLength: KILLS }),
    fc.array(kill, { minLength: KILLS, maxLength: KILLS }),
  )
  .map(([ops, at, kills]) => {
    // Wrong answers stay below the throttle, which is BANK-THROTTLE's to judge.
    let wrong = 0;
    return ops.map((op, i) => ({
      ...op,
      right: op.right || ++wrong >= bank.limits.maxWrongCredentials,
      ...(at.includes(i) ? { kill: kills[at.indexOf(i)] } : {}),
    }));
  });

/**
 * BANK-CRASH-DURABLE: authenticated deposits and withdrawals against a server that is killed (SIGKILL) at
 * chosen moments and restarted in the same folder. After each restart the data file must be in the original's
 * format and the balance must hold every acknowledged change; an operation in flight at the kill may have
 * been applied or not, and the model takes whichever the server shows.
 */
export const crashDurable = check({
  id: "BANK-CRASH-DURABLE",
  servers: "folder",
  // A run starts a server per kill and more: half the runs of other checks that start servers.
  runs: "twentieth",
  inputs: steps,
  run: async (folder, plan, ctx, ruleState) => {
    const recorder = checkRecorder("bank");
    let server: ServerHandle | undefined;
    let session: BankSession | undefined;
    let incarnation = 0;
    const fail = failing(ctx.timeouts, recorder);
    const restart = async () => {
      session?.closeAll();
      const killed = server !== undefined;
      server = await folder.start({ process: true }).catch(async (error: unknown) => {
        // Not starting again on what a kill left is the server's failure, not a run that could not check.
        if (!killed) throw error;
        await expectFileWhole();
        return fail(`the server to start again in its folder after a kill`, `it did not: ${(error as Error).message}`);
      });
      session = new BankSession(server, ctx, ruleState, recorder);
      incarnation += 1;
      return session.socket(`s${incarnation}`);
    };
    const originalFormat = new RegExp(`^-?[0-9]+\\n${username}\\n${pin}\\n$`);
    // A missing file (before the first write) is no other format; an empty or partial one is.
    const watched = new FileWatch(path.join(folder.path, dataFile), (content) => content !== undefined && !originalFormat.test(content));
    /** The file must never have been seen in another format, killed or not. */
    const expectFileWhole = async () => {
      await watched.close();
      if (watched.bad) fail(`the data file in the original's format at every moment`, `it held ${describeValue(watched.bad.content)} ${watched.bad.during}`);
    };
    try {
      let socket = await restart();
      let balance = 0n;
      /** Whether the server has acknowledged a change (or shown one in flight applied): from then on its file must exist. */
      let acknowledged = false;
      const crash = async (why: string, inFlight?: bigint) => {
        await server!.kill!();
        count(ruleState, "kills");
        socket = await restart();
        const file = await readFile(path.join(folder.path, dataFile), "utf8").catch((error: NodeJS.ErrnoException) =>
          // Before any change was acknowledged a server need not have written the file yet.
          error.code === "ENOENT" && !acknowledged ? undefined : `(unreadable: ${error.message})`,
        );
        if (file !== undefined && !originalFormat.test(file)) fail(`the data file in the original's format after a kill ${why}`, describeValue(file));
        const shown = await session!.balance(socket, ` after a kill ${why} and a restart`);
        if (inFlight !== undefined && shown === balance + inFlight) {
          balance += inFlight;
          acknowledged ||= inFlight !== 0n;
          count(ruleState, "in-flight operations applied");
        } else if (inFlight !== undefined) count(ruleState, "in-flight operations not applied");
        if (shown !== balance) {
          const may = inFlight === undefined ? "" : ` (or ${balance + inFlight} with the operation in flight)`;
          fail(`a balance of ${balance}${may}: every acknowledged change, after a kill ${why}`, `${shown}`);
        }
        if (file !== undefined && file !== accountFileText(shown, username, pin))
          fail(`the data file to hold the balance ${shown} the server shows`, describeValue(file));
      };
      for (const [n, { operation, amount, right, kill }] of plan.entries()) {
        watched.during = `during operation ${n + 1} (${operationRequest(operation, amount)})`;
        count(ruleState, "operations");
        const change = right ? balanceChange(operation, amount) : 0n;
        if (kill?.moment === "before-request") await crash("between operations");
        await session!.expect(socket, operationRequest(operation, amount), bank.wireTexts.challenge);
        if (kill?.moment === "after-challenge") {
          await crash("while a challenge was pending");
          continue;
        }
        session!.send(socket, right ? rightCredentials : credentials(username, `${pin}9`));
        if (kill?.moment === "in-flight") {
          await setTimeout(kill.delayMs); // the kill lands at a chosen point of the server's work, not at an event
          await crash(`${kill.delayMs} ms after the credentials were sent`, change);
          continue;
        }
        const expected = right ? appliedReply(operation, amount, balance + change) : deniedReply(operation);
        const said = await socket.read(ctx.timeouts.replyMs);
        if (text(said) !== expected) fail(JSON.stringify(expected), said);
        balance += change;
        acknowledged ||= right;
        if (kill?.moment === "after-reply") await crash("right after the answer");
      }
      const shown = await session!.balance(socket, " at the end");
      if (shown !== balance) fail(`a balance of ${balance}`, `${shown}`);
      await expectFileWhole();
    } catch (error) {
      throw server ? await blameCrash(server, error) : error;
    } finally {
      // The folder stops its servers once the run has ended.
      await watched.close();
      session?.closeAll();
    }
  },
});
