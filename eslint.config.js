// Lint: typescript-eslint everywhere; raw ipcRenderer/ipcMain only inside the bridge adapters.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const bridgeModules = ['preload/index.ts', 'main/shell/ipc.ts'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { ecmaVersion: 2023, sourceType: 'module' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='ipcRenderer']",
          message: 'Use the typed bridge (common/api.ts), not raw ipcRenderer.',
        },
        {
          selector: "MemberExpression[object.name='ipcMain']",
          message: 'Use the typed handler map (main/bridge), not raw ipcMain.',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcRenderer', 'ipcMain'],
              message: 'Only the bridge adapters may touch raw IPC.',
            },
          ],
        },
      ],
    },
  },
  {
    files: bridgeModules,
    rules: { 'no-restricted-syntax': 'off', 'no-restricted-imports': 'off' },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only main/shell imports electron; keep the rest plain Node.' }] },
      ],
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'electron',
                '../main/*',
                '../../main/*',
                '../renderer/*',
                '../../renderer/*',
                '../preload/*',
                '../../preload/*',
              ],
              message: 'common/ is the model every process shares: it imports no process and no Node API.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '../main/*', '../../main/*'],
              message: 'The renderer talks to main only through window.convoy.',
            },
          ],
        },
      ],
    },
  },
);
