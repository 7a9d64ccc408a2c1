// settings.js for each Node-RED instance of the reference deployment (docker-compose.yml). Every instance has its
// own user directory (/data); the flow and these settings are the same on all of them.
module.exports = {
  uiPort: 1880,
  flowFile: 'flows.json',
  // The same secret on every instance, so one exported flows_cred.json opens on each (it holds the store URL).
  credentialSecret: process.env.NODE_RED_CREDENTIAL_SECRET,
  // Delivery nodes refuse private addresses unless allowed; list the receivers they may reach.
  incidentIntake: { outbound: { allow: [], deny: [], allowOnly: false } },
  logging: { console: { level: 'info', metrics: false, audit: false } },
  telemetry: { enabled: false, updateNotification: false },
};
