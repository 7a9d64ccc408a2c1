// Splits a V8 .cpuprofile of the Node-RED process into who the CPU was spent for: the core pipeline
// (handleIntake: verify, map, store), the Node-RED adapter around it (node-red/, serveIntake, the body read),
// and the host (Node-RED, Express, Node's HTTP). Each sample goes to the innermost frame of our own build on
// its stack (so Node-RED code the adapter calls, e.g. message cloning in `send`, counts for the adapter);
// samples with none of our frames go by the innermost library frame (jsonata → pipeline), else to the host.
// Limits: the adapter's read-back of a stored request (outcomeDetails) runs in store code and counts as
// pipeline; microtask bookkeeping (runMicrotasks) has no frame of ours and counts as host.
'use strict';

const ADAPTER = [/\/dist\/node-red\//, /\/dist\/core\/http\/(serve-intake|content-encoding)\.js/, /\/dist\/core\/limits\/read-capped-body\.js/];
const PIPELINE = [/\/dist\/core\//, /\/node_modules\/jsonata\//, /\/node_modules\/zod\//];

function categoryOf(url) {
  if (!url) return undefined;
  if (ADAPTER.some((pattern) => pattern.test(url))) return 'adapter';
  if (PIPELINE.some((pattern) => pattern.test(url))) return 'pipeline';
  return undefined;
}

const SPECIAL = new Map([
  ['(idle)', 'idle'],
  ['(garbage collector)', 'gc'],
  ['(program)', 'program'],
  // The socket write itself (on loopback the kernel's whole send path): the same for any answer, whoever writes it.
  ['writeUtf8String', 'socket'],
  ['writeBuffer', 'socket'],
  ['writev', 'socket'],
  ['writeLatin1String', 'socket'],
]);

/**
 * { totals: { pipeline, adapter, host, socket, gc, program, idle } in µs, top: { category: [[frame, selfµs], …] } },
 * counting only samples taken between `from` and `to` (µs on the monotonic clock, as `process.hrtime`) when given.
 */
function breakdown(profile, { from = -Infinity, to = Infinity } = {}) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const categoryCache = new Map();
  const categorise = (id) => {
    if (categoryCache.has(id)) return categoryCache.get(id);
    const frame = byId.get(id).callFrame;
    let category = SPECIAL.get(frame.functionName);
    for (let at = id; !category && at !== undefined; at = parent.get(at)) category = categoryOf(byId.get(at).callFrame.url);
    category ??= 'host';
    categoryCache.set(id, category);
    return category;
  };
  const totals = { pipeline: 0, adapter: 0, host: 0, socket: 0, gc: 0, program: 0, idle: 0 };
  const self = { pipeline: new Map(), adapter: new Map(), host: new Map() };
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index];
    const micros = profile.timeDeltas[index + 1] ?? 0;
    if (at < from || at > to) return;
    const category = categorise(id);
    totals[category] += micros;
    if (!self[category]) return;
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`;
    self[category].set(key, (self[category].get(key) ?? 0) + micros);
  });
  const top = Object.fromEntries(Object.entries(self).map(([category, map]) => [category, [...map].sort((a, b) => b[1] - a[1]).slice(0, 25)]));
  return { totals, top };
}

module.exports = { breakdown };
