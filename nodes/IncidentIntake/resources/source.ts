import { parseSourceConfig } from '../../../core/intake/source-config';
import { InvalidRequestError } from '../../../core/errors';
import { endSealedPrevious, reconcileSealedSecrets } from '../../../core/sources/sealed-source-secrets';
import { disableSourceManually, enableSource, listQuarantined, sourceHealth } from '../../../core/sources/source-admin';
import { sourceSecretVault } from '../../shared/outbox-vault';
import { authInput, type SourceAuthCredential } from '../../shared/source-auth';
import type { StoreCredential } from '../../shared/store-location';
import { actorField, flag, number, shownFor, text, type OperationContext, type Resource } from './operation';

/**
 * n8n nodes cannot write credentials, so the store keeps the secrets a credential edit replaced (sealed under
 * the store credential's encryption key; see docs/rotation.md). Run after the source auth credential's Secret
 * was replaced: rotates to it now, with the actor and the chosen end for the replaced secret (a grace, or
 * revoked at once) — or, when the trigger has already taken the new secret up, sets that end. Outputs
 * names and times, never a secret.
 */
async function rotateSecret(c: OperationContext) {
  const storeCredential = (await c.fn.getCredentials('incidentIntakeStoreApi', c.item)) as StoreCredential;
  const vault = sourceSecretVault(storeCredential);
  if (!vault) throw new InvalidRequestError('Rotate Secret needs an Outbox Encryption Key in the intake store credential: the store keeps the replaced secret sealed with it');
  const credential = (await c.fn.getCredentials('incidentIntakeSourceAuthApi', c.item)) as SourceAuthCredential;
  const source = parseSourceConfig({ tenant: c.tenant, id: text(c, 'sourceId'), auth: authInput(credential) });
  const revoke = text(c, 'replacedSecret', 'grace') === 'revoke';
  const options = { actor: text(c, 'actor'), graceSeconds: Math.round(number(c, 'graceHours', 24) * 3600), revoke };
  if (!options.actor) throw new InvalidRequestError('an actor is required to rotate a secret');
  const reconciled = await reconcileSealedSecrets(c.store, vault, source, options);
  if (reconciled.problem && !reconciled.rotation) throw new InvalidRequestError(reconciled.problem);
  const result = reconciled.rotation
    ? { rotated: true, previousValidUntil: reconciled.rotation.previousValidUntil, live: reconciled.secrets.length, replaced: reconciled.rotation.replaced }
    : await endSealedPrevious(c.store, vault, source, options).then((ended) => ({ rotated: false, previousValidUntil: ended.previousValidUntil, live: ended.secrets.length, replaced: ended.changed }));
  return {
    sourceId: source.id,
    rotated: result.rotated,
    replacedSecrets: result.replaced,
    replacedSecretRevoked: revoke || result.previousValidUntil === null,
    previousValidUntil: result.previousValidUntil === null ? null : new Date(result.previousValidUntil).toISOString(),
    liveSecrets: result.live,
  };
}

export const sourceResource: Resource = {
  operations: {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['source'] } },
    options: [
      { name: 'Disable', value: 'disable', action: 'Disable a source', description: 'Refuse its requests (503) until re-enabled' },
      { name: 'Enable', value: 'enable', action: 'Enable a source', description: 'Re-enable a source after a clean test event' },
      { name: 'Get Health', value: 'getHealth', action: 'Get the health of a source' },
      { name: 'List Quarantined', value: 'listQuarantined', action: 'List quarantined events of a source' },
      { name: 'Rotate Secret', value: 'rotateSecret', action: 'Rotate the secret of a source', description: "Take up the source auth credential's new secret now, with a grace or a revocation for the old one" },
    ],
    default: 'getHealth',
  },
  fields: [
    {
      displayName: 'Source ID',
      name: 'sourceId',
      type: 'string',
      default: '',
      required: true,
      displayOptions: { show: { resource: ['source'] } },
    },
    actorField('source', ['disable', 'enable', 'rotateSecret']),
    {
      displayName: 'Reason',
      name: 'reason',
      type: 'string',
      default: '',
      required: true,
      displayOptions: shownFor('source', ['disable']),
    },
    {
      displayName: 'Force',
      name: 'force',
      type: 'boolean',
      default: false,
      description: 'Whether to enable without a clean test event since it was disabled (audited as forced)',
      displayOptions: shownFor('source', ['enable']),
    },
    {
      displayName: 'Replaced Secret',
      name: 'replacedSecret',
      type: 'options',
      options: [
        { name: 'Keep Live for the Grace Period', value: 'grace', description: 'The sender may still use it until the grace period ends' },
        { name: 'Revoke Now', value: 'revoke', description: 'Refuse it at once, e.g. for a compromised key' },
      ],
      default: 'grace',
      description: "What happens to the secret the source auth credential's Secret replaced",
      displayOptions: shownFor('source', ['rotateSecret']),
    },
    {
      displayName: 'Grace Period (Hours)',
      name: 'graceHours',
      type: 'number',
      typeOptions: { minValue: 0, maxValue: 720 },
      default: 24,
      description: 'How long the replaced secret stays live, from now',
      displayOptions: { show: { resource: ['source'], operation: ['rotateSecret'], replacedSecret: ['grace'] } },
    },
    {
      displayName: 'Limit',
      name: 'limit',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 50,
      description: 'Max number of results to return',
      displayOptions: shownFor('source', ['listQuarantined']),
    },
  ],
  run: {
    getHealth: (c) => sourceHealth(c.store, c.tenant, text(c, 'sourceId')),
    enable: (c) => enableSource(c.store, c.tenant, text(c, 'sourceId'), text(c, 'actor'), { force: flag(c, 'force') }),
    disable: (c) => disableSourceManually(c.store, c.tenant, text(c, 'sourceId'), text(c, 'reason'), text(c, 'actor')),
    listQuarantined: (c) => listQuarantined(c.store, c.tenant, text(c, 'sourceId'), number(c, 'limit', 50)),
    rotateSecret,
  },
};
