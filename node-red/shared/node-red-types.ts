import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';

export type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow };

export type SendFunction = (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void;
export type DoneFunction = (error?: Error) => void;

/** Ends an async input handler the Node-RED way: every path calls `done`, and nothing rejects unhandled. */
export function finishInput(work: Promise<void>, done: DoneFunction): void {
  work.then(
    () => done(),
    (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
  );
}

/** Runs async cleanup inside a `close(removed, done)` handler without letting a rejection escape. */
export function finishClose(node: Node, work: Promise<unknown>, done: () => void): void {
  work.catch((error: unknown) => node.warn(`incident-intake: cleanup failed: ${error instanceof Error ? error.message : String(error)}`)).finally(done);
}
