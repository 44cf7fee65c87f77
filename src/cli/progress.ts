// The progress line of a long read, on standard error when it is a terminal.

const PROGRESS_FROM = 100_000;

/**
 * The progress line on stderr (when it is a terminal) for inputs over 100,000 events:
 * "reading events.csv: 120,000 rows (45%)", then "checking events.csv: 80,000 of 200,000 events".
 */
export class Progress {
  private shown = false;
  private last = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream | undefined,
    private readonly label: string,
  ) {}

  /** `count` things done, and the share of the whole (0 to 1) when known. */
  update(verb: string, count: number, what: string, share?: number): void {
    if (this.stream === undefined || count < PROGRESS_FROM) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const percent = share === undefined ? "" : ` (${Math.min(100, Math.floor(share * 100))}%)`;
    this.stream.write(
      `\r\x1b[K${verb} ${this.label}: ${count.toLocaleString("en")} ${what}${percent}`,
    );
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stream?.write("\r\x1b[K");
  }
}
