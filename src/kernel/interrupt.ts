/**
 * The kernel's interrupt state: what happens on SIGINT while a cell runs.
 *
 * - No model is training: the running cell is cancelled at once (its `await` rejects with
 *   {@link KeyboardInterrupt}); synchronous code is broken by `vm`'s `breakOnSigint`.
 * - Models are training: their `fit` stops at the next batch boundary (see
 *   `training-interrupt.ts`), and the cell is cancelled when the last fit has returned, so
 *   no weight changes after the cell has ended. A second interrupt cancels at once.
 *
 * @module
 */
import { KeyboardInterrupt, type InterruptSignal } from "./interrupt-channel";

/** The timers the controller uses (injected in tests, to drive its state machine without waiting). */
export interface InterruptClock {
  /** Calls `fn` once after `ms`. */
  setTimer(fn: () => void, ms: number): void;
  /** Calls `fn` once, after the pending I/O callbacks and promise reactions (`setImmediate`). */
  defer(fn: () => void): void;
}

/** Node's own timers. */
const NODE_CLOCK: InterruptClock = {
  setTimer: (fn, ms) => void setTimeout(fn, ms),
  defer: (fn) => void setImmediate(fn),
};

/**
 * Interrupt state shared by the executor, the SIGINT handler and the tfjs fit wrapper.
 *
 * @example
 * ```ts
 * const interrupts = new InterruptController();
 * process.on("SIGINT", () => interrupts.interrupt());
 * const cancelled = interrupts.beginCell();
 * try { await Promise.race([runCell(), cancelled]); } finally { interrupts.endCell(); }
 * ```
 */
export class InterruptController implements InterruptSignal {
  /**
   * @param clock The timers to use (Node's by default).
   */
  constructor(private readonly clock: InterruptClock = NODE_CLOCK) {}

  private requestedFlag = false;
  private listeners = new Set<() => void>();
  private activeFits = 0;
  private cancelCell: ((err: KeyboardInterrupt) => void) | undefined;
  private signalsSeen = 0;
  private signalsRelayed = 0;
  private cellGeneration = 0;
  private cellStateListener: ((running: boolean) => void) | undefined;
  private cellActive = false;

  private notifyCellState(): void {
    this.cellStateListener?.(this.cellActive && this.activeFits === 0);
  }

  /**
   * Tells `listener` whether a cell's own code may be running unsupervised: `true` while a
   * cell runs and no model trains (a training model stops through its own batch-boundary
   * path), `false` otherwise. The blocked-cell watchdog only ever acts while it is `true`.
   *
   * @param listener Called synchronously at each cell's start and end.
   */
  watchCells(listener: (running: boolean) => void): void {
    this.cellStateListener = listener;
  }

  /** Whether the user interrupted the running cell. */
  get requested(): boolean {
    return this.requestedFlag;
  }

  /**
   * Registers a listener called on each interrupt.
   *
   * @param listener Called synchronously from the SIGINT handler.
   * @returns Removes the listener.
   */
  onInterrupt(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts a cell: clears the interrupt flag.
   *
   * @returns A promise that rejects with {@link KeyboardInterrupt} when the cell must stop;
   *   race the cell against it.
   */
  beginCell(): Promise<never> {
    this.requestedFlag = false;
    this.cellGeneration++;
    this.cellActive = true;
    this.notifyCellState();
    const cancelled = new Promise<never>((_resolve, reject) => {
      this.cancelCell = reject;
    });
    cancelled.catch(() => undefined);
    return cancelled;
  }

  /** Ends the cell: later interrupts (until the next cell) are ignored. */
  endCell(): void {
    this.cancelCell = undefined;
    this.cellActive = false;
    this.notifyCellState();
  }

  /** Handles a SIGINT this process received (its handler, or a late one the watchdog saw). */
  interrupt(): void {
    this.signalsSeen++;
    this.requestInterrupt();
  }

  /**
   * Records a SIGINT that `vm`'s `breakOnSigint` turned into an exception (the cell is
   * already stopped): sets `requested` and notifies the listeners like any interrupt.
   */
  interruptedSynchronously(): void {
    this.signalsSeen++;
    this.requestedFlag = true;
    this.notifyListeners();
  }

  private notifyListeners(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // A failing listener must not stop the interrupt.
      }
    }
  }

  /**
   * Handles the launcher's notice that it received a SIGINT (sent to the whole process
   * group, so this process should have received it too). Node's `breakOnSigint` watchdog
   * swallows a SIGINT that arrives just as a cell's synchronous part ends; if, after
   * `graceMs`, this process has seen fewer SIGINTs than the launcher relayed, the missing
   * one interrupts the cell that was running when it came (if it still runs).
   *
   * @param graceMs How long the process' own handler gets to see the signal first.
   */
  relayedInterrupt(graceMs = 300): void {
    this.signalsRelayed++;
    const generation = this.cellGeneration;
    this.clock.setTimer(() => {
      if (this.signalsRelayed > this.signalsSeen) {
        this.signalsSeen = this.signalsRelayed;
        // Only the cell that was running when the signal came may be interrupted.
        if (generation === this.cellGeneration) this.requestInterrupt();
      }
    }, graceMs);
  }

  /** Handles an interrupt request (an `interrupt_request` message, or a relayed SIGINT). */
  requestInterrupt(): void {
    if (!this.cancelCell) return;
    const second = this.requestedFlag;
    this.requestedFlag = true;
    this.notifyListeners();
    if (this.activeFits === 0 || second) this.cancel("Execution interrupted by the user");
  }

  /** Called by the fit wrapper when a model starts training. */
  fitStarted(): void {
    this.activeFits++;
    this.notifyCellState();
  }

  /** Called by the fit wrapper when a model stops training. */
  fitEnded(): void {
    this.activeFits = Math.max(0, this.activeFits - 1);
    this.notifyCellState();
    if (this.activeFits === 0 && this.requestedFlag) {
      // Let the fit's own KeyboardInterrupt reach the cell first; cancel only if it was swallowed.
      this.clock.defer(() => this.cancel("Execution interrupted by the user; training stopped at a batch boundary"));
    }
  }

  private cancel(message: string): void {
    const cancel = this.cancelCell;
    if (cancel) cancel(new KeyboardInterrupt(message));
  }
}
