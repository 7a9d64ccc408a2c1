import { parentPort } from 'node:worker_threads';
import type { EvaluationBindings, EvaluationPlan } from '../evaluation-plan';
import { runMapping } from '../run-mapping';
import type { MappingRunOutput } from '../run-mapping';

/**
 * Mapping worker thread: evaluates untrusted mappings so a runaway one (a catastrophic regular expression
 * JSONata's own time limit cannot interrupt) only ever blocks this thread, which the pool then terminates.
 * It sees nothing but the job it is sent: the pool starts it with an empty environment.
 *
 * Started from source in tests (Node strips the types): erasable syntax and `import type` only.
 */

export interface MappingJob {
  id: number;
  plan: EvaluationPlan;
  payload: unknown;
  bindings: EvaluationBindings;
}

export type MappingWorkerMessage = { ready: true } | { id: number; output: MappingRunOutput };

const port = parentPort;
if (port) {
  port.on('message', (job: MappingJob) => {
    void runMapping(job.plan, job.payload, job.bindings).then((output) => reply(job.id, output));
  });
  port.postMessage({ ready: true } satisfies MappingWorkerMessage);
}

function reply(id: number, output: MappingRunOutput): void {
  try {
    port?.postMessage({ id, output } satisfies MappingWorkerMessage);
  } catch (error) {
    const message = `mapping output could not be returned: ${error instanceof Error ? error.message : String(error)}`;
    port?.postMessage({ id, output: { ok: false, reason: { field: 'mapping', message } } } satisfies MappingWorkerMessage);
  }
}
