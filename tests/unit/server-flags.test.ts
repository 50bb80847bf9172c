/** `npm start` and the tests' and bench's server processes run the bundle with the same Node flags. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../cloudfunctions/local/build-server.js';

describe('the server bundle’s Node flags', () => {
  it('package.json’s start script passes exactly SERVER_NODE_FLAGS', () => {
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts
      .start!;
    const run = /\bnode((?: --[\w-]+(?:=\S+)?)*) dist\/server\/main\.mjs$/.exec(start);
    expect(run, start).not.toBeNull();
    expect(run![1]!.trim().split(' ').filter(Boolean)).toEqual(SERVER_NODE_FLAGS);
  });
});
