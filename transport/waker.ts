/** Lets a reader sleep until the next socket event or a deadline, whichever comes first. */
export class Waker {
  private pending: (() => void) | undefined;

  /** Resolves on the next wake() or after ms. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve();
      };
      timer = setTimeout(done, Math.max(0, ms));
      this.pending = done;
    });
  }

  wake(): void {
    this.pending?.();
  }
}
