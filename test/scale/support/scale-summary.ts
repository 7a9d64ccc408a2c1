import type { CountingReceiver } from './counting-receiver';
import type { StoreFacts } from './store-facts';
import type { Traffic } from './traffic';
import type { ScaleWorker } from './worker-process';

export interface RunFigures {
  traffic: Traffic;
  workers: ScaleWorker[];
  receiver: CountingReceiver;
  facts: StoreFacts;
  heldAtKill: number;
  reclaimed: number;
  seconds: number;
}

/** One line with the run's numbers, for the test log. */
export function summarise({ traffic, workers, receiver, facts, heldAtKill, reclaimed, seconds }: RunFigures): string {
  const { sent } = traffic;
  const kinds = countBy(sent.map((entry) => entry.request.kind));
  const resent = countBy(sent.flatMap((entry) => entry.exchanges.flatMap((copy) => copy.slice(0, -1))).map((answer) => answer.status || 'no answer'));
  const messages = countBy(workers.flatMap((worker) => worker.messages).map((message) => message.type));
  const receiverAnswers = countBy([...receiver.answers.values()].flat().map((answer) => answer.status));
  return [
    `scale-out: ${workers.length} worker processes (${workers.length - 1} at a time), 1 SIGKILLed with ${heldAtKill} deliveries in flight (${reclaimed} attempts reclaimed after their lease) and replaced`,
    `${sent.length} requests ${JSON.stringify(kinds)}, ${traffic.sender.attempts} HTTP requests`,
    `${sent.filter((entry) => entry.exchanges.length > 1).length} transport retries (same message id to another worker), re-sent after ${JSON.stringify(resent)}`,
    `${traffic.accepted().length} accepted, ${traffic.answers().filter((answer) => answer.status === 429).length} × 429`,
    `${facts.incidents.length} incidents, ${messages.promoted ?? 0} promotions, ${messages.conflict ?? 0} promotion conflicts`,
    `${facts.deliveries.length} deliveries, receiver answers ${JSON.stringify(receiverAnswers)}`,
    `${messages.error ?? 0} worker errors`,
    `${seconds.toFixed(1)} s from spawn to drained`,
  ].join('; ');
}

function countBy(values: ReadonlyArray<string | number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
