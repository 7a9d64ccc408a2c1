import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeRed, type NodeRedProcess } from '../../../support/node-red-runtime';

/**
 * Several real Node-RED runtimes (the project's dependency, the built package linked in), each with its own
 * user directory, all running the same flow. An instance killed with SIGKILL is started again on its own user
 * directory, so it comes back with the flow (and its credentials) it had.
 */
export class NodeRedCluster {
  readonly instances: NodeRedProcess[] = [];
  private readonly userDirs: string[] = [];
  kills = 0;

  constructor(private readonly env: Record<string, string>) {}

  async start(count: number, flow: object[]): Promise<string[]> {
    for (let n = 0; n < count; n++) this.userDirs.push(mkdtempSync(join(tmpdir(), `scale-node-red-${n}-`)));
    const started = await Promise.all(this.userDirs.map((userDir) => startNodeRed({ userDir, env: this.env })));
    this.instances.push(...started);
    await Promise.all(started.map((instance) => instance.deploy(flow)));
    return started.map((instance) => instance.url);
  }

  /** SIGKILL: whatever the instance was doing is cut off. */
  async kill(index: number): Promise<void> {
    const child = this.instances[index]!.child;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.kills++;
  }

  /** Starts a killed instance again on its user directory; resolves with its (new) URL. */
  async restart(index: number): Promise<string> {
    this.instances[index] = await startNodeRed({ userDir: this.userDirs[index]!, env: this.env });
    return this.instances[index]!.url;
  }

  logs(): string {
    return this.instances.map((instance, n) => `──── node-red ${n} ────\n${instance.log().slice(-3_000)}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.instances.map((instance) => instance.stop()));
    for (const dir of this.userDirs) rmSync(dir, { recursive: true, force: true });
  }
}
