// Lints the n8n adapters with the rules n8n applies to community node packages.
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const { configs } = n8nNodesBase;
const using = (files, config) => ({ files, languageOptions: { parser: tsParser }, plugins: { 'n8n-nodes-base': n8nNodesBase }, rules: config.rules });

export default [
  { ignores: ['dist/**', 'node_modules/**'] },
  using(['package.json'], configs.community),
  {
    ...using(['credentials/**/*.ts'], configs.credentials),
    // As in n8n's community node starter: camel-cased doc slugs apply only to n8n's own repository.
    rules: { ...configs.credentials.rules, 'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off' },
  },
  using(['nodes/**/*.ts'], configs.nodes),
];
