import type { Request, Response } from 'express';
import { redactText } from '../../core/delivery/redact';
import { InvalidRequestError, NotFoundError } from '../../core/errors';
import type { SecretEntry } from '../../core/signing';
import { revokePreviousSecrets, rotateSourceSecret } from '../../core/sources/secret-rotation';
import type { Store } from '../../core/store/store';
import type { IntakeSourceCredentials, IntakeSourceNode } from './intake-source-settings';
import type { IntakeStoreNode } from './intake-store-settings';
import type { NodeAPI } from './node-red-types';
import { retiringSecretsText } from './retiring-secrets';
import { withoutStoreSecrets } from '../console/deployed-stores';

/** Nodes that tie a source to a store: the rotation is audited in the store they use. */
const STORE_USERS = ['incident-intake', 'incident-review'];

class EndpointError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The intake source's Rotate button and Revoke button (editor → admin API). The runtime holds the credentials,
 * so it moves the current secret into `retiringSecrets` itself — the editor never sees an old secret. The new
 * secret goes to the running nodes at once and into Node-RED's credential store; the next deploy writes that
 * store to disk. Only a generated secret is sent back, once, to be shown in the dialog; nothing secret is logged.
 */
export function registerRotationEndpoints(RED: NodeAPI): void {
  const permission = RED.auth.needsPermission('incident-intake.write');
  RED.httpAdmin.post('/incident-intake/sources/:id/rotate', permission, (req, res) => answer(RED, res, () => rotate(RED, req)));
  RED.httpAdmin.post('/incident-intake/sources/:id/revoke-previous', permission, (req, res) => answer(RED, res, () => revoke(RED, req)));
}

async function rotate(RED: NodeAPI, req: Request): Promise<object> {
  const { node, store } = deployedSource(RED, String(req.params.id));
  const body = (req.body ?? {}) as { graceSeconds?: unknown; revoke?: unknown; secret?: unknown };
  if (body.secret !== undefined && typeof body.secret !== 'string') throw new InvalidRequestError('secret must be a string');
  const graceSeconds = body.graceSeconds === undefined || body.graceSeconds === '' ? undefined : Number(body.graceSeconds);
  const supplied = typeof body.secret === 'string' && body.secret !== '' ? body.secret : undefined;
  const rotation = await rotateSourceSecret(await store, node.definition!.source, { actor: actorOf(req), newSecret: supplied, graceSeconds, revoke: body.revoke === true });
  await saveSecrets(RED, node, rotation.secrets);
  return {
    ...(rotation.generated && { secret: rotation.secret }),
    generated: rotation.generated,
    rotatedAt: new Date(rotation.rotatedAt).toISOString(),
    previousValidUntil: rotation.previousValidUntil === null ? null : new Date(rotation.previousValidUntil).toISOString(),
    revoked: rotation.revoked,
    liveSecrets: rotation.secrets.length,
  };
}

async function revoke(RED: NodeAPI, req: Request): Promise<object> {
  const { node, store } = deployedSource(RED, String(req.params.id));
  const result = await revokePreviousSecrets(await store, node.definition!.source, actorOf(req));
  await saveSecrets(RED, node, result.secrets);
  return { revoked: result.revoked, liveSecrets: result.secrets.length };
}

function deployedSource(RED: NodeAPI, id: string): { node: IntakeSourceNode; store: Promise<Store> } {
  const node = RED.nodes.getNode(id) as IntakeSourceNode | null;
  if (!node || node.type !== 'intake-source') throw new EndpointError(404, 'this intake source is not deployed: deploy it, then rotate');
  if (!node.definition) throw new EndpointError(409, `this intake source is invalid: ${node.problem ?? 'unknown problem'}`);
  let storeId: string | undefined;
  RED.nodes.eachNode((each) => {
    const user = each as unknown as { type: string; source?: string; store?: string };
    if (!storeId && STORE_USERS.includes(user.type) && user.source === id && user.store) storeId = user.store;
  });
  const storeNode = storeId ? (RED.nodes.getNode(storeId) as IntakeStoreNode | null) : null;
  if (!storeNode) throw new EndpointError(409, 'no deployed incident intake node uses this source with a store: the rotation is audited in that store');
  return { node, store: storeNode.store() };
}

/** The new secrets into Node-RED's credential store (saved to disk with the next deploy) and into the running nodes. */
async function saveSecrets(RED: NodeAPI, node: IntakeSourceNode, secrets: SecretEntry[]): Promise<void> {
  const [current, ...retiring] = secrets;
  const saved = { ...((RED.nodes.getCredentials(node.id) ?? {}) as IntakeSourceCredentials) };
  delete saved.previousSecret;
  delete saved.previousSecretExpiresAt;
  delete saved.retiringSecrets;
  const credentials: IntakeSourceCredentials = { ...saved, secret: current!.value, ...(retiring.length > 0 && { retiringSecrets: retiringSecretsText(retiring) }) };
  await RED.nodes.addCredentials(node.id, credentials);
  node.credentials = credentials;
  node.replaceSecrets(secrets);
}

/** The editor user, when the admin API has users; audited as the actor. */
function actorOf(req: Request): string {
  const user = (req as Request & { user?: { username?: string } }).user?.username;
  return user ? `node-red: ${user}` : 'node-red editor';
}

function answer(RED: NodeAPI, res: Response, work: () => Promise<object>): void {
  res.setHeader('Cache-Control', 'no-store');
  work().then(
    (result) => res.json(result),
    (error: unknown) => {
      if (error instanceof EndpointError) res.status(error.status).json({ error: error.message });
      else if (error instanceof InvalidRequestError) res.status(400).json({ error: error.message });
      else if (error instanceof NotFoundError) res.status(404).json({ error: error.message });
      else {
        RED.log.warn(`incident-intake: rotation failed: ${withoutStoreSecrets(redactText(error instanceof Error ? error.message : String(error), []))}`);
        res.status(500).json({ error: 'the rotation failed; the current secret stays live' });
      }
    },
  );
}
