import { saveAccount, type Account } from "./account-file.js";

interface Waiter {
  version: number;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The account in memory and on disk, with group commit: changes are applied in memory at once, in
 * arrival order, and written in batches; while one write (with its fsync) is on its way to the disk, the
 * changes that come meanwhile wait for the next one. A reply that shows the balance waits (`durable()`)
 * until what it shows is on disk, so nothing is acknowledged that a crash could take back, and one fsync
 * serves every change that arrived during the one before.
 */
export class GroupCommitAccount {
  /** Changes applied in memory, and how many of them are on disk. */
  private applied = 0;
  private written = 0;
  /** The account as the disk has it: what a failed write falls back to. */
  private onDisk: Account;
  private writing = false;
  private waiters: Waiter[] = [];

  constructor(
    private readonly file: string,
    /** The account as replies show it; may be ahead of the disk until `durable()` resolves. */
    readonly account: Account,
  ) {
    this.onDisk = { ...account };
  }

  setBalance(balance: bigint): void {
    this.account.balance = balance;
    this.applied += 1;
    void this.writeBehind();
  }

  /** Resolves once every change applied so far is on disk; rejects if the write that carried one failed. */
  durable(): Promise<void> {
    if (this.written === this.applied) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ version: this.applied, resolve, reject }));
  }

  private async writeBehind(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    while (this.written < this.applied) {
      const version = this.applied;
      const snapshot = { ...this.account };
      try {
        await saveAccount(this.file, snapshot);
        this.onDisk = snapshot;
        this.written = version;
        this.settle(
          (waiter) => waiter.version <= version,
          (waiter) => waiter.resolve(),
        );
      } catch (error) {
        // None of the changes since the last good write was acknowledged: they are all undone, and their
        // replies are never sent.
        this.account.balance = this.onDisk.balance;
        this.applied = this.written;
        this.settle(
          () => true,
          (waiter) => waiter.reject(error as Error),
        );
      }
    }
    this.writing = false;
  }

  private settle(which: (waiter: Waiter) => boolean, how: (waiter: Waiter) => void): void {
    const settled = this.waiters.filter(which);
    this.waiters = this.waiters.filter((waiter) => !which(waiter));
    for (const waiter of settled) how(waiter);
  }
}
