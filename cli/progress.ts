/** Shows how far a long operation got: a redrawn bar on a terminal, a count line now and then otherwise (logs, CI). */
export interface Progress {
  update(done: number, total?: number): void;
  /** Ends the bar or count lines; the caller prints its own summary afterwards. */
  finish(): void;
}

const WIDTH = 24;
/** Without a terminal, a new line at most this often, so a log is not flooded. */
const LOG_EVERY_MS = 2_000;

function bar(done: number, total: number): string {
  const filled = total === 0 ? WIDTH : Math.min(WIDTH, Math.round((done / total) * WIDTH));
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}]`;
}

function line(label: string, done: number, total: number | undefined, drawBar: boolean): string {
  if (total === undefined) return `${label}: ${done}`;
  return `${label}: ${drawBar ? `${bar(done, total)} ` : ''}${done}/${total}`;
}

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, label: string, now: () => number = Date.now): Progress {
  const terminal = stream.isTTY === true;
  let lastLogAt = -Infinity;
  let last: { done: number; total?: number } | undefined;
  let logged: string | undefined;
  const log = (text: string) => {
    if (text === logged) return;
    stream.write(`${text}\n`);
    logged = text;
  };
  return {
    update(done, total) {
      last = { done, total };
      if (terminal) {
        stream.write(`\r${line(label, done, total, true)}`);
      } else if (now() - lastLogAt >= LOG_EVERY_MS) {
        lastLogAt = now();
        log(line(label, done, total, false));
      }
    },
    finish() {
      if (!last) return;
      if (terminal) stream.write('\n');
      else log(line(label, last.done, last.total, false));
    },
  };
}
