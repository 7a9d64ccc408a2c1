// The parts of node-red-node-test-helper the tests use; the package ships no types.
declare module 'node-red-node-test-helper' {
  interface TestNode {
    id: string;
    on(event: string, listener: (...args: any[]) => void): this;
    receive(msg: unknown): void;
    [key: string]: any;
  }
  interface NodeTestHelper {
    init(runtimePath: string, userSettings?: Record<string, unknown>): void;
    load(nodes: unknown, flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
    load(nodes: unknown, flow: unknown[], credentials: Record<string, unknown>, done: () => void): void;
    unload(): Promise<void>;
    getNode(id: string): TestNode;
    log(): any;
    [key: string]: any;
  }
  const helper: NodeTestHelper;
  export default helper;
}
