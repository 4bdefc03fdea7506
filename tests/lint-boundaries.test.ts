/**
 * The layer boundaries are lint rules (eslint.config.js): each fixture under tests/fixtures/lint is linted with
 * the project's own config as if it lived at the same path in the tree (tests/fixtures/lint/renderer/src/x.ts
 * as renderer/src/x.ts), and must be refused with its layer's message — or pass, when it says "nothing".
 * Type-aware parsing is switched off for these virtual files; the boundary rules do not need types.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'tests/fixtures/lint');
const files = fs
  .readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .sort();

const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });

describe('layer boundaries are enforced by lint', () => {
  it('has a fixture for every layer', () => {
    const layers = new Set(
      files.map((f) =>
        f
          .split(path.sep)
          .slice(0, f.startsWith('main') ? 2 : 1)
          .join('/'),
      ),
    );
    expect([...layers].sort()).toEqual(['main/core', 'main/electron', 'main/web', 'renderer', 'shared']);
  });

  it.each(files)('%s', async (file) => {
    const code = fs.readFileSync(path.join(fixtures, file), 'utf8');
    const expected = /^\/\/ expect: (.*)$/m.exec(code)![1]!;
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    const boundary = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    if (expected.startsWith('nothing')) {
      expect(result!.messages).toEqual([]);
    } else {
      expect(boundary, JSON.stringify(result!.messages)).toHaveLength(1);
      expect(boundary[0]!.message).toContain(expected);
      expect(boundary[0]!.severity).toBe(2);
    }
  });
});
