import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';

export default tseslint.config(
  // .stryker-tmp*: npm run mutate's sandboxes (copies of the project); reports: its output.
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'public/**',
      'custom-elements.json',
      'types/**',
      'test/package/apps/**',
      '.cache/**',
      '.stryker-tmp/**',
      '.stryker-tmp-store/**',
      '.stryker-tmp-worker/**',
      'reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  lit.configs['flat/recommended'],
  wc.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'wc/guard-super-call': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
