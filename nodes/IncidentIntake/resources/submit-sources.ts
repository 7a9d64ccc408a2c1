import { defineSource, type SourceDefinition, type SourceDefinitionInput } from '../../../core/intake/define-source';
import { createNormaliser, type ClosableNormaliser } from '../../../core/mapping/create-normaliser';

interface PreparedSource {
  definition: SourceDefinition;
  normaliser: ClosableNormaliser;
}

/**
 * The sources one execution of Event → Submit works with, each validated and its mapping compiled once
 * however many items use it (a custom mapping holds the mapping workers while open). Closed when the
 * execution ends.
 */
export class SubmitSources {
  private readonly prepared = new Map<string, PreparedSource>();

  get(input: SourceDefinitionInput): PreparedSource {
    // the key is held in memory for this execution only; it may contain the source's secret
    const key = JSON.stringify(input);
    let found = this.prepared.get(key);
    if (!found) {
      const definition = defineSource(input);
      found = { definition, normaliser: createNormaliser(definition.mapping) };
      this.prepared.set(key, found);
    }
    return found;
  }

  async close(): Promise<void> {
    const all = [...this.prepared.values()];
    this.prepared.clear();
    await Promise.all(all.map(({ normaliser }) => normaliser.close()));
  }
}
