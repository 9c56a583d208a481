/**
 * --meter csv:FILE: power logged by an external instrument, one row per
 * sample: a timestamp (ISO 8601, or unix seconds; values above 1e12 are taken
 * as unix milliseconds) and watts. A header row is optional; with one, the
 * columns named like time/timestamp and watts/power/W are used, else the
 * first two. Separators: comma, semicolon or tab (the first one found outside
 * quotes on the first row); fields may be quoted as RFC 4180 has it, but a
 * record must fit on one line, since the file is read line by line as it grows.
 *
 * Rows are placed on the run's monotonic clock by wall-clock time, through
 * the (hrtime, Date.now()) pair taken at session start, so the logger's clock
 * must agree with this machine's (NTP on both). The file is followed while it
 * grows (the logger may still be writing), and read up to date before energy
 * is computed. --scope is required.
 */
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { PowerError, PowerUsageError } from "../errors.js";
import type { MeterCandidate, MeterContext, ReadingSink, StreamSource } from "../types.js";

export function parseTimestamp(s: string): number | null {
  const t = s.trim();
  if (/^\d+(\.\d+)?$/.test(t)) {
    const x = Number(t);
    return x > 1e12 ? x : x * 1000;
  }
  if (!/^\d{4}-\d\d-\d\d/.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}

interface Layout {
  sep: string;
  tCol: number;
  wCol: number;
}

/** One line's fields; throws csv-parse's CsvError on a malformed line (an unclosed quote). */
function fields(line: string, sep: string): string[] {
  return parse(line, { delimiter: sep, trim: true, relax_column_count: true })[0] ?? [];
}

function layoutOf(firstLine: string): { layout: Layout; header: boolean } {
  // A separator inside a quoted label ("rail, 5V") is not the file's separator.
  const unquoted = firstLine.replace(/"(?:[^"]|"")*"/g, "");
  const sep = [",", ";", "\t"].find((c) => unquoted.includes(c)) ?? ",";
  const cells = fields(firstLine, sep);
  if (parseTimestamp(cells[0] ?? "") !== null) return { layout: { sep, tCol: 0, wCol: 1 }, header: false };
  const tCol = cells.findIndex((c) => /time|date|^ts$|^t$/i.test(c));
  const wCol = cells.findIndex((c) => /^(w|watts?|power|power[ _(]*w\)?|p)$/i.test(c));
  return { layout: { sep, tCol: Math.max(tCol, 0), wCol: wCol >= 0 ? wCol : 1 }, header: true };
}

export class CsvFollower {
  private offset = 0;
  private partial = "";
  private layout: Layout | undefined;
  private line = 0;

  constructor(
    readonly file: string,
    private readonly onRow: (wallMs: number, watts: number) => void,
    private readonly onBadRow: (msg: string) => void,
  ) {}

  /** Read what was appended since the last call (synchronous: small appends, called at 1 Hz and before energy). */
  pull(): void {
    const fd = fs.openSync(this.file, "r");
    try {
      const size = fs.fstatSync(fd).size;
      if (size < this.offset) {
        this.offset = 0; // truncated and restarted by the logger
        this.partial = "";
      }
      if (size === this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buf, 0, buf.length, this.offset);
      this.offset = size;
      const lines = (this.partial + buf.toString("utf8")).split(/\r?\n/);
      this.partial = lines.pop() ?? "";
      for (const l of lines) this.row(l);
    } finally {
      fs.closeSync(fd);
    }
  }

  private row(text: string): void {
    this.line++;
    if (!text.trim() || text.startsWith("#")) return;
    const bad = () => this.onBadRow(`${this.file} line ${this.line}: not "timestamp,watts": ${JSON.stringify(text.slice(0, 60))}`);
    let cells: string[];
    try {
      if (!this.layout) {
        const { layout, header } = layoutOf(text);
        this.layout = layout;
        if (header) return;
      }
      cells = fields(text, this.layout.sep);
    } catch {
      bad();
      return;
    }
    const wall = parseTimestamp(cells[this.layout.tCol] ?? "");
    const watts = cells[this.layout.wCol] ?? "";
    const w = watts === "" ? Number.NaN : Number(watts);
    if (wall === null || !Number.isFinite(w) || w < 0) {
      bad();
      return;
    }
    this.onRow(wall, w);
  }
}

export async function csvFromSpec(ctx: MeterContext, file: string): Promise<MeterCandidate> {
  if (!file) throw new PowerUsageError(`--meter csv: needs a file, e.g. --meter csv:/tmp/power.csv --scope wall`);
  if (!ctx.scope)
    throw new PowerUsageError(
      `--meter csv:${file} needs --scope (what the logger measures: wall, board-input, module-input, soc-rails, accelerator or cpu-package)`,
    );
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    throw new PowerError(`--meter csv:${file}: cannot read the file (${(err as Error).message})`);
  }
  const info = { spec: `csv:${file}`, kind: "csv", scope: ctx.scope, method: "sampled" as const, label: file, ownRate: true };
  const open = async (): Promise<StreamSource> => {
    let follower: CsvFollower | undefined;
    let timer: NodeJS.Timeout | undefined;
    const toHr = (wallMs: number) => ctx.clock.hrNs + BigInt(Math.round((wallMs - ctx.clock.wallMs) * 1e6));
    return {
      ...info,
      mode: "stream",
      start(sink: ReadingSink) {
        follower = new CsvFollower(
          file,
          (wall, w) => sink.reading(toHr(wall), w),
          (msg) => sink.error(new Error(msg), process.hrtime.bigint()),
        );
        const pull = () => {
          try {
            follower!.pull();
          } catch (err) {
            sink.error(err, process.hrtime.bigint());
          }
        };
        pull();
        timer = setInterval(pull, 1000);
        timer.unref();
      },
      catchUp() {
        try {
          follower?.pull();
        } catch {
          // reported by the timer's next pull
        }
      },
      async close() {
        if (timer) clearInterval(timer);
      },
    };
  };
  return { ...info, available: true, open };
}
