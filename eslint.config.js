// Lint: type-aware rules (promises, any, exhaustive switches) and the layer boundaries of
// ../shared/architecture.md ("renderer → shared ← main", the core never touches electron or the hosts).
// `npm test` runs it with --max-warnings 0.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const relative = (...dirs) => dirs.flatMap((d) => [`**/${d}`, `**/${d}/**`]);

/** One boundary: files under `files` may not import what `patterns` name. */
const boundary = (files, message, patterns, paths = []) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { paths, patterns: [{ group: patterns, message }] }],
  },
});

const NODE = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'better-sqlite3',
  'kysely',
  'exceljs',
  '@e965/xlsx',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'artifacts/', 'coverage/', '.tmp/', 'tests/fixtures/lint/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web.json', './tsconfig.e2e.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Handlers are async by contract (the dispatcher awaits them) even when their body is synchronous.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Tests read JSON printed by the CLI and the bridge, and stand in for electron's modules: those values are
    // untyped by nature and the assertions are the check. They also run built bundles as Electron's sandbox would
    // (a Function of require/module/exports). Production code keeps every rule.
    files: ['tests/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-implied-eval': 'off',
    },
  },
  {
    // The preload is CommonJS (Electron's sandbox requires it): `require` typed by the modules' own declarations.
    files: ['main/electron/preload.cts'],
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  boundary(
    ['shared/**'],
    'shared/ is pure TypeScript for both sides: no main, renderer, Node, electron or database imports',
    [...relative('main', 'renderer'), ...NODE, 'electron', 'react', 'react-dom'],
  ),
  boundary(
    ['renderer/**'],
    'the renderer talks to the core only through shared/api.ts: no main, Node, electron or database imports',
    [...relative('main'), ...NODE, 'electron'],
  ),
  boundary(
    ['main/core/**'],
    'the core runs without electron and knows no host (electron, web bridge, CLI) nor the renderer',
    [...relative('renderer', 'electron', 'web', 'cli'), 'electron', 'electron/*'],
  ),
  boundary(['main/web/**', 'main/cli/**'], 'browser mode and the CLI use the core, never electron or the renderer', [
    ...relative('renderer', 'electron'),
    'electron',
    'electron/*',
  ]),
  boundary(
    ['main/electron/**'],
    'the Electron shell reaches the core through its utility process, never the renderer',
    [...relative('renderer', 'web', 'cli')],
  ),
);
