import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseAllDocuments } from 'yaml';

/**
 * The refs of the entities a catalog file declares, as the catalog will name
 * them (namespace "default" unless set).
 */
export function declaredEntityRefs(yamlText: string, file: string): string[] {
  const refs: string[] = [];
  for (const doc of parseAllDocuments(yamlText)) {
    if (doc.errors.length) {
      throw new InputError(
        `${file} is not valid YAML: ${doc.errors[0].message}`,
      );
    }
    const entity = doc.toJS() as {
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    } | null;
    if (!entity) continue;
    if (
      typeof entity.kind !== 'string' ||
      typeof entity.metadata?.name !== 'string'
    ) {
      throw new InputError(
        `${file} has a document without kind and metadata.name; every document must be a catalog entity`,
      );
    }
    refs.push(
      stringifyEntityRef({
        kind: entity.kind,
        namespace:
          typeof entity.metadata.namespace === 'string'
            ? entity.metadata.namespace
            : undefined,
        name: entity.metadata.name,
      }),
    );
  }
  return refs;
}

/**
 * Adds a `file` location and waits up to `waitSeconds` until the catalog has
 * processed every entity it declares: the catalog answers a new location at
 * once and reads its entities in its processing loop, so waiting makes a
 * task's links to the new entities work. Returns the refs still pending.
 */
export async function registerAndWait(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  logger: LoggerService;
  /** Absolute path of the catalog file. */
  target: string;
  /** How the file is named in log lines. */
  label: string;
  entityRefs: string[];
  waitSeconds: number;
}): Promise<string[]> {
  const { catalog, credentials, logger, entityRefs, label } = options;
  await catalog.addLocation(
    { type: 'file', target: options.target },
    { credentials },
  );
  const deadline = Date.now() + options.waitSeconds * 1000;
  let pending = entityRefs;
  while (pending.length) {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: pending, fields: ['kind', 'metadata.name'] },
      { credentials },
    );
    pending = pending.filter((_, i) => !items[i]);
    if (!pending.length || Date.now() >= deadline) break;
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  if (pending.length) {
    logger.warn(
      `Registered ${label}; the catalog has not processed ${pending.join(
        ', ',
      )} yet: they appear after its next processing loop`,
    );
  } else {
    logger.info(`Registered ${label}: ${entityRefs.join(', ')} in the catalog`);
  }
  return pending;
}
