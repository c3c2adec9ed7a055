// Watches one request for stalls: its signal aborts when no progress was reported for `ms`, or when the parent
// signal aborts (pause, cancel, a sibling part failed). Like tus-js-client's StallDetector, a unit of its own.
export class StallWatch {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private readonly onParentAbort: () => void;
  /** Whether the watch itself aborted the request (not the parent). */
  stalled = false;

  constructor(
    private readonly ms: number,
    private readonly parent: AbortSignal,
  ) {
    this.onParentAbort = () => this.controller.abort(parent.reason);
    parent.addEventListener('abort', this.onParentAbort, { once: true });
    this.touch();
  }

  /** The signal to give the request. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Seconds of silence that count as a stall (for messages). */
  get seconds(): number {
    return Math.round(this.ms / 1000);
  }

  /** Progress was made: the silence starts again from now. */
  touch(): void {
    this.pause();
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.controller.abort(new Error('stalled'));
    }, this.ms);
  }

  /** Stops watching for now (everything was sent; the reply's wait is bounded by the transport). */
  pause(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The request settled: no more watching, and the parent's listener is let go. */
  dispose(): void {
    this.pause();
    this.parent.removeEventListener('abort', this.onParentAbort);
  }
}
