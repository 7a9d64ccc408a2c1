import { parseSourceConfig } from '../../../core/intake/source-config';
import { disableSourceManually, enableSource, listQuarantined, rotateSourceSecret, sourceHealth } from '../../../core/sources/source-admin';
import { authInput, type SourceAuthCredential } from '../../shared/source-auth';
import { actorField, flag, number, shownFor, text, type OperationContext, type Resource } from './operation';

/**
 * n8n nodes cannot write credentials, so a rotation is two steps: the user puts the new secret in the source
 * auth credential (old one as Previous Secret), then this operation audits the rotation and says until when
 * the previous secret should stay valid — the value for the credential's "Previous Secret Valid Until".
 */
async function rotateSecret(c: OperationContext) {
  const credential = (await c.fn.getCredentials('incidentIntakeSourceAuthApi', c.item)) as SourceAuthCredential;
  const auth = authInput(credential)!;
  const [current, ...previous] = auth.secrets ?? [];
  if (!current) throw new RangeError('the source auth credential has no secret to rotate to');
  const source = parseSourceConfig({ tenant: c.tenant, id: text(c, 'sourceId'), auth: { ...auth, secrets: previous.map(({ value }) => ({ value })) } });
  const graceSeconds = Math.round(number(c, 'graceHours', 24) * 3600);
  const rotatedAt = Date.now();
  const secrets = await rotateSourceSecret(c.store, source, current.value, { graceSeconds, actor: text(c, 'actor') });
  const until = secrets[1]?.expiresAt;
  return {
    sourceId: source.id,
    rotatedAt: new Date(rotatedAt).toISOString(),
    liveSecrets: secrets.length,
    previousSecretValidUntil: until === undefined ? null : new Date(until).toISOString(),
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
      { name: 'Rotate Secret', value: 'rotateSecret', action: 'Rotate the secret of a source' },
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
      displayName: 'Grace Period (Hours)',
      name: 'graceHours',
      type: 'number',
      typeOptions: { minValue: 0 },
      default: 24,
      description: "How long the credential's Previous Secret stays valid. Put the returned time into the credential.",
      displayOptions: shownFor('source', ['rotateSecret']),
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
