import type { EngineEnv } from '../../server/src/engine-env';
import { FileDataPacks } from '../../server/src/io/data-packs';

// One set of data packs for the whole test process: they are read-only and load lazily.
const packs = new FileDataPacks();

/** The engine environment tests run with: the real shipped data packs, no build context. */
export function testEnv(): EngineEnv {
  return { data: packs, context: null };
}
