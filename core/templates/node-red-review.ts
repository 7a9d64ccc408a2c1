import type { ResolvedClient } from './resolve-template';
import type { FlowNode } from './node-red-sources';
import { stableHexId } from './stable-id';

/** Compares the X-Review-Token header with the environment variable in constant time; an unset variable admits no one. */
function tokenCheck(tokenEnv: string): string {
  return [
    `const expected = env.get(${JSON.stringify(tokenEnv)}) || '';`,
    "const given = String((msg.req && msg.req.headers['x-review-token']) || '');",
    'let diff = expected === "" ? 1 : given.length ^ expected.length;',
    'for (let i = 0; i < expected.length; i++) diff |= (given.charCodeAt(i) | 0) ^ expected.charCodeAt(i);',
    'if (diff === 0) return [msg, null];',
    "msg.statusCode = 401;",
    "msg.payload = { error: 'X-Review-Token is missing or wrong' };",
    'return [null, msg];',
  ].join('\n');
}

/**
 * The approval route: POST {eventId, actor, reason} with the X-Review-Token header → promote → 200 with the
 * incident, and on to the destinations; a refused promotion (already decided, unknown event) answers 409.
 */
export function reviewNodes(client: ResolvedClient, placement: { z: string; storeId: string; sourceId: string; y: number; destinationIds: string[] }): FlowNode[] {
  const review = client.review!;
  const id = (part: string) => stableHexId('node-red', client.key, 'review', part);
  const { z, y } = placement;
  return [
    { id: id('in'), type: 'http in', z, name: 'review decision', url: review.path, method: 'post', upload: false, swaggerDoc: '', x: 140, y, wires: [[id('auth')]] },
    { id: id('auth'), type: 'function', z, name: 'check X-Review-Token', func: tokenCheck(review.tokenEnv), outputs: 2, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 360, y, wires: [[id('promote')], [id('refused')]] },
    {
      id: id('promote'), type: 'incident-review', z, name: 'promote', source: placement.sourceId, store: placement.storeId, action: 'promote',
      eventId: 'payload.eventId', eventIdType: 'msg', actor: 'payload.actor', actorType: 'msg', reason: 'payload.reason', reasonType: 'msg',
      x: 580, y, wires: [[id('ok'), ...placement.destinationIds]],
    },
    { id: id('ok'), type: 'http response', z, name: '200 incident', statusCode: '200', headers: {}, x: 800, y: y - 40, wires: [] },
    { id: id('refused'), type: 'http response', z, name: '401', statusCode: '', headers: {}, x: 580, y: y + 60, wires: [] },
    { id: id('catch'), type: 'catch', z, name: 'promotion refused', scope: [id('promote')], uncaught: false, x: 150, y: y + 120, wires: [[id('conflict')]] },
    {
      id: id('conflict'), type: 'change', z, name: '409 + reason',
      rules: [
        { t: 'set', p: 'statusCode', pt: 'msg', to: '409', tot: 'num' },
        { t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' },
      ],
      x: 360, y: y + 120, wires: [[id('conflict-out')]],
    },
    { id: id('conflict-out'), type: 'http response', z, name: '409', statusCode: '', headers: {}, x: 580, y: y + 120, wires: [] },
  ];
}
