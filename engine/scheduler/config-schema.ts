/**
 * `spec.scheduler` of a scenario: `{config: <inline KubeSchedulerConfiguration>}` or
 * `{config: {file: path}}` (relative to the scenario file), validated with the same rules as
 * `kubesim schedule --config`, errors at their path inside the scenario or the config file.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { errors } from '../scenario/errors.js';
import { isPlainObject, Schema, type Ctx, type JsonSchema } from '../scenario/schema.js';
import { parseYamlDocuments, readFileBytes } from '../scenario/yaml-source.js';
import { parseSchedulerConfig, schedulerConfigJsonSchema, type SchedulerConfig } from './config.js';
import { IN_TREE_REGISTRY, type Registry } from './registry.js';

/** The plugins a scenario's configuration may name while a scenario loads (see withSchedulerRegistry). */
let registryInScope: Registry = IN_TREE_REGISTRY;

/**
 * Loads a scenario (synchronously, inside `load`) with `registry` as the plugins its
 * spec.scheduler may name: the in-tree ones plus those of `--plugin FILE`. Scenario files name
 * plugins; only the command line brings their code.
 */
export function withSchedulerRegistry<T>(registry: Registry | undefined, load: () => T): T {
  const previous = registryInScope;
  registryInScope = registry ?? IN_TREE_REGISTRY;
  try {
    return load();
  } finally {
    registryInScope = previous;
  }
}

export class SchedulerSpecSchema extends Schema<SchedulerConfig> {
  readonly expected = 'a mapping {config: <KubeSchedulerConfiguration> or {file: path}}';
  protected check(value: unknown, ctx: Ctx): SchedulerConfig {
    if (!isPlainObject(value)) throw errors.wrongType(ctx.file, ctx.path, this.expected, value);
    for (const k of Object.keys(value)) if (k !== 'config') throw errors.unknownField(ctx.file, ctx.path, k, ['config']);
    const config = value.config;
    const at: Ctx = { file: ctx.file, path: ctx.path ? `${ctx.path}.config` : 'config' };
    if (config === undefined) throw errors.missingField(ctx.file, ctx.path, 'config');
    if (isPlainObject(config) && 'file' in config && !('kind' in config)) {
      if (typeof config.file !== 'string' || config.file === '') throw errors.wrongType(ctx.file, `${at.path}.file`, 'a file path', config.file);
      const path = isAbsolute(config.file) ? config.file : join(dirname(ctx.file ?? '.'), config.file);
      const docs = parseYamlDocuments(readFileBytes(path, path).toString('utf8'), path).filter((d) => d !== null && d !== undefined);
      if (docs.length !== 1) throw errors.documentCount(path, 'exactly one YAML document (a KubeSchedulerConfiguration)', docs.length);
      return parseSchedulerConfig(docs[0], { file: path, path: '' }, registryInScope);
    }
    return parseSchedulerConfig(config, at, registryInScope);
  }
  protected schema(): JsonSchema {
    return {
      type: 'object',
      properties: {
        config: {
          description: 'A KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1), inline or {file: path}.',
          anyOf: [schedulerConfigJsonSchema(), { type: 'object', properties: { file: { type: 'string', minLength: 1 } }, required: ['file'], additionalProperties: false }],
        },
      },
      required: ['config'],
      additionalProperties: false,
    };
  }
}

export const schedulerSpec = () => new SchedulerSpecSchema();
