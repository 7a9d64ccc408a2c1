import type { IntakeStoreNode } from '../shared/intake-store-settings';

/** The intake store config nodes of the running flows, in the order they started; the console binds to them. */
const deployed = new Map<string, IntakeStoreNode>();

export function trackStoreNode(node: IntakeStoreNode): () => void {
  deployed.set(node.id, node);
  return () => {
    if (deployed.get(node.id) === node) deployed.delete(node.id);
  };
}

export function deployedStore(id: string): IntakeStoreNode | undefined {
  return deployed.get(id);
}

export function deployedStores(): IntakeStoreNode[] {
  return [...deployed.values()];
}

/** Text with every deployed store's secrets taken out, for an error whose store is not known. */
export function withoutStoreSecrets(text: string): string {
  return deployedStores().reduce((redacted, node) => node.redact(redacted), text);
}
