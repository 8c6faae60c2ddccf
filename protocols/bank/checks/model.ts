import { fc, type UdpClient } from "../../../kit/index.js";
import { appliedReply, balanceChange, balanceRequest, bank, credentials, deniedReply, operationRequest, type Operation } from "../spec/index.js";
import { BankSession, rightCredentials, text } from "./session.js";

/** What the server's balance must be: the acknowledged operations applied to the starting balance. */
export interface BankModel {
  balance: bigint;
  /** Wrong answers so far: the sequences stay below the throttle, which BANK-THROTTLE judges. */
  wrongAnswers: number;
}

/** The server as the commands reach it: one client socket, in one conversation. */
export interface BankReal {
  session: BankSession;
  socket: UdpClient;
}

type BankCommand = fc.AsyncCommand<BankModel, BankReal>;

class BalanceCommand implements BankCommand {
  check = () => true;
  async run(model: BankModel, real: BankReal): Promise<void> {
    await real.session.expectBalance(real.socket, model.balance, " as the model has it");
  }
  toString = () => balanceRequest;
}

class OperationCommand implements BankCommand {
  constructor(
    readonly operation: Operation,
    readonly amount: string,
    readonly answer: string,
  ) {}
  check = (model: Readonly<BankModel>) => this.answer === rightCredentials || model.wrongAnswers < bank.limits.maxWrongCredentials - 1;
  async run(model: BankModel, real: BankReal): Promise<void> {
    const right = this.answer === rightCredentials;
    const next = model.balance + balanceChange(this.operation, this.amount);
    const expected = right ? appliedReply(this.operation, this.amount, next) : deniedReply(this.operation);
    const said = await real.session.operate(real.socket, this.operation, this.amount, this.answer);
    if (text(said) !== expected) real.session.fail(`${JSON.stringify(expected)} as the model has it`, said);
    if (right) model.balance = next;
    else model.wrongAnswers += 1;
  }
  toString = () => `${operationRequest(this.operation, this.amount)} then ${JSON.stringify(this.answer)}`;
}

/** Random sequences of balance requests and of deposits and withdrawals with right or wrong credentials. */
export function bankModelCommands(): fc.Arbitrary<Iterable<BankCommand>> {
  const amount = fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String);
  const answer = fc.oneof({ arbitrary: fc.constant(rightCredentials), weight: 3 }, fc.constant(credentials(bank.defaults.username, "99999")));
  return fc.commands(
    [
      fc.constant(new BalanceCommand()),
      fc.tuple(fc.constantFrom<Operation>("deposit", "withdraw"), amount, answer).map(([op, sent, creds]) => new OperationCommand(op, sent, creds)),
    ],
    { maxCommands: 12 },
  );
}

/** Runs a command sequence against a fresh server (whose balance starts at 0) and the model side by side. */
export async function runBankModel(session: BankSession, commands: Iterable<BankCommand>): Promise<void> {
  const socket = await session.socket();
  await fc.asyncModelRun(() => ({ model: { balance: 0n, wrongAnswers: 0 }, real: { session, socket } }), commands);
}
