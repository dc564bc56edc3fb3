/** Reads `.exptrack/registry.jsonl`: audit events kept verbatim, folded into state by src/core/registry. */
import { RegistryEnvelope, RegistryEvent } from '../../../shared/registryEvents';
import type { SourceProblem } from '../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type RegistryRecord, type SourceReader } from '../sourceReader';
import { forEachCompleteLine } from './jsonLines';

const REGISTRY_PATH = /(?:^|\/)\.exptrack\/registry\.jsonl$/;
const KNOWN_TYPES: ReadonlySet<string> = new Set(RegistryEvent.options.map((o) => o.shape.t.value));

export const registryJsonlReader: SourceReader = {
  id: 'registry-jsonl@1',
  wholeFile: false,
  matches: (relPath) => relPath.endsWith('registry.jsonl') && REGISTRY_PATH.test(relPath),
  read: readRegistryJsonl,
};

function readRegistryJsonl(input: ReadInput): ReadOutput {
  const registry: RegistryRecord[] = [];
  const problems: SourceProblem[] = [];
  const result = forEachCompleteLine(input, problems, (text, line) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      problems.push(problem(input.relPath, line, `not JSON: ${(e as Error).message}`));
      return;
    }
    const envelope = RegistryEnvelope.safeParse(raw);
    if (!envelope.success) {
      problems.push(problem(input.relPath, line, 'a registry event needs "id", "time" and "t"'));
      return;
    }
    if (!KNOWN_TYPES.has(envelope.data.t)) {
      problems.push(problem(input.relPath, line, `unknown registry event "${envelope.data.t}" skipped`, 'info'));
      return;
    }
    const event = RegistryEvent.safeParse(raw);
    if (!event.success) {
      const issue = event.error.issues[0];
      problems.push(problem(input.relPath, line, `bad "${envelope.data.t}" event at ${issue?.path.join('.')}: ${issue?.message}`));
      return;
    }
    registry.push({ id: envelope.data.id, time: envelope.data.time, type: envelope.data.t, json: JSON.stringify(event.data) });
  });
  return { ...result, batches: [], problems, registry };
}
