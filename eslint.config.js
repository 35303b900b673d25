// Lint: typescript-eslint's recommended rules, plus the layering rules of the design:
// domain code (src/modules) never imports the Feishu SDK, HTTP or BullMQ, and never reads the clock itself.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const transport = [
  { group: ['@larksuiteoapi/*', '@larksuiteoapi/node-sdk'], message: 'Domain code must not import the Feishu SDK: go through src/feishu.' },
  { group: ['bullmq', 'ioredis'], message: 'Domain code must not import BullMQ or Redis: write to the outbox, jobs/ enqueue.' },
  { group: ['fastify', 'fastify/*', 'node:http', 'node:https', 'http', 'https', 'undici', 'axios'], message: 'Domain code must not do HTTP.' },
  { group: ['**/feishu/**', '**/http/**', '**/sandbox/**'], message: 'Domain code must not import transport adapters.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'src/generated/**', '.tmp/**', 'src/sandbox/ui/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/modules/**/*.ts', 'cards/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: transport }],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the injected Clock, not new Date().' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use the injected Clock, not Date.now().' },
      ],
    },
  },
);
