import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.stack/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error'],
    },
  },
  { files: ['apps/cli/**', 'scripts/**', 'bench/**', 'test/**', '**/*.spec.ts', '**/*.int-spec.ts', '**/__fixtures__/**'], rules: { 'no-console': 'off' } },
  // Apps reach a lib through its index only (`@dpb/<lib>`): what a lib offers the apps is what it exports.
  {
    files: ['apps/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@dpb/*/**'], message: "Import the lib's index ('@dpb/<lib>'); export what an app needs from libs/<lib>/src/index.ts." }] }],
    },
  },
  // Tests walk third-party expected.json files of free shape.
  { files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/__fixtures__/**', 'test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
