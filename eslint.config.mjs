// `npm run lint` (CI runs it through `npm test`): typescript-eslint's recommended rules, without
// type information so that it stays fast (type errors are tsc's job).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/tools/**', 'test/.cache/**', '**/.venv*/**', 'models/.work*/**', 'test/bench/peers/.work/**', 'native/build/**', 'bench-results/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', __dirname: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly', window: 'readonly', document: 'readonly', acquireVsCodeApi: 'readonly', require: 'readonly', module: 'writable' } },
    rules: {
      // `_name` marks a value that is unused on purpose (a destructured field left out, a required parameter).
      // Completion shaping and its tests match control characters on purpose.
      'no-control-regex': 'off',
      'prefer-const': ['error', { destructuring: 'all' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
);
