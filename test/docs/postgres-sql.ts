import { openStore } from '../../core/store/open-store';
import { PostgresCluster, postgresSupport } from '../support/postgres-cluster';

/**
 * Runs a documented set-up script (CREATE ROLE / CREATE DATABASE) on a throwaway PostgreSQL, then opens the
 * store as the documented role on that database: its migrations must run with the rights the script gives.
 * Returns undefined when the PostgreSQL binaries are missing (the caller reports that as a skip reason).
 */
export async function postgresSetupProblems(sql: string): Promise<string[] | undefined> {
  const { binaries } = postgresSupport();
  if (!binaries) return undefined;
  const role = /CREATE ROLE (\w+) LOGIN PASSWORD '([^']*)'/i.exec(sql);
  const database = /CREATE DATABASE (\w+)/i.exec(sql)?.[1];
  if (!role || !database) return ['expected CREATE ROLE <name> LOGIN PASSWORD … and CREATE DATABASE <name>'];
  const cluster = await PostgresCluster.start(binaries);
  try {
    for (const statement of sql.split(';').map((text) => text.trim()).filter(Boolean)) await cluster.admin(statement);
    const port = new URL(cluster.connectionString()).port;
    const store = await openStore(`postgres://${role[1]}:${encodeURIComponent(role[2]!)}@127.0.0.1:${port}/${database}`);
    await store.close();
    return [];
  } finally {
    await cluster.destroy();
  }
}
