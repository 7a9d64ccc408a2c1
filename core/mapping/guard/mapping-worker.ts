import { decodeUtf8 } from '../../intake/decode-utf8';
import { parseJsonText } from '../../intake/parse-json-text';
import { loadBuiltins } from '../compiled/jsonata-builtins';
import type { EvaluationBindings, EvaluationPlan } from '../evaluation-plan';
import { withoutPlaceholders } from '../placeholders';
import { runMapping } from '../run-mapping';
import type { MappingRunOutput } from '../run-mapping';
import { WORKER_MARKER } from './worker-script';

/**
 * Mapping worker process: evaluates untrusted mappings so that a runaway one — a catastrophic regular
 * expression JSONata's own time limit cannot interrupt, or one giant allocation that would abort a whole
 * process — only ever takes down this process, which the pool then replaces. It sees nothing but the jobs
 * it is sent: the pool starts it with an empty environment apart from the marker below.
 *
 * Started from source in tests (Node strips the types): erasable syntax and `import type` only.
 */

/** A large body's bytes, decoded and parsed here rather than on the host's event loop. */
export interface JsonBodyInput {
  body: Uint8Array;
  maxDepth: number;
  /** The preset's placeholder patterns, as [source, flags]. */
  placeholders: Array<[string, string]>;
}

export interface MappingJob {
  id: number;
  plan: EvaluationPlan;
  payload?: unknown;
  json?: JsonBodyInput;
  bindings: EvaluationBindings;
}

/** `evaluated` is sent the moment the mapping has produced its result, before it is checked and sent back. */
export type MappingWorkerMessage = { ready: true } | { id: number; evaluated: true } | { id: number; output: MappingRunOutput };

// Only act when started by the pool: test runners also give their processes an IPC channel.
if (process.env[WORKER_MARKER] === '1' && process.send) {
  process.on('message', (job: MappingJob) => {
    void run(job).then((output) => {
      send({ id: job.id, evaluated: true });
      reply(job.id, output);
    });
  });
  process.on('disconnect', () => process.exit(0));
  // Ready once the compiled mappings' built-ins are loaded, so no job's deadline pays for that.
  void loadBuiltins().finally(() => send({ ready: true }));
}

function run(job: MappingJob): Promise<MappingRunOutput> {
  if (job.json === undefined) return runMapping(job.plan, job.payload, job.bindings);
  const decoded = decodeUtf8(job.json.body);
  const parsed = decoded.ok ? parseJsonText(decoded.text, job.json.maxDepth) : decoded;
  if (!parsed.ok) return Promise.resolve({ ok: false, malformed: true, reason: { field: 'body', message: parsed.message } });
  const patterns = job.json.placeholders.map(([source, flags]) => new RegExp(source, flags));
  return runMapping(job.plan, withoutPlaceholders(parsed.payload, patterns), job.bindings);
}

/** Largest answer a worker sends back; the host parses it on its own event loop. */
const MAX_OUTPUT_CHARS = 1_000_000;

function reply(id: number, output: MappingRunOutput): void {
  try {
    const size = JSON.stringify(output).length;
    if (size > MAX_OUTPUT_CHARS) {
      const message = `the mapping output is ${size} characters, over the ${MAX_OUTPUT_CHARS} a mapping may return`;
      send({ id, output: { ok: false, reason: { field: 'mapping', message } } });
      return;
    }
    send({ id, output });
  } catch (error) {
    const message = `mapping output could not be returned: ${error instanceof Error ? error.message : String(error)}`;
    send({ id, output: { ok: false, reason: { field: 'mapping', message } } });
  }
}

function send(message: MappingWorkerMessage): void {
  process.send?.(message);
}
