import { readFile } from 'node:fs/promises';
import { PROVIDERS, isProvider } from '../../core/mapping/providers';
import { previewMapping } from '../../core/mapping/preview-mapping';
import { validateMappingConfig } from '../../core/mapping/validate-mapping-config';
import type { MappingConfigIssue } from '../../core/mapping/validate-mapping-config';
import { UsageError, stringOption } from '../args';
import { EXIT_OK, EXIT_USAGE } from '../command';
import type { CliIO } from '../command';
import { defineCommand } from '../define-command';
import { readAll } from '../read-stdin';

/** Some alert was quarantined: the mapping needs work before this source goes live. */
const EXIT_QUARANTINED = 3;

const USAGE = `Usage: incident-intake map --provider P [--mapping FILE] [--source-config FILE] < payload.json

Maps one provider payload (stdin) to canonical incidents, exactly as intake would, and prints
{"candidates": [...], "quarantined": [{"reasons": [...], ...}], "filtered": [...], "mappingVersion": "..."}

  --provider P           ${PROVIDERS.join(', ')}
                         (may come from the source config instead)
  --mapping FILE         JSONata yielding one canonical incident or an array of them; replaces the
                         provider preset's mapping
  --source-config FILE   JSON with the source's mapping settings: provider, expression, fieldOverrides,
                         customFields, severityFilter, regulatoryRefsPath, instance, timezone,
                         severityTable, statusTable
  --timeout-ms N         time limit for the mapping of one payload (default 1000). A running intake allows
                         250 ms per event on warm workers; this one-shot process evaluates its mapping cold,
                         so the preview allows more. Use 250 to see an intake's quarantine for a slow mapping.

Exit status: 0 every alert became a valid candidate (or was filtered by severity), 3 some alert was
quarantined, 2 usage errors, unreadable files or payload, and mapping syntax errors.`;

export const command = defineCommand({
  name: 'map',
  summary: 'preview how a provider payload (stdin) maps to canonical incidents',
  usage: USAGE,
  options: { provider: { type: 'string' }, mapping: { type: 'string' }, 'source-config': { type: 'string' }, 'timeout-ms': { type: 'string' } },
  async run(values, io) {
    const timeoutMs = timeoutOption(stringOption(values, 'timeout-ms'));
    const mappingFile = stringOption(values, 'mapping');
    const config = await mappingConfigFrom(stringOption(values, 'provider'), mappingFile, stringOption(values, 'source-config'));
    const validation = validateMappingConfig(config);
    if (!validation.ok) {
      for (const issue of validation.issues) io.stderr.write(`incident-intake map: ${describe(issue, mappingFile)}\n`);
      return EXIT_USAGE;
    }
    const payload = await readPayload(io);
    const preview = await previewMapping(payload, validation.config, { timeoutMs });
    io.stdout.write(`${JSON.stringify(preview, null, 2)}\n`);
    return preview.quarantined.length > 0 ? EXIT_QUARANTINED : EXIT_OK;
  },
});

/** A cold one-shot process pays the mapping's first-run cost; intake's 250 ms would quarantine on a busy machine. */
const PREVIEW_TIMEOUT_MS = 1_000;

function timeoutOption(text: string | undefined): number {
  if (text === undefined) return PREVIEW_TIMEOUT_MS;
  if (!/^\d{1,5}$/.test(text) || Number(text) < 10 || Number(text) > 60_000) throw new UsageError('--timeout-ms must be a whole number of milliseconds from 10 to 60000');
  return Number(text);
}

async function mappingConfigFrom(provider: string | undefined, mappingFile: string | undefined, sourceConfigFile: string | undefined): Promise<unknown> {
  const sourceConfig = sourceConfigFile === undefined ? {} : parseJsonObject(await readText(sourceConfigFile, '--source-config'), '--source-config');
  const chosen = provider ?? (typeof sourceConfig.provider === 'string' ? sourceConfig.provider : undefined);
  if (chosen === undefined) throw new UsageError('--provider is required (or "provider" in the source config)');
  if (!isProvider(chosen)) throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}`);
  const expression = mappingFile === undefined ? {} : { expression: await readText(mappingFile, '--mapping') };
  return { ...sourceConfig, provider: chosen, ...expression };
}

async function readText(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}`);
  }
}

function parseJsonObject(text: string, flag: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${flag} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

async function readPayload(io: CliIO): Promise<unknown> {
  const text = (await readAll(io.stdin)).toString('utf8');
  if (text.trim() === '') throw new UsageError('stdin is empty: pipe in the payload to map');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`stdin is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `file:line:column: message` for the --mapping file, `field: message (line, column)` for the rest. */
function describe(issue: MappingConfigIssue, mappingFile: string | undefined): string {
  if (issue.field === 'expression' && mappingFile !== undefined && issue.line !== undefined) {
    return `${mappingFile}:${issue.line}:${issue.column}: ${issue.message}`;
  }
  const where = issue.line !== undefined ? ` (line ${issue.line}, column ${issue.column})` : '';
  return `${issue.field}: ${issue.message}${where}`;
}
