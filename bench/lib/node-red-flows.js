// The flows figure 2 deploys (and bench/profile/node-red.js profiles): the incident-intake node (PagerDuty
// source, signature verified, SQLite store in the user directory, review mode, review output wired) and a bare
// `http in → http response` flow, side by side on one Node-RED.
'use strict';
const { SECRETS } = require('./payloads');

const INTAKE_PATH = '/intake/pagerduty';
const BARE_PATH = '/bare';

function benchFlows() {
  return [
    { id: 'bench-tab', type: 'tab', label: 'bench' },
    { id: 'bench-store', type: 'intake-store', name: 'bench store', sqlitePath: 'bench-intake.sqlite' },
    {
      id: 'bench-source', type: 'intake-source', name: 'PagerDuty', tenant: 'bench', sourceId: 'bench-pagerduty', provider: 'pagerduty',
      mode: 'review', scheme: 'pagerduty', signatureHeader: '', timestampHeader: '', queryParam: '', toleranceSeconds: '300',
      maxBodyKb: '256', sourcePerHour: '1000000000', tenantPerDay: '1000000000', quarantineDisableCount: '50', quarantineWindowSeconds: '3600',
      mappingExpression: '', severityFilter: '', regulatoryRefsPath: '', timezone: '', instance: '',
      credentials: { secret: SECRETS.pagerduty },
    },
    // The review output is wired (to a junction, which passes it on to nothing), so each request's message is
    // read back and sent along a wire, as the bare flow sends its message on to its http response node.
    { id: 'bench-intake', type: 'incident-intake', z: 'bench-tab', name: 'intake', source: 'bench-source', store: 'bench-store', path: INTAKE_PATH, x: 150, y: 60, wires: [['bench-intake-review'], [], []] },
    { id: 'bench-intake-review', type: 'junction', z: 'bench-tab', x: 350, y: 60, wires: [] },
    { id: 'bench-bare-in', type: 'http in', z: 'bench-tab', name: 'bare', url: BARE_PATH, method: 'post', upload: false, swaggerDoc: '', x: 150, y: 120, wires: [['bench-bare-out']] },
    { id: 'bench-bare-out', type: 'http response', z: 'bench-tab', name: '', statusCode: '', headers: {}, x: 350, y: 120, wires: [] },
  ];
}

module.exports = { benchFlows, INTAKE_PATH, BARE_PATH };
