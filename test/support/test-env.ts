import type { EngineEnv } from '../../server/src/engine-env';

/** The engine environment tests run with: the real data packs, when the repo has them. */
export function testEnv(): EngineEnv {
  return { data: null, context: null };
}
