/** The repo's copy of the protocol vectors must equal the team's shared set when it is present. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ours = resolve(__dirname, 'vectors');
const shared = resolve(__dirname, '../../shared/protocol/vectors');

describe('protocol vectors', () => {
  it('are all present in the repo', () => {
    expect(readdirSync(ours).filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(14);
  });

  it.runIf(existsSync(shared))('match the shared set byte for byte', () => {
    const names = readdirSync(shared)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(
      readdirSync(ours)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(names);
    for (const name of names) {
      expect(readFileSync(join(ours, name)).equals(readFileSync(join(shared, name))), name).toBe(
        true,
      );
    }
  });
});
