import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../server/errors.ts';

describe('error registry', () => {
  const doc = readFileSync('docs/api.md', 'utf8');
  it.each(Object.entries(ERROR_CODES))(
    '%s is documented with its status and meaning',
    (code, { status, doc: meaning }) => {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\``));
      expect(row, `docs/api.md has no row for ${code}`).toBeDefined();
      expect(row).toContain(`| ${status} |`);
      expect(row).toContain(meaning);
    },
  );
});
