import { createHash } from 'node:crypto';
import { defineSource, type SourceDefinition, type SourceDefinitionInput } from '../../core/intake/define-source';
import { createNormaliser, type ClosableNormaliser } from '../../core/mapping/create-normaliser';
import { registerSource } from '../../core/sources/source-admin';
import { acquireStore, type StoreLease } from './store-cache';

/** What one trigger node needs per request, built once per configuration and kept while it is active. */
export interface IntakeRuntime {
  definition: SourceDefinition;
  normaliser: ClosableNormaliser;
  location: string;
}

interface Entry extends IntakeRuntime {
  fingerprint: string;
  activation?: StoreLease;
}

export interface RuntimeInput {
  /** Workflow, node and webhook kind (test or production): one runtime each. */
  key: string;
  definitionInput: SourceDefinitionInput;
  location: string;
}

const entries = new Map<string, Entry>();

function fingerprintOf(input: RuntimeInput): string {
  return createHash('sha256').update(JSON.stringify([input.definitionInput, input.location])).digest('hex');
}

/** The runtime for a node's current configuration; a changed configuration replaces the old one. Throws on invalid config. */
export async function intakeRuntime(input: RuntimeInput): Promise<IntakeRuntime> {
  const fingerprint = fingerprintOf(input);
  const existing = entries.get(input.key);
  if (existing?.fingerprint === fingerprint) return existing;
  const definition = defineSource(input.definitionInput);
  const entry: Entry = { fingerprint, definition, normaliser: createNormaliser(definition.mapping), location: input.location, activation: existing?.activation };
  entries.set(input.key, entry);
  await existing?.normaliser.close();
  return entry;
}

/** Activation: validates the source, keeps its store open and registers the source so health exists before the first event. */
export async function activateIntake(input: RuntimeInput): Promise<void> {
  const runtime = (await intakeRuntime(input)) as Entry;
  runtime.activation ??= await acquireStore(runtime.location);
  await registerSource(runtime.activation.store, runtime.definition.source);
}

export function isIntakeActive(key: string): boolean {
  return entries.get(key)?.activation !== undefined;
}

/** Deactivation: closes the mapping workers' hold and gives back the store lease. */
export async function deactivateIntake(key: string): Promise<void> {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  await entry.normaliser.close();
  await entry.activation?.release();
}
