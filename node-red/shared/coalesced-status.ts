import type { Node } from './node-red-types';

export type NodeStatus = Exclude<Parameters<Node['status']>[0], string>;

export interface CoalescedStatus {
  /** Shows `status` now, or when the current quiet period ends if one was shown less than the interval ago. */
  show(status: NodeStatus): void;
  /** Drops a status still waiting to be shown (the node is closing). */
  stop(): void;
}

/**
 * A node's status shown at most once per `intervalMs`, always ending on the latest one. Every status the
 * runtime shows is an event for status nodes and a message to every open editor, which a node that sets
 * it per request would otherwise send hundreds of times a second.
 */
export function coalescedStatus(node: Pick<Node, 'status'>, intervalMs: number): CoalescedStatus {
  let pending: NodeStatus | undefined;
  let quietUntil: NodeJS.Timeout | undefined;
  const flush = () => {
    quietUntil = undefined;
    if (!pending) return;
    node.status(pending);
    pending = undefined;
    quietUntil = setTimeout(flush, intervalMs);
    quietUntil.unref();
  };
  return {
    show(status) {
      pending = status;
      if (!quietUntil) flush();
    },
    stop() {
      clearTimeout(quietUntil);
      quietUntil = undefined;
      pending = undefined;
    },
  };
}
