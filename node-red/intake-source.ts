import { defineSource } from '../core/intake/define-source';
import { createNormaliser, type ClosableNormaliser } from '../core/mapping/create-normaliser';
import { previewMapping } from '../core/mapping/preview-mapping';
import { MappingConfigError } from '../core/mapping/validate-mapping-config';
import { definitionInput, type IntakeSourceDef, type IntakeSourceNode } from './shared/intake-source-settings';
import { finishClose, type NodeAPI } from './shared/node-red-types';
import { registerRotationEndpoints } from './shared/rotation-endpoints';

/** Node-RED's editor cannot show a mapping error at save time itself, so the preview endpoint reports it. */
function registerPreviewEndpoint(RED: NodeAPI): void {
  RED.httpAdmin.post('/incident-intake/preview', RED.auth.needsPermission('incident-intake.write'), (req, res) => {
    const { payload, mapping } = (req.body ?? {}) as { payload?: unknown; mapping?: Record<string, unknown> };
    if (payload === undefined || mapping === undefined) {
      res.status(400).json({ error: 'send { payload, mapping } as JSON' });
      return;
    }
    previewMapping(payload, mapping as never).then(
      (result) => res.json(result),
      (error: unknown) => {
        if (error instanceof MappingConfigError) res.status(400).json({ error: error.message, issues: error.issues });
        else res.status(500).json({ error: 'the preview failed' });
      },
    );
  });
}

export = function registerIntakeSource(RED: NodeAPI): void {
  function IntakeSource(this: IntakeSourceNode, def: IntakeSourceDef) {
    RED.nodes.createNode(this, def);
    try {
      this.definition = defineSource(definitionInput(def, this.credentials));
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
      this.error(`incident-intake source ${def.name || def.id}: ${this.problem}`);
    }
    // Intake nodes hold this source object: a rotation swaps the secrets they verify with in place.
    this.replaceSecrets = (secrets) => {
      if (this.definition) this.definition.source.auth.secrets = secrets;
    };
    let normaliser: ClosableNormaliser | undefined;
    this.normaliser = () => {
      if (!this.definition) throw new Error(this.problem ?? 'invalid intake source');
      return (normaliser ??= createNormaliser(this.definition.mapping));
    };
    this.on('close', (_removed: boolean, done: () => void) => finishClose(this, normaliser?.close() ?? Promise.resolve(), done));
  }
  RED.nodes.registerType('intake-source', IntakeSource as never, {
    credentials: { secret: { type: 'password' }, previousSecret: { type: 'password' }, previousSecretExpiresAt: { type: 'text' }, retiringSecrets: { type: 'password' } },
  });
  registerPreviewEndpoint(RED);
  registerRotationEndpoints(RED);
};
